/** Verify, check out, download and compare versions; open their files; the tree's own commands. */
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { formatNumber } from '../../core/l10n';
import { artifactUri } from '../fs/artifact-uri';
import type { LoadMoreNode, PathNode, TreeNode } from '../model/tree-model';
import { localFileOf, type VerificationNode } from '../model/verification-model';
import { inPhase, withProgress } from '../ui/progress';
import { COMMANDS, VIEWS } from './ids';
import { registerCommand } from './register';
import { folderFor, isVersionNode, onlyDefaultRegistry, versionArg, type Services } from './services';

const LIST_IN_MODAL = 15;

const openFailed = (reason: string) => vscode.l10n.t('Could not open the file: {0}', reason);

export function versionCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.refresh, (m) => vscode.l10n.t('Could not refresh: {0}', m), () => s.tree.refresh()),

    registerCommand(COMMANDS.loadMore, (m) => vscode.l10n.t('Could not load more versions: {0}', m), (node: LoadMoreNode) => s.tree.loadMore(node)),

    registerCommand(COMMANDS.openFile, openFailed, async (node: PathNode) => {
      const entry = node.entry;
      if (entry?.ref && !entry.ref.startsWith('file://')) {
        const open = await vscode.window.showInformationMessage(vscode.l10n.t('{0} is a reference to {1}', node.path, entry.ref), vscode.l10n.t('Open Link'));
        if (open) await vscode.env.openExternal(vscode.Uri.parse(entry.ref));
        return;
      }
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.from(artifactUri(node.version.artifact.qualifiedName, node.path)), { preview: true });
    }),

    registerCommand(COMMANDS.verify, (m) => vscode.l10n.t('Could not verify: {0}', m), async (arg?: unknown) => {
      const a = await versionArg(s, arg, vscode.l10n.t('Verify which version?'));
      if (!a) return;
      const root = await folderFor(a, 'verify', { mustExist: true });
      if (!root) return;
      const result = await withProgress(vscode.l10n.t('Verifying {0} against {1}', vscode.workspace.asRelativePath(root), a.name), (signal) => a.verify(root, { signal }));
      s.verifyResults.set({ root, ref: a.qualifiedName, result, at: new Date().toISOString() });
      await vscode.commands.executeCommand(`${VIEWS.verification}.focus`); // VS Code's own command for the view
      if (result.ok) {
        const folder = vscode.workspace.asRelativePath(root);
        void vscode.window.showInformationMessage(
          result.matched === 1 ? vscode.l10n.t('{0} matches {1} (1 file).', folder, a.qualifiedName) : vscode.l10n.t('{0} matches {1} ({2} files).', folder, a.qualifiedName, formatNumber(result.matched)),
        );
      } else {
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            '{0} differs from {1}: {2} modified, {3} missing, {4} not in the version.',
            vscode.workspace.asRelativePath(root),
            a.qualifiedName,
            formatNumber(result.modified.length),
            formatNumber(result.missing.length),
            formatNumber(result.extra.length),
          ),
        );
      }
    }),

    registerCommand(COMMANDS.clearVerification, (m) => vscode.l10n.t('Could not clear the verify results: {0}', m), () => s.verifyResults.clear()),

    registerCommand(COMMANDS.openVerifiedFile, openFailed, async (node: VerificationNode) => {
      if (node.kind !== 'path') return;
      const local = vscode.Uri.file(localFileOf(node.record, node.path));
      const stored = vscode.Uri.from(artifactUri(node.record.ref, node.path));
      if (node.state === 'modified') await vscode.commands.executeCommand('vscode.diff', stored, local, vscode.l10n.t('{0} ({1} ↔ folder)', node.path, node.record.ref.split('/').pop()!));
      else await vscode.commands.executeCommand('vscode.open', node.state === 'missing' ? stored : local, { preview: true });
    }),

    registerCommand(COMMANDS.download, (m) => vscode.l10n.t('Could not download: {0}', m), async (arg?: unknown) => {
      const a = await versionArg(s, arg, vscode.l10n.t('Download which version?'));
      if (!a) return;
      const root = await folderFor(a, 'download', { mustExist: false });
      if (!root) return;
      const r = await withProgress(vscode.l10n.t('Downloading {0}', a.name), (signal, report) => a.download(root, { signal, onProgress: inPhase('downloading', report) }));
      const where = vscode.workspace.asRelativePath(r.root);
      const [written, unchanged, skipped] = [r.written.length, r.unchanged, r.skipped.length].map(formatNumber);
      const choice = await vscode.window.showInformationMessage(
        r.skipped.length
          ? vscode.l10n.t('Downloaded {0} to {1}: {2} written, {3} already up to date, {4} skipped.', a.qualifiedName, where, written!, unchanged!, skipped!)
          : vscode.l10n.t('Downloaded {0} to {1}: {2} written, {3} already up to date.', a.qualifiedName, where, written!, unchanged!),
        vscode.l10n.t('Reveal in Explorer'),
      );
      if (choice) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.root));
    }),

    registerCommand(COMMANDS.checkout, (m) => vscode.l10n.t('Could not check out: {0}', m), async (arg?: unknown) => {
      const a = await versionArg(s, arg, vscode.l10n.t('Check out which version?'));
      if (!a) return;
      const root = await folderFor(a, 'checkout', { mustExist: false });
      if (!root) return;
      // The plan lists what it deletes; executing it deletes exactly that, nothing that appears later.
      const plan = await a.planCheckout(root);
      const doomed = plan.deletions;
      if (doomed.length > 0) {
        const shown = doomed.slice(0, LIST_IN_MODAL).map((p) => `• ${p}`);
        if (doomed.length > LIST_IN_MODAL) shown.push(vscode.l10n.t('… and {0} more', formatNumber(doomed.length - LIST_IN_MODAL)));
        const one = doomed.length === 1;
        const count = formatNumber(doomed.length);
        const ok = await vscode.window.showWarningMessage(
          vscode.l10n.t('Check out {0} into {1}?', a.qualifiedName, vscode.workspace.asRelativePath(root)),
          {
            modal: true,
            detail: one
              ? vscode.l10n.t('This file is not in the version and will be deleted:\n{0}', shown.join('\n'))
              : vscode.l10n.t('These {0} files are not in the version and will be deleted:\n{1}', count, shown.join('\n')),
          },
          one ? vscode.l10n.t('Delete 1 File and Check Out') : vscode.l10n.t('Delete {0} Files and Check Out', count),
        );
        if (!ok) return;
      }
      // l10n-ignore: 'checking out' is a WorkPhase value, not text
      const r = await withProgress(vscode.l10n.t('Checking out {0}', a.name), (signal, report) => plan.execute({ signal, onProgress: inPhase('checking out', report) }));
      const summary = vscode.l10n.t(
        '{0} is now {1}: {2} written, {3} deleted, {4} unchanged.',
        vscode.workspace.asRelativePath(r.root),
        a.qualifiedName,
        formatNumber(r.written.length),
        formatNumber(r.deleted.length),
        formatNumber(r.unchanged),
      );
      if (r.keptUnplanned.length === 0) {
        void vscode.window.showInformationMessage(summary);
      } else {
        const kept = r.keptUnplanned;
        const names = kept.length > 3 ? vscode.l10n.t('{0}, …', kept.slice(0, 3).join(', ')) : kept.join(', ');
        void vscode.window.showWarningMessage(
          kept.length === 1
            ? vscode.l10n.t('{0} 1 file that appeared after you confirmed was kept: {1}.', summary, names)
            : vscode.l10n.t('{0} {1} files that appeared after you confirmed were kept: {2}.', summary, formatNumber(kept.length), names),
        );
      }
    }),

    registerCommand(COMMANDS.compare, (m) => vscode.l10n.t('Could not compare versions: {0}', m), async (clicked?: TreeNode, selected?: TreeNode[]) => {
      onlyDefaultRegistry(clicked, selected); // team registries: see commands/registries.ts
      const chosen = (selected ?? (clicked ? [clicked] : [])).filter(isVersionNode);
      if (chosen.length === 2) {
        const [x, y] = [...chosen].sort((p, q) => Date.parse(p.artifact.createdAt) - Date.parse(q.artifact.createdAt));
        s.diffPanels.show(x!.artifact.qualifiedName, { version: y!.artifact.qualifiedName });
        return;
      }
      if (chosen.length > 2) throw new ValidationError(vscode.l10n.t('Select exactly two versions to compare'));
      const first = chosen[0]?.artifact ?? (await versionArg(s, undefined, vscode.l10n.t('Compare which version…')));
      if (!first) return;
      const second = await versionArg(s, undefined, vscode.l10n.t('…with which version? ({0} is the older side)', first.name));
      if (second) s.diffPanels.show(first.qualifiedName, { version: second.qualifiedName });
    }),

    registerCommand(COMMANDS.compareWithPrevious, (m) => vscode.l10n.t('Could not compare with the previous version: {0}', m), async (arg?: unknown) => {
      onlyDefaultRegistry(arg);
      const a = await versionArg(s, arg, vscode.l10n.t('Compare which version with its previous one?'));
      if (!a) return;
      const versions = await s.registry.current.listVersions({ entity: a.entity, project: a.project, collection: a.collectionName });
      const at = versions.findIndex((v) => v.version === a.version);
      const previous = versions[at + 1];
      if (!previous) throw new ValidationError(vscode.l10n.t('{0} is the first version of {1}: there is nothing before it', a.qualifiedName, a.collectionName));
      s.diffPanels.show(previous.qualifiedName, { version: a.qualifiedName });
    }),

    registerCommand(COMMANDS.compareWithFolder, (m) => vscode.l10n.t('Could not compare with a folder: {0}', m), async (arg?: unknown) => {
      onlyDefaultRegistry(arg);
      const a = await versionArg(s, arg, vscode.l10n.t('Compare which version with a folder?'));
      if (!a) return;
      const root = await folderFor(a, 'compare', { mustExist: true });
      if (root) s.diffPanels.show(a.qualifiedName, { folder: root });
    }),
  ];
}
