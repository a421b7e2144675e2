/** Verify, checkout, download and compare versions; open their files. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { artifactUri } from '../fs/artifact-uri';
import type { LoadMoreNode, PathNode, TreeNode } from '../model/tree-model';
import { command, describeCounts, withProgress } from '../ui';
import type { VerificationNode } from '../views/verification-view';
import { DiffPanel } from '../webview/diff-panel';
import { folderFor, isVersionNode, versionArg, type Services } from './services';

const LIST_IN_MODAL = 15;

export function registerVersionCommands(s: Services): vscode.Disposable[] {
  return [
    command('artifacts.refresh', 'refresh', () => s.tree.refresh()),

    command('artifacts.loadMore', 'load more versions', (node: LoadMoreNode) => {
      s.tree.treeModel.loadMore(node);
      s.tree.refresh();
    }),

    command('artifacts.openFile', 'open the file', async (node: PathNode) => {
      const entry = node.entry;
      if (entry?.ref && !entry.ref.startsWith('file://')) {
        const open = await vscode.window.showInformationMessage(`${node.path} is a reference to ${entry.ref}`, 'Open Link');
        if (open) await vscode.env.openExternal(vscode.Uri.parse(entry.ref));
        return;
      }
      await vscode.commands.executeCommand('vscode.open', artifactUri(node.version.artifact.qualifiedName, node.path), { preview: true });
    }),

    command('artifacts.verify', 'verify', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Verify which version?');
      if (!a) return;
      const root = await folderFor(s, a, 'verify against', { mustExist: true });
      if (!root) return;
      const result = await withProgress(`Verifying ${vscode.workspace.asRelativePath(root)} against ${a.name}`, (signal) => a.verify(root, { signal }));
      s.verifyResults.set({ root, ref: a.qualifiedName, result, at: new Date().toISOString() });
      await vscode.commands.executeCommand('artifacts.verification.focus');
      if (result.ok) {
        void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(root)} matches ${a.qualifiedName} (${result.matched} files).`);
      } else {
        void vscode.window.showWarningMessage(
          `${vscode.workspace.asRelativePath(root)} differs from ${a.qualifiedName}: ${result.modified.length} modified, ${result.missing.length} missing, ${result.extra.length} not in the version.`,
        );
      }
    }),

    command('artifacts.clearVerification', 'clear verify results', () => s.verifyResults.clear()),

    command('artifacts.openVerifiedFile', 'open the file', async (node: VerificationNode) => {
      if (node.kind !== 'path') return;
      const local = vscode.Uri.file(path.join(node.record.root, ...node.path.split('/')));
      const stored = artifactUri(node.record.ref, node.path);
      if (node.state === 'modified') await vscode.commands.executeCommand('vscode.diff', stored, local, `${node.path} (${node.record.ref.split('/').pop()} ↔ folder)`);
      else await vscode.commands.executeCommand('vscode.open', node.state === 'missing' ? stored : local, { preview: true });
    }),

    command('artifacts.download', 'download', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Download which version?');
      if (!a) return;
      const root = await folderFor(s, a, 'download', { mustExist: false });
      if (!root) return;
      const r = await withProgress(`Downloading ${a.name}`, (signal, report) => a.download(root, { signal, onProgress: (p) => report(describeCounts('', p), p.totalBytes ? p.bytes / p.totalBytes : undefined) }));
      const choice = await vscode.window.showInformationMessage(
        `Downloaded ${a.qualifiedName} to ${vscode.workspace.asRelativePath(r.root)}: ${r.written.length} written, ${r.unchanged} already up to date${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}.`,
        'Reveal in Explorer',
      );
      if (choice) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.root));
    }),

    command('artifacts.checkout', 'check out', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Check out which version?');
      if (!a) return;
      const root = await folderFor(s, a, 'check out into', { mustExist: false });
      if (!root) return;
      const plan = await a.planCheckout(root);
      const doomed = plan.deletions;
      if (doomed.length > 0) {
        const shown = doomed.slice(0, LIST_IN_MODAL).map((p) => `• ${p}`);
        if (doomed.length > LIST_IN_MODAL) shown.push(`… and ${doomed.length - LIST_IN_MODAL} more`);
        const ok = await vscode.window.showWarningMessage(
          `Check out ${a.qualifiedName} into ${vscode.workspace.asRelativePath(root)}?`,
          { modal: true, detail: `${doomed.length === 1 ? 'This file is' : `These ${doomed.length} files are`} not in the version and will be deleted:\n${shown.join('\n')}` },
          `Delete ${doomed.length} File${doomed.length === 1 ? '' : 's'} and Check Out`,
        );
        if (!ok) return;
      }
      const r = await withProgress(`Checking out ${a.name}`, (signal, report) => plan.execute({ signal, onProgress: (p) => report(describeCounts('', p), p.totalBytes ? p.bytes / p.totalBytes : undefined) }));
      const kept = r.keptUnplanned.length ? ` ${r.keptUnplanned.length} file(s) that appeared after you confirmed were kept: ${r.keptUnplanned.slice(0, 3).join(', ')}${r.keptUnplanned.length > 3 ? ', …' : ''}.` : '';
      void (kept ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`${vscode.workspace.asRelativePath(r.root)} is now ${a.qualifiedName}: ${r.written.length} written, ${r.deleted.length} deleted, ${r.unchanged} unchanged.${kept}`);
    }),

    command('artifacts.compare', 'compare versions', async (clicked?: TreeNode, selected?: TreeNode[]) => {
      const chosen = (selected ?? (clicked ? [clicked] : [])).filter(isVersionNode);
      if (chosen.length === 2) {
        const [x, y] = [...chosen].sort((p, q) => Date.parse(p.artifact.createdAt) - Date.parse(q.artifact.createdAt));
        DiffPanel.show(s.context.extensionUri, s.registry, x!.artifact.qualifiedName, { version: y!.artifact.qualifiedName });
        return;
      }
      if (chosen.length > 2) throw new ValidationError('Select exactly two versions to compare');
      const first = chosen[0]?.artifact ?? (await versionArg(s, undefined, 'Compare which version…'));
      if (!first) return;
      const second = await versionArg(s, undefined, `…with which version? (${first.name} is the older side)`);
      if (second) DiffPanel.show(s.context.extensionUri, s.registry, first.qualifiedName, { version: second.qualifiedName });
    }),

    command('artifacts.compareWithPrevious', 'compare with the previous version', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Compare which version with its previous one?');
      if (!a) return;
      const versions = await s.registry.registry.listVersions({ entity: a.entity, project: a.project, collection: a.collectionName });
      const at = versions.findIndex((v) => v.version === a.version);
      const previous = versions[at + 1];
      if (!previous) throw new ValidationError(`${a.qualifiedName} is the first version of ${a.collectionName}: there is nothing before it`);
      DiffPanel.show(s.context.extensionUri, s.registry, previous.qualifiedName, { version: a.qualifiedName });
    }),

    command('artifacts.compareWithFolder', 'compare with a folder', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Compare which version with a folder?');
      if (!a) return;
      const root = await folderFor(s, a, 'compare with', { mustExist: true });
      if (root) DiffPanel.show(s.context.extensionUri, s.registry, a.qualifiedName, { folder: root });
    }),
  ];
}
