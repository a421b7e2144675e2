/** Staging from the Explorer, the Drafts view, committing a draft, and logging files at once. */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { formatNumber } from '../../core/l10n';
import { validateLogicalPath } from '../../core/validate';
import { commitDraft, logSelection } from '../model/commit';
import { planSources, type Draft, type DraftSource } from '../model/draft-store';
import type { DraftNode } from '../model/drafts-model';
import { reportError } from '../ui/errors';
import { askValidated } from '../ui/input';
import { COMMANDS } from './ids';
import { askNameAndType, askVersionDetails, logWithProgress } from './log-flow';
import { registerCommand } from './register';
import { versionArg, type Services } from './services';

type Selection = Array<{ localPath: string; kind: DraftSource['kind'] }>;

async function pickDraft(s: Services, placeHolder: string, { allowNew }: { allowNew: boolean }): Promise<Draft | 'new' | undefined> {
  const drafts = s.drafts.list();
  if (drafts.length === 0 && allowNew) return 'new';
  const items: Array<vscode.QuickPickItem & { draft?: Draft }> = drafts.map((d) => ({ label: d.name, description: draftSummary(d), draft: d }));
  if (allowNew) items.push({ label: vscode.l10n.t('$(add) New Draft…') });
  const pick = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  if (!pick) return undefined;
  return pick.draft ?? 'new';
}

/** `dataset · 3 staged · from entity/project/name:v2` */
function draftSummary(d: Draft): string {
  const staged = formatNumber(d.sources.length);
  return d.base ? vscode.l10n.t('{0} · {1} staged · from {2}', d.type, staged, d.base) : vscode.l10n.t('{0} · {1} staged', d.type, staged);
}

function draftArg(arg: unknown): Draft | undefined {
  const node = arg as DraftNode | undefined;
  return node && typeof node === 'object' && 'draft' in node ? node.draft : undefined;
}

/** Files and folders on disk, each marked file or folder. */
async function selectionOf(uris: readonly vscode.Uri[]): Promise<Selection> {
  const files = uris.filter((u) => u.scheme === 'file');
  return Promise.all(files.map(async (u) => ({ localPath: u.fsPath, kind: (await fsp.stat(u.fsPath)).isDirectory() ? ('folder' as const) : ('file' as const) })));
}

/** A collection name suggested by one picked file or folder. */
function suggestedName(selection: Selection): string {
  return selection.length === 1 ? selection[0]!.localPath.split(/[\\/]/).pop()!.replace(/[^A-Za-z0-9_.-]/g, '-') : '';
}

const commitFailed = (reason: string) => vscode.l10n.t('Could not commit the draft: {0}', reason);

/** Asks for the new version's details and logs the draft; the draft goes once it is logged. */
async function commit(s: Services, draft: Draft): Promise<void> {
  if (draft.sources.length === 0 && !draft.base) throw new ValidationError(vscode.l10n.t('{0} has nothing staged: add files or folders from the Explorer first', draft.name));
  const input = await askVersionDetails(draft.name);
  if (!input) return;
  await logWithProgress(s, draft.name, (opts) => commitDraft(s.registry.current, draft, input, opts), () => s.drafts.delete(draft.id));
}

/** Stages files and folders into a new or existing draft at a chosen folder of the artifact. */
async function addToDraft(s: Services, selection: Selection): Promise<void> {
  const what = selection.length === 1 ? vscode.l10n.t('Add {0} to…', vscode.workspace.asRelativePath(selection[0]!.localPath)) : vscode.l10n.t('Add {0} items to…', formatNumber(selection.length));
  const chosen = await pickDraft(s, what, { allowNew: true });
  if (!chosen) return;
  let draft = chosen;
  if (draft === 'new') {
    const nt = await askNameAndType(s, suggestedName(selection));
    if (!nt) return;
    draft = await s.drafts.create(nt.name, nt.type);
  }
  const single = selection.length === 1 && selection[0]!.kind === 'folder';
  const at = await askValidated(
    { prompt: single ? vscode.l10n.t('Folder in {0} to put the contents under (empty: the root)', draft.name) : vscode.l10n.t('Folder in {0} to put the selection under (empty: the root)', draft.name), value: '' },
    (v) => (v.trim() === '' ? '' : validateLogicalPath(v.trim())),
  );
  if (at === undefined) return;
  const updated = await s.drafts.addSources(draft.id, planSources(selection, at));
  await s.draftsView.reveal({ kind: 'draft', draft: updated }, { select: true, expand: true });
  const n = selection.length;
  const staged = n === 1 ? vscode.l10n.t('Staged 1 item in the draft {0}.', updated.name) : vscode.l10n.t('Staged {0} items in the draft {1}.', formatNumber(n), updated.name);
  void vscode.window.showInformationMessage(staged, vscode.l10n.t('Commit…')).then(async (c) => {
    if (!c) return;
    await commit(s, s.drafts.get(updated.id)).catch((e: unknown) => reportError(e, commitFailed));
  });
}

/** Picks files or a folder and logs them as a new version in one go: no draft in between. */
async function logFiles(s: Services): Promise<void> {
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: vscode.l10n.t('Log as New Version'), defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!chosen?.length) return;
  const selection = await selectionOf(chosen);
  if (selection.length === 0) throw new ValidationError(vscode.l10n.t('Choose files or folders on this machine to log them'));
  const nt = await askNameAndType(s, suggestedName(selection));
  if (!nt) return;
  const input = await askVersionDetails(nt.name);
  if (!input) return;
  await logWithProgress(s, nt.name, (opts) => logSelection(s.registry.current, nt.name, nt.type, selection, input, opts));
}

export function draftCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.addToDraft, (m) => vscode.l10n.t('Could not add to a draft: {0}', m), async (clicked?: vscode.Uri, selected?: vscode.Uri[]) => {
      const uris = selected?.length ? selected : clicked ? [clicked] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
      const selection = await selectionOf(uris);
      if (selection.length === 0) throw new ValidationError(vscode.l10n.t('Select files or folders in the Explorer to add them to a draft'));
      await addToDraft(s, selection);
    }),

    registerCommand(COMMANDS.logFiles, (m) => vscode.l10n.t('Could not log files as a new version: {0}', m), () => logFiles(s)),

    registerCommand(COMMANDS.newDraft, (m) => vscode.l10n.t('Could not create a draft: {0}', m), async () => {
      const nt = await askNameAndType(s);
      if (nt) await s.drafts.create(nt.name, nt.type);
    }),

    registerCommand(COMMANDS.newDraftFromVersion, (m) => vscode.l10n.t('Could not start a draft from a version: {0}', m), async (arg?: unknown) => {
      const a = await versionArg(s, arg, vscode.l10n.t('Start a new draft from…'));
      if (!a) return;
      const draft = await s.drafts.create(a.sourceCollectionName, a.type, a.sourceQualifiedName);
      await s.draftsView.reveal({ kind: 'draft', draft }, { select: true, expand: true });
      void vscode.window.showInformationMessage(vscode.l10n.t('Draft {0} starts from {1}: stage files from the Explorer, then commit.', draft.name, a.sourceQualifiedName));
    }),

    registerCommand(COMMANDS.removeDraftEntry, (m) => vscode.l10n.t('Could not remove from the draft: {0}', m), async (node?: DraftNode) => {
      if (node?.kind === 'source') await s.drafts.removeSource(node.draft.id, node.source.target, node.source.kind);
      else if (node?.kind === 'removed') await s.drafts.restoreToBase(node.draft.id, node.path);
    }),

    registerCommand(COMMANDS.removeFromBase, (m) => vscode.l10n.t('Could not remove a path of the base version: {0}', m), async (node?: DraftNode) => {
      const draft = draftArg(node);
      if (!draft?.base) return;
      const base = await s.registry.current.get(draft.base);
      const p = await askValidated({ prompt: vscode.l10n.t('File or folder of {0} to leave out of the new version', draft.base), placeHolder: vscode.l10n.t('e.g. raw/old.csv or raw') }, (v) => {
        const logical = validateLogicalPath(v.trim());
        const m = base.manifest;
        if (!m.has(logical) && m.entriesUnder(logical).length === 0) throw new ValidationError(vscode.l10n.t('{0} has no file or folder {1}', draft.base!, logical));
        return logical;
      });
      if (p) await s.drafts.removeFromBase(draft.id, p);
    }),

    registerCommand(COMMANDS.discardDraft, (m) => vscode.l10n.t('Could not discard the draft: {0}', m), async (arg?: unknown) => {
      const draft = draftArg(arg) ?? (await pickDraft(s, vscode.l10n.t('Discard which draft?'), { allowNew: false }));
      if (!draft || draft === 'new') return;
      const n = draft.sources.length;
      const question =
        n === 1
          ? vscode.l10n.t('Discard the draft {0} and its 1 staged entry? Your files are not touched.', draft.name)
          : vscode.l10n.t('Discard the draft {0} and its {1} staged entries? Your files are not touched.', draft.name, formatNumber(n));
      const ok = await vscode.window.showWarningMessage(question, { modal: true }, vscode.l10n.t('Discard'));
      if (ok) await s.drafts.delete(draft.id);
    }),

    registerCommand(COMMANDS.commitDraft, commitFailed, async (arg?: unknown) => {
      const draft = draftArg(arg) ?? (await pickDraft(s, vscode.l10n.t('Commit which draft?'), { allowNew: false }));
      if (!draft || draft === 'new') return;
      await commit(s, s.drafts.get(draft.id));
    }),
  ];
}
