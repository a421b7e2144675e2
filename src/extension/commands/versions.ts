/** Verify, check out, download and compare versions; open their files; the tree's own commands. */
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { artifactUri } from '../fs/artifact-uri';
import type { LoadMoreNode, PathNode, TreeNode } from '../model/tree-model';
import { localFileOf, type VerificationNode } from '../model/verification-model';
import { inPhase, withProgress } from '../ui/progress';
import { COMMANDS, VIEWS } from './ids';
import { registerCommand } from './register';
import { folderFor, isVersionNode, onlyDefaultRegistry, versionArg, type Services } from './services';

const LIST_IN_MODAL = 15;

export function versionCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.refresh, 'refresh', () => s.tree.refresh()),

    registerCommand(COMMANDS.loadMore, 'load more versions', (node: LoadMoreNode) => s.tree.loadMore(node)),

    registerCommand(COMMANDS.openFile, 'open the file', async (node: PathNode) => {
      const entry = node.entry;
      if (entry?.ref && !entry.ref.startsWith('file://')) {
        const open = await vscode.window.showInformationMessage(`${node.path} is a reference to ${entry.ref}`, 'Open Link');
        if (open) await vscode.env.openExternal(vscode.Uri.parse(entry.ref));
        return;
      }
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.from(artifactUri(node.version.artifact.qualifiedName, node.path)), { preview: true });
    }),

    registerCommand(COMMANDS.verify, 'verify', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Verify which version?');
      if (!a) return;
      const root = await folderFor(a, 'verify against', { mustExist: true });
      if (!root) return;
      const result = await withProgress(`Verifying ${vscode.workspace.asRelativePath(root)} against ${a.name}`, (signal) => a.verify(root, { signal }));
      s.verifyResults.set({ root, ref: a.qualifiedName, result, at: new Date().toISOString() });
      await vscode.commands.executeCommand(`${VIEWS.verification}.focus`); // VS Code's own command for the view
      if (result.ok) {
        void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(root)} matches ${a.qualifiedName} (${result.matched} files).`);
      } else {
        void vscode.window.showWarningMessage(
          `${vscode.workspace.asRelativePath(root)} differs from ${a.qualifiedName}: ${result.modified.length} modified, ${result.missing.length} missing, ${result.extra.length} not in the version.`,
        );
      }
    }),

    registerCommand(COMMANDS.clearVerification, 'clear verify results', () => s.verifyResults.clear()),

    registerCommand(COMMANDS.openVerifiedFile, 'open the file', async (node: VerificationNode) => {
      if (node.kind !== 'path') return;
      const local = vscode.Uri.file(localFileOf(node.record, node.path));
      const stored = vscode.Uri.from(artifactUri(node.record.ref, node.path));
      if (node.state === 'modified') await vscode.commands.executeCommand('vscode.diff', stored, local, `${node.path} (${node.record.ref.split('/').pop()} ↔ folder)`);
      else await vscode.commands.executeCommand('vscode.open', node.state === 'missing' ? stored : local, { preview: true });
    }),

    registerCommand(COMMANDS.download, 'download', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Download which version?');
      if (!a) return;
      const root = await folderFor(a, 'download', { mustExist: false });
      if (!root) return;
      const r = await withProgress(`Downloading ${a.name}`, (signal, report) => a.download(root, { signal, onProgress: inPhase('downloading', report) }));
      const choice = await vscode.window.showInformationMessage(
        `Downloaded ${a.qualifiedName} to ${vscode.workspace.asRelativePath(r.root)}: ${r.written.length} written, ${r.unchanged} already up to date${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}.`,
        'Reveal in Explorer',
      );
      if (choice) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.root));
    }),

    registerCommand(COMMANDS.checkout, 'check out', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Check out which version?');
      if (!a) return;
      const root = await folderFor(a, 'check out into', { mustExist: false });
      if (!root) return;
      // The plan lists what it deletes; executing it deletes exactly that, nothing that appears later.
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
      const r = await withProgress(`Checking out ${a.name}`, (signal, report) => plan.execute({ signal, onProgress: inPhase('checking out', report) }));
      const summary = `${vscode.workspace.asRelativePath(r.root)} is now ${a.qualifiedName}: ${r.written.length} written, ${r.deleted.length} deleted, ${r.unchanged} unchanged.`;
      if (r.keptUnplanned.length === 0) {
        void vscode.window.showInformationMessage(summary);
      } else {
        const kept = r.keptUnplanned;
        void vscode.window.showWarningMessage(`${summary} ${kept.length} file${kept.length === 1 ? '' : 's'} that appeared after you confirmed ${kept.length === 1 ? 'was' : 'were'} kept: ${kept.slice(0, 3).join(', ')}${kept.length > 3 ? ', …' : ''}.`);
      }
    }),

    registerCommand(COMMANDS.compare, 'compare versions', async (clicked?: TreeNode, selected?: TreeNode[]) => {
      onlyDefaultRegistry(clicked, selected); // team registries: see commands/registries.ts
      const chosen = (selected ?? (clicked ? [clicked] : [])).filter(isVersionNode);
      if (chosen.length === 2) {
        const [x, y] = [...chosen].sort((p, q) => Date.parse(p.artifact.createdAt) - Date.parse(q.artifact.createdAt));
        s.diffPanels.show(x!.artifact.qualifiedName, { version: y!.artifact.qualifiedName });
        return;
      }
      if (chosen.length > 2) throw new ValidationError('Select exactly two versions to compare');
      const first = chosen[0]?.artifact ?? (await versionArg(s, undefined, 'Compare which version…'));
      if (!first) return;
      const second = await versionArg(s, undefined, `…with which version? (${first.name} is the older side)`);
      if (second) s.diffPanels.show(first.qualifiedName, { version: second.qualifiedName });
    }),

    registerCommand(COMMANDS.compareWithPrevious, 'compare with the previous version', async (arg?: unknown) => {
      onlyDefaultRegistry(arg);
      const a = await versionArg(s, arg, 'Compare which version with its previous one?');
      if (!a) return;
      const versions = await s.registry.current.listVersions({ entity: a.entity, project: a.project, collection: a.collectionName });
      const at = versions.findIndex((v) => v.version === a.version);
      const previous = versions[at + 1];
      if (!previous) throw new ValidationError(`${a.qualifiedName} is the first version of ${a.collectionName}: there is nothing before it`);
      s.diffPanels.show(previous.qualifiedName, { version: a.qualifiedName });
    }),

    registerCommand(COMMANDS.compareWithFolder, 'compare with a folder', async (arg?: unknown) => {
      onlyDefaultRegistry(arg);
      const a = await versionArg(s, arg, 'Compare which version with a folder?');
      if (!a) return;
      const root = await folderFor(a, 'compare with', { mustExist: true });
      if (root) s.diffPanels.show(a.qualifiedName, { folder: root });
    }),
  ];
}
