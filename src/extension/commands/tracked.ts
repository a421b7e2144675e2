/**
 * The commands of tracked folders in Source Control: Commit (the input box's message becomes the
 * description, aliases asked as a log asks them), open a change in the diff editor, Discard
 * Changes (a file restored from the version, or an added file deleted, after a modal), Discard All
 * (checkout), Switch Version… (checkout of another version of the collection), Refresh, and the
 * status bar's Show the Tracked Version. The use cases are app/tracked-folder.ts.
 */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { commitTracked, trackedVersion } from '../../app/tracked-folder';
import { NotFoundError, ValidationError } from '../../core/errors';
import { formatNumber } from '../../core/l10n';
import { trackedShortRef } from '../../core/tracking';
import { changeTitle, fileOf, versionChoices, type ChangeKind } from '../model/tracked-model';
import { isTrackedResource, type TrackedFolderScm, type TrackedFolders } from '../scm/tracked-scm';
import { withProgress } from '../ui/progress';
import { checkoutWithConsent } from './checkout-flow';
import { COMMANDS } from './ids';
import { askAliases, logWithProgress } from './log-flow';
import { registerCommand } from './register';
import type { Services } from './services';

const LIST_IN_MODAL = 10;

function folderOrThrow(tracked: TrackedFolders, arg: unknown): TrackedFolderScm {
  const folder = tracked.folderOf(arg);
  if (!folder) throw new ValidationError(vscode.l10n.t('No tracked folder here: download or check out a version into a folder of the workspace first'));
  return folder;
}

function registryOf(folder: TrackedFolderScm) {
  if (!folder.registry) throw new ValidationError(folder.failure ?? vscode.l10n.t('The status of {0} is not known yet', folder.root));
  return folder.registry;
}

export function trackedCommands(s: Services, tracked: TrackedFolders): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.scmCommit, (m) => vscode.l10n.t('Could not commit: {0}', m), async (arg?: unknown) => {
      const folder = folderOrThrow(tracked, arg);
      const registry = registryOf(folder);
      await folder.refresh();
      if (folder.status?.clean) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to commit: {0} equals {1}.', vscode.workspace.asRelativePath(folder.root), trackedShortRef(folder.tracking)));
        return;
      }
      const message = folder.sourceControl.inputBox.value.trim();
      const aliases = await askAliases(folder.tracking.collection);
      if (aliases === undefined) return;
      await logWithProgress(s, folder.tracking.collection, (opts) => commitTracked(registry, { root: folder.root, tracking: folder.tracking }, { message: message || null, aliases }, opts));
      folder.sourceControl.inputBox.value = '';
      await folder.refresh();
    }),

    registerCommand(COMMANDS.scmOpenChange, (m) => vscode.l10n.t('Could not open the file: {0}', m), async (root: string, relPath: string, kind: ChangeKind) => {
      const folder = folderOrThrow(tracked, root);
      const local = vscode.Uri.file(fileOf(root, relPath));
      if (kind === 'added') await vscode.commands.executeCommand('vscode.open', local, { preview: true });
      else if (kind === 'deleted') await vscode.commands.executeCommand('vscode.open', folder.storedUri(relPath), { preview: true });
      else await vscode.commands.executeCommand('vscode.diff', folder.storedUri(relPath), local, changeTitle(relPath, folder.tracking), { preview: true });
    }),

    registerCommand(COMMANDS.scmDiscard, (m) => vscode.l10n.t('Could not discard the changes: {0}', m), async (...args: unknown[]) => {
      const states = args.flat().filter(isTrackedResource);
      if (states.length === 0) return;
      const folder = folderOrThrow(tracked, states[0]);
      const mine = states.filter((r) => r.root === folder.root);
      const restore = mine.filter((r) => r.change.kind !== 'added').map((r) => r.change.path);
      const remove = mine.filter((r) => r.change.kind === 'added').map((r) => r.change.path);
      const all = [...restore, ...remove];
      const shown = all.slice(0, LIST_IN_MODAL).map((p) => `• ${p}`);
      if (all.length > LIST_IN_MODAL) shown.push(vscode.l10n.t('… and {0} more', formatNumber(all.length - LIST_IN_MODAL)));
      const short = trackedShortRef(folder.tracking);
      const question =
        all.length === 1
          ? remove.length === 1
            ? vscode.l10n.t('Delete {0}? It is not in {1}, so this cannot be undone.', all[0]!, short)
            : vscode.l10n.t('Discard the changes to {0}? It is restored from {1}.', all[0]!, short)
          : vscode.l10n.t('Discard the changes to {0} files? Changed and deleted files are restored from {1}; files not in it are deleted.', formatNumber(all.length), short);
      const ok = await vscode.window.showWarningMessage(question, { modal: true, detail: all.length > 1 ? shown.join('\n') : undefined }, remove.length === all.length && all.length === 1 ? vscode.l10n.t('Delete File') : vscode.l10n.t('Discard Changes'));
      if (!ok) return;
      const version = await trackedVersion(registryOf(folder), folder.tracking);
      await withProgress(vscode.l10n.t('Discarding changes in {0}', vscode.workspace.asRelativePath(folder.root)), async (signal) => {
        for (const p of restore) await version.download(folder.root, { pathPrefix: p, signal });
        for (const p of remove) await fsp.rm(fileOf(folder.root, p), { force: true });
      });
      await folder.refresh();
    }),

    registerCommand(COMMANDS.scmDiscardAll, (m) => vscode.l10n.t('Could not discard the changes: {0}', m), async (arg?: unknown) => {
      const folder = folderOrThrow(tracked, arg);
      const version = await trackedVersion(registryOf(folder), folder.tracking);
      const question = vscode.l10n.t('Discard all changes in {0}? It is checked out as {1} again.', vscode.workspace.asRelativePath(folder.root), trackedShortRef(folder.tracking));
      if (await checkoutWithConsent(version, folder.root, { question, always: true })) await folder.refresh();
    }),

    registerCommand(COMMANDS.scmSwitchVersion, (m) => vscode.l10n.t('Could not switch the version: {0}', m), async (arg?: unknown) => {
      const folder = folderOrThrow(tracked, arg);
      const registry = registryOf(folder);
      const t = folder.tracking;
      const versions = await registry.listVersions({ entity: t.entity, project: t.project, collection: t.collection });
      const pick = await vscode.window.showQuickPick(versionChoices(versions, t), { placeHolder: vscode.l10n.t('Check out which version of {0} into {1}?', t.collection, vscode.workspace.asRelativePath(folder.root)), matchOnDescription: true, matchOnDetail: true });
      if (!pick || pick.current) return;
      const chosen = versions.find((v) => v.version === pick.version);
      if (!chosen) throw new NotFoundError(vscode.l10n.t('{0} has no version {1}', t.collection, pick.version));
      await chosen.loadManifest();
      const changes = folder.status && !folder.status.clean;
      const question = vscode.l10n.t('Switch {0} to {1}?', vscode.workspace.asRelativePath(folder.root), `${t.collection}:${pick.version}`);
      if (await checkoutWithConsent(chosen, folder.root, { question, always: Boolean(changes) })) await folder.refresh();
    }),

    registerCommand(COMMANDS.scmRefresh, (m) => vscode.l10n.t('Could not refresh: {0}', m), async (arg?: unknown) => {
      if (arg === undefined && tracked.all().length > 1) await Promise.all(tracked.all().map((f) => f.refresh()));
      else await folderOrThrow(tracked, arg).refresh();
    }),

    registerCommand(COMMANDS.revealTrackedVersion, (m) => vscode.l10n.t('Could not show the tracked version: {0}', m), async (arg?: unknown) => {
      const folder = folderOrThrow(tracked, arg);
      const node = await s.tree.findVersionIn(folder.registryKey, folder.ref);
      if (!node) {
        void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not in a registry of the Artifacts view (settings artifacts.registry and artifacts.registries).', folder.ref));
        return;
      }
      await s.treeView.reveal(node, { select: true, focus: true, expand: true });
    }),
  ];
}
