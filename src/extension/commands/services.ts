/** What the commands work with, built once by activate(), and the arguments they ask for. */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import { usualDownloadFolder } from '../model/download-folder';
import type { DraftStore } from '../model/draft-store';
import type { DraftNode } from '../model/drafts-model';
import type { TreeNode, VersionNode } from '../model/tree-model';
import type { VerifyResults } from '../model/verify-results';
import type { ConfiguredRegistry } from '../services/configured-registry';
import type { RegistryTreeProvider } from '../views/registry-view';
import type { DiffPanels } from '../webview/diff-panel';

export interface Services {
  context: vscode.ExtensionContext;
  registry: ConfiguredRegistry;
  tree: RegistryTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  drafts: DraftStore;
  draftsView: vscode.TreeView<DraftNode>;
  verifyResults: VerifyResults;
  diffPanels: DiffPanels;
}

export function isVersionNode(x: unknown): x is VersionNode {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'version';
}

/** Every live version of the registry, newest first within a collection, in one walk. */
async function allVersions(s: Services): Promise<Artifact[]> {
  const registry = s.registry.current;
  const lists: Array<Promise<Artifact[]>> = [];
  for await (const c of registry.allCollections()) lists.push(registry.listVersions(c));
  return (await Promise.all(lists)).flat();
}

/** The version a command was invoked on, or one the user picks (from the command palette). */
export async function versionArg(s: Services, arg: unknown, placeHolder = 'Choose a version'): Promise<Artifact | undefined> {
  if (isVersionNode(arg)) return arg.artifact;
  const versions = await allVersions(s);
  if (versions.length === 0) throw new ValidationError('The registry has no versions yet: log one first');
  const pick = await vscode.window.showQuickPick(
    versions.map((a) => ({ label: a.name, description: [a.aliases.join(', '), a.tags.join(', ')].filter(Boolean).join(' · '), detail: `${a.entity}/${a.project} · ${a.type}`, artifact: a })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return pick?.artifact;
}

/**
 * A folder to verify, check out or download into: the version's usual download folder in each
 * workspace folder (where `artifacts download` run there writes), the workspace folders
 * themselves, or any folder.
 */
export async function folderFor(artifact: Artifact, purpose: string, { mustExist }: { mustExist: boolean }): Promise<string | undefined> {
  const items: Array<vscode.QuickPickItem & { folder?: string }> = [];
  for (const ws of vscode.workspace.workspaceFolders ?? []) {
    const usual = usualDownloadFolder(artifact, ws.uri.fsPath);
    if (!mustExist || existsSync(usual)) items.push({ label: vscode.workspace.asRelativePath(usual), description: 'the usual download folder', folder: usual });
  }
  for (const ws of vscode.workspace.workspaceFolders ?? []) items.push({ label: ws.name, description: ws.uri.fsPath, folder: ws.uri.fsPath });
  items.push({ label: '$(folder-opened) Browse…' });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: `Folder to ${purpose} ${artifact.qualifiedName}`, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.folder) return pick.folder;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: `Choose folder to ${purpose}` });
  return chosen?.[0]?.fsPath;
}

/**
 * Refuses versions of other registry rows than the default one, for commands that look versions up
 * by name in the default registry (the compare view): they would show another version, or none.
 */
export function onlyDefaultRegistry(...args: unknown[]): void {
  const nodes = args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter(isVersionNode);
  const other = nodes.find((n) => n.registryKey !== undefined);
  if (other) throw new ValidationError(`${other.artifact.qualifiedName} is in another registry: comparing works on the default registry's versions. Pull it to the local registry first (Pull to Local Registry)`);
}

/** The collection a version belongs to (a link: its collection of links). */
export function collectionOf(a: Artifact): { entity: string; project: string; collection: string } {
  return { entity: a.entity, project: a.project, collection: a.collectionName };
}

/** The source collection of a version (itself, unless a link). */
export function sourceCollectionOf(a: Artifact): { entity: string; project: string; collection: string } {
  return { entity: a.sourceEntity, project: a.sourceProject, collection: a.sourceCollectionName };
}
