/** Verify, check out, download and compare versions; open their files; the tree's own commands. */
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { formatNumber } from '../../core/l10n';
import { artifactUri } from '../fs/artifact-uri';
import type { LoadMoreNode, PathNode, TreeNode } from '../model/tree-model';
import { localFileOf, type VerificationNode } from '../model/verification-model';
import { inPhase, withProgress } from '../ui/progress';
import { checkoutWithConsent } from './checkout-flow';
import { COMMANDS, VIEWS } from './ids';
import { registerCommand } from './register';
import { folderFor, isVersionNode, registryKeyOf, versionArg, type Services } from './services';

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
      // The folder then tracks the version (.artifact.json): the Source Control view shows its changes.
      const r = await withProgress(vscode.l10n.t('Downloading {0}', a.name), (signal, report) => a.download(root, { track: true, signal, onProgress: inPhase('downloading', report) }));
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
      await checkoutWithConsent(a, root); // the folder then tracks the version
    }),

    registerCommand(COMMANDS.compare, (m) => vscode.l10n.t('Could not compare versions: {0}', m), async (clicked?: TreeNode, selected?: TreeNode[]) => {
      const chosen = (selected ?? (clicked ? [clicked] : [])).filter(isVersionNode);
      if (chosen.length === 2) {
        const key = registryKeyOf(chosen);
        const [x, y] = [...chosen].sort((p, q) => Date.parse(p.artifact.createdAt) - Date.parse(q.artifact.createdAt));
        await s.diffPanels.show(x!.artifact.qualifiedName, { version: y!.artifact.qualifiedName }, key);
        return;
      }
      if (chosen.length > 2) throw new ValidationError(vscode.l10n.t('Select exactly two versions to compare'));
      // The quick pick below lists the default registry: a version of another row is compared by selecting two there.
      if (registryKeyOf(chosen) !== undefined) throw new ValidationError(vscode.l10n.t('Select two versions of this registry in the Registry view to compare them'));
      const first = chosen[0]?.artifact ?? (await versionArg(s, undefined, vscode.l10n.t('Compare which version…')));
      if (!first) return;
      const second = await versionArg(s, undefined, vscode.l10n.t('…with which version? ({0} is the older side)', first.name));
      if (second) await s.diffPanels.show(first.qualifiedName, { version: second.qualifiedName });
    }),

    registerCommand(COMMANDS.compareWithPrevious, (m) => vscode.l10n.t('Could not compare with the previous version: {0}', m), async (arg?: unknown) => {
      const key = registryKeyOf(arg);
      const a = await versionArg(s, arg, vscode.l10n.t('Compare which version with its previous one?'));
      if (!a) return;
      const registry = await s.registry.registryOf(key);
      if (!registry) return;
      const versions = await registry.listVersions({ entity: a.entity, project: a.project, collection: a.collectionName });
      const at = versions.findIndex((v) => v.version === a.version);
      const previous = versions[at + 1];
      if (!previous) throw new ValidationError(vscode.l10n.t('{0} is the first version of {1}: there is nothing before it', a.qualifiedName, a.collectionName));
      await s.diffPanels.show(previous.qualifiedName, { version: a.qualifiedName }, key);
    }),

    registerCommand(COMMANDS.compareWithFolder, (m) => vscode.l10n.t('Could not compare with a folder: {0}', m), async (arg?: unknown) => {
      const key = registryKeyOf(arg);
      const a = await versionArg(s, arg, vscode.l10n.t('Compare which version with a folder?'));
      if (!a) return;
      const root = await folderFor(a, 'compare', { mustExist: true });
      if (root) await s.diffPanels.show(a.qualifiedName, { folder: root }, key);
    }),
  ];
}
