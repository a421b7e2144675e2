/** Staging from the Explorer, the Drafts view, committing a draft, and logging files at once. */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
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
  const items: Array<vscode.QuickPickItem & { draft?: Draft }> = drafts.map((d) => ({ label: d.name, description: `${d.type} · ${d.sources.length} staged${d.base ? ` · from ${d.base}` : ''}`, draft: d }));
  if (allowNew) items.push({ label: '$(add) New Draft…' });
  const pick = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  if (!pick) return undefined;
  return pick.draft ?? 'new';
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

/** Asks for the new version's details and logs the draft; the draft goes once it is logged. */
async function commit(s: Services, draft: Draft): Promise<void> {
  if (draft.sources.length === 0 && !draft.base) throw new ValidationError(`${draft.name} has nothing staged: add files or folders from the Explorer first`);
  const input = await askVersionDetails(draft.name);
  if (!input) return;
  await logWithProgress(s, draft.name, (opts) => commitDraft(s.registry.current, draft, input, opts), () => s.drafts.delete(draft.id));
}

/** Stages files and folders into a new or existing draft at a chosen folder of the artifact. */
async function addToDraft(s: Services, selection: Selection): Promise<void> {
  const chosen = await pickDraft(s, `Add ${selection.length === 1 ? vscode.workspace.asRelativePath(selection[0]!.localPath) : `${selection.length} items`} to…`, { allowNew: true });
  if (!chosen) return;
  let draft = chosen;
  if (draft === 'new') {
    const nt = await askNameAndType(s, suggestedName(selection));
    if (!nt) return;
    draft = await s.drafts.create(nt.name, nt.type);
  }
  const single = selection.length === 1 && selection[0]!.kind === 'folder';
  const at = await askValidated(
    { prompt: single ? `Folder in ${draft.name} to put the contents under (empty: the root)` : `Folder in ${draft.name} to put the selection under (empty: the root)`, value: '' },
    (v) => (v.trim() === '' ? '' : validateLogicalPath(v.trim())),
  );
  if (at === undefined) return;
  const updated = await s.drafts.addSources(draft.id, planSources(selection, at));
  await s.draftsView.reveal({ kind: 'draft', draft: updated }, { select: true, expand: true });
  const n = selection.length;
  void vscode.window.showInformationMessage(`Staged ${n} item${n === 1 ? '' : 's'} in the draft ${updated.name}.`, 'Commit…').then(async (c) => {
    if (!c) return;
    await commit(s, s.drafts.get(updated.id)).catch((e: unknown) => reportError(e, 'commit the draft'));
  });
}

/** Picks files or a folder and logs them as a new version in one go: no draft in between. */
async function logFiles(s: Services): Promise<void> {
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Log as New Version', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!chosen?.length) return;
  const selection = await selectionOf(chosen);
  if (selection.length === 0) throw new ValidationError('Choose files or folders on this machine to log them');
  const nt = await askNameAndType(s, suggestedName(selection));
  if (!nt) return;
  const input = await askVersionDetails(nt.name);
  if (!input) return;
  await logWithProgress(s, nt.name, (opts) => logSelection(s.registry.current, nt.name, nt.type, selection, input, opts));
}

export function draftCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.addToDraft, 'add to a draft', async (clicked?: vscode.Uri, selected?: vscode.Uri[]) => {
      const uris = selected?.length ? selected : clicked ? [clicked] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
      const selection = await selectionOf(uris);
      if (selection.length === 0) throw new ValidationError('Select files or folders in the Explorer to add them to a draft');
      await addToDraft(s, selection);
    }),

    registerCommand(COMMANDS.logFiles, 'log files as a new version', () => logFiles(s)),

    registerCommand(COMMANDS.newDraft, 'create a draft', async () => {
      const nt = await askNameAndType(s);
      if (nt) await s.drafts.create(nt.name, nt.type);
    }),

    registerCommand(COMMANDS.newDraftFromVersion, 'start a draft from a version', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Start a new draft from…');
      if (!a) return;
      const draft = await s.drafts.create(a.sourceCollectionName, a.type, a.sourceQualifiedName);
      await s.draftsView.reveal({ kind: 'draft', draft }, { select: true, expand: true });
      void vscode.window.showInformationMessage(`Draft ${draft.name} starts from ${a.sourceQualifiedName}: stage files from the Explorer, then commit.`);
    }),

    registerCommand(COMMANDS.removeDraftEntry, 'remove from the draft', async (node?: DraftNode) => {
      if (node?.kind === 'source') await s.drafts.removeSource(node.draft.id, node.source.target, node.source.kind);
      else if (node?.kind === 'removed') await s.drafts.restoreToBase(node.draft.id, node.path);
    }),

    registerCommand(COMMANDS.removeFromBase, 'remove a path of the base version', async (node?: DraftNode) => {
      const draft = draftArg(node);
      if (!draft?.base) return;
      const base = await s.registry.current.get(draft.base);
      const p = await askValidated({ prompt: `File or folder of ${draft.base} to leave out of the new version`, placeHolder: 'e.g. raw/old.csv or raw' }, (v) => {
        const logical = validateLogicalPath(v.trim());
        const m = base.manifest;
        if (!m.has(logical) && m.entriesUnder(logical).length === 0) throw new ValidationError(`${draft.base} has no file or folder ${logical}`);
        return logical;
      });
      if (p) await s.drafts.removeFromBase(draft.id, p);
    }),

    registerCommand(COMMANDS.discardDraft, 'discard the draft', async (arg?: unknown) => {
      const draft = draftArg(arg) ?? (await pickDraft(s, 'Discard which draft?', { allowNew: false }));
      if (!draft || draft === 'new') return;
      const ok = await vscode.window.showWarningMessage(`Discard the draft ${draft.name} and its ${draft.sources.length} staged entries? Your files are not touched.`, { modal: true }, 'Discard');
      if (ok) await s.drafts.delete(draft.id);
    }),

    registerCommand(COMMANDS.commitDraft, 'commit the draft', async (arg?: unknown) => {
      const draft = draftArg(arg) ?? (await pickDraft(s, 'Commit which draft?', { allowNew: false }));
      if (!draft || draft === 'new') return;
      await commit(s, s.drafts.get(draft.id));
    }),
  ];
}
