/** Staging from the Explorer, the Drafts view, and committing a draft. */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { validateAliases, validateArtifactName, validateLogicalPath, validateMetadata, validateTags, validateType } from '../../core/validate';
import { commitDraft } from '../model/commit';
import { planSources, type Draft } from '../model/draft-store';
import { askValidated, command, describeCounts, splitList, withProgress } from '../ui';
import type { DraftTreeNode } from '../views/drafts-view';
import { versionArg, type Services } from './services';

const COMMON_TYPES = ['dataset', 'model'];

async function askNameAndType(s: Services, defaultName = ''): Promise<{ name: string; type: string } | undefined> {
  const name = await askValidated({ prompt: 'Artifact name (the collection to log into)', value: defaultName, placeHolder: 'e.g. mnist-images' }, (v) => validateArtifactName(v.trim()));
  if (!name) return undefined;
  const existing = (await s.registry.registry.listCollections().catch(() => [])).find((c) => c.collection === name);
  if (existing) return { name, type: existing.type }; // a collection keeps its type
  const pick = await vscode.window.showQuickPick([...COMMON_TYPES, 'Other…'], { placeHolder: `Type of ${name}`, ignoreFocusOut: true });
  if (!pick) return undefined;
  const type = pick === 'Other…' ? await askValidated({ prompt: 'Artifact type', placeHolder: 'e.g. evaluation' }, (v) => validateType(v.trim(), name)) : pick;
  return type ? { name, type } : undefined;
}

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
  const node = arg as DraftTreeNode | undefined;
  return node && 'draft' in node ? node.draft : undefined;
}

async function commit(s: Services, draft: Draft): Promise<void> {
  if (draft.sources.length === 0 && !draft.base) throw new ValidationError(`${draft.name} has nothing staged: add files or folders from the Explorer first`);
  const aliases = await askValidated({ prompt: `Aliases for the new version of ${draft.name} (comma-separated; 'latest' is added for you)`, placeHolder: 'e.g. best, candidate' }, (v) => validateAliases(splitList(v)));
  if (aliases === undefined) return;
  const tags = await askValidated({ prompt: 'Tags (comma-separated)', placeHolder: 'e.g. cleaned, v2 labels' }, (v) => validateTags(splitList(v)));
  if (tags === undefined) return;
  const description = await vscode.window.showInputBox({ prompt: 'Description (markdown, optional)', ignoreFocusOut: true });
  if (description === undefined) return;
  const metadata = await askValidated({ prompt: 'Metadata as a JSON object (optional)', placeHolder: '{"rows": 1000, "source": "survey"}' }, (v) => validateMetadata(v.trim()));
  if (metadata === undefined) return;
  const result = await withProgress(`Committing ${draft.name}`, (signal, report) =>
    commitDraft(s.registry.registry, draft, { aliases, tags, description: description.trim() || null, metadata }, {
      signal,
      onProgress: (p) => report(describeCounts(p.phase === 'hashing' ? 'hashing' : 'storing', p), p.totalBytes ? p.bytes / p.totalBytes : undefined),
    }),
  );
  await s.drafts.delete(draft.id);
  s.tree.refresh();
  const ref = result.artifact.qualifiedName;
  if (result.deduplicated) {
    void vscode.window.showInformationMessage(`No new version: the content of ${draft.name} equals ${ref}. Its aliases and tags were updated.`);
  } else {
    void vscode.window.showInformationMessage(`Logged ${ref} (${result.artifact.fileCount} files).`);
  }
  const node = await s.tree.findVersion(ref);
  if (node) await s.treeView.reveal(node, { select: true, focus: true, expand: false });
}

export function registerDraftCommands(s: Services): vscode.Disposable[] {
  return [
    command('artifacts.addToDraft', 'add to a draft', async (clicked?: vscode.Uri, selected?: vscode.Uri[]) => {
      const uris = selected?.length ? selected : clicked ? [clicked] : vscode.window.activeTextEditor ? [vscode.window.activeTextEditor.document.uri] : [];
      const files = uris.filter((u) => u.scheme === 'file');
      if (files.length === 0) throw new ValidationError('Select files or folders in the Explorer to add them to a draft');
      const selection = await Promise.all(files.map(async (u) => ({ localPath: u.fsPath, kind: (await fsp.stat(u.fsPath)).isDirectory() ? ('folder' as const) : ('file' as const) })));
      const chosen = await pickDraft(s, `Add ${files.length === 1 ? vscode.workspace.asRelativePath(files[0]!) : `${files.length} items`} to…`, { allowNew: true });
      if (!chosen) return;
      let draft = chosen;
      if (draft === 'new') {
        const nt = await askNameAndType(s, selection.length === 1 ? selection[0]!.localPath.split(/[\\/]/).pop()!.replace(/[^A-Za-z0-9_.-]/g, '-') : '');
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
      void vscode.window.showInformationMessage(`Staged ${files.length} item${files.length === 1 ? '' : 's'} in the draft ${updated.name}.`, 'Commit…').then((c) => {
        if (c) void vscode.commands.executeCommand('artifacts.commitDraft', { kind: 'draft', draft: s.drafts.get(updated.id) });
      });
    }),

    command('artifacts.newDraft', 'create a draft', async () => {
      const nt = await askNameAndType(s);
      if (nt) await s.drafts.create(nt.name, nt.type);
    }),

    command('artifacts.newDraftFromVersion', 'start a draft from a version', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Start a new draft from…');
      if (!a) return;
      const draft = await s.drafts.create(a.sourceCollection, a.type, a.sourceQualifiedName);
      await s.draftsView.reveal({ kind: 'draft', draft }, { select: true, expand: true });
      void vscode.window.showInformationMessage(`Draft ${draft.name} starts from ${a.sourceQualifiedName}: stage files from the Explorer, then commit.`);
    }),

    command('artifacts.removeDraftEntry', 'remove from the draft', async (node?: DraftTreeNode) => {
      if (node?.kind === 'source') await s.drafts.removeSource(node.draft.id, node.source.target, node.source.kind);
      else if (node?.kind === 'removed') await s.drafts.restoreToBase(node.draft.id, node.path);
    }),

    command('artifacts.removeFromBase', 'remove a path of the base version', async (node?: DraftTreeNode) => {
      const draft = draftArg(node);
      if (!draft?.base) return;
      const base = await s.registry.registry.get(draft.base);
      const p = await askValidated({ prompt: `File or folder of ${draft.base} to leave out of the new version`, placeHolder: 'e.g. raw/old.csv or raw' }, (v) => {
        const logical = validateLogicalPath(v.trim());
        const m = base.manifest;
        if (!m.has(logical) && m.entriesUnder(logical).length === 0) throw new ValidationError(`${draft.base} has no file or folder ${logical}`);
        return logical;
      });
      if (p) await s.drafts.removeFromBase(draft.id, p);
    }),

    command('artifacts.deleteDraft', 'discard the draft', async (arg?: unknown) => {
      const draft = draftArg(arg) ?? (await pickDraft(s, 'Discard which draft?', { allowNew: false }));
      if (!draft || draft === 'new') return;
      const ok = await vscode.window.showWarningMessage(`Discard the draft ${draft.name} and its ${draft.sources.length} staged entries? Your files are not touched.`, { modal: true }, 'Discard');
      if (ok) await s.drafts.delete(draft.id);
    }),

    command('artifacts.commitDraft', 'commit the draft', async (arg?: unknown) => {
      const draft = draftArg(arg) ?? (await pickDraft(s, 'Commit which draft?', { allowNew: false }));
      if (!draft || draft === 'new') return;
      await commit(s, s.drafts.get(draft.id));
    }),

    command('artifacts.logFolder', 'log a folder', async () => {
      const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Log as artifact', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      if (!chosen?.length) return;
      await vscode.commands.executeCommand('artifacts.addToDraft', chosen[0], chosen);
    }),
  ];
}
