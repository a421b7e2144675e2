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
import type { LineagePanels } from '../webview/lineage-panel';

export interface Services {
  context: vscode.ExtensionContext;
  registry: ConfiguredRegistry;
  tree: RegistryTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  drafts: DraftStore;
  draftsView: vscode.TreeView<DraftNode>;
  verifyResults: VerifyResults;
  diffPanels: DiffPanels;
  lineagePanels: LineagePanels;
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
export async function versionArg(s: Services, arg: unknown, placeHolder = vscode.l10n.t('Choose a version')): Promise<Artifact | undefined> {
  if (isVersionNode(arg)) return arg.artifact;
  const versions = await allVersions(s);
  if (versions.length === 0) throw new ValidationError(vscode.l10n.t('The registry has no versions yet: log one first'));
  const pick = await vscode.window.showQuickPick(
    versions.map((a) => ({ label: a.name, description: [a.aliases.join(', '), a.tags.join(', ')].filter(Boolean).join(' · '), detail: `${a.entity}/${a.project} · ${a.type}`, artifact: a })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return pick?.artifact;
}

/** What a folder is picked for: each words its prompts as a whole sentence. */
export type FolderPurpose = 'verify' | 'download' | 'checkout' | 'compare';

function folderPrompts(purpose: FolderPurpose, version: string): { placeHolder: string; openLabel: string } {
  switch (purpose) {
    case 'verify':
      return { placeHolder: vscode.l10n.t('Folder to verify against {0}', version), openLabel: vscode.l10n.t('Choose folder to verify against') };
    case 'download':
      return { placeHolder: vscode.l10n.t('Folder to download {0}', version), openLabel: vscode.l10n.t('Choose folder to download') };
    case 'checkout':
      return { placeHolder: vscode.l10n.t('Folder to check out into {0}', version), openLabel: vscode.l10n.t('Choose folder to check out into') };
    case 'compare':
      return { placeHolder: vscode.l10n.t('Folder to compare with {0}', version), openLabel: vscode.l10n.t('Choose folder to compare with') };
  }
}

/**
 * A folder to verify, check out or download into: the version's usual download folder in each
 * workspace folder (where `artifacts download` run there writes), the workspace folders
 * themselves, or any folder.
 */
export async function folderFor(artifact: Artifact, purpose: FolderPurpose, { mustExist }: { mustExist: boolean }): Promise<string | undefined> {
  const prompts = folderPrompts(purpose, artifact.qualifiedName);
  const items: Array<vscode.QuickPickItem & { folder?: string }> = [];
  for (const ws of vscode.workspace.workspaceFolders ?? []) {
    const usual = usualDownloadFolder(artifact, ws.uri.fsPath);
    if (!mustExist || existsSync(usual)) items.push({ label: vscode.workspace.asRelativePath(usual), description: vscode.l10n.t('the usual download folder'), folder: usual });
  }
  for (const ws of vscode.workspace.workspaceFolders ?? []) items.push({ label: ws.name, description: ws.uri.fsPath, folder: ws.uri.fsPath });
  items.push({ label: vscode.l10n.t('$(folder-opened) Browse…') });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: prompts.placeHolder, ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.folder) return pick.folder;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: prompts.openLabel });
  return chosen?.[0]?.fsPath;
}

/**
 * The registry row (its key; undefined: the default registry) of the versions a compare command was
 * given: both sides of a compare must come from the same row.
 */
export function registryKeyOf(...args: unknown[]): string | undefined {
  const nodes = args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter(isVersionNode);
  const keys = new Set(nodes.map((n) => n.registryKey));
  if (keys.size > 1) throw new ValidationError(vscode.l10n.t('Choose two versions of the same registry to compare them'));
  return nodes[0]?.registryKey;
}

/** The collection a version belongs to (a link: its collection of links). */
export function collectionOf(a: Artifact): { entity: string; project: string; collection: string } {
  return { entity: a.entity, project: a.project, collection: a.collectionName };
}

/** The source collection of a version (itself, unless a link). */
export function sourceCollectionOf(a: Artifact): { entity: string; project: string; collection: string } {
  return { entity: a.sourceEntity, project: a.sourceProject, collection: a.sourceCollectionName };
}
