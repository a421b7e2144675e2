/** What the commands work with, built once by activate(). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import type { DraftStore } from '../model/draft-store';
import type { TreeNode, VersionNode } from '../model/tree-model';
import type { VerifyResults } from '../model/verify-results';
import type { RegistryService } from '../services/registry-service';
import type { DraftTreeNode } from '../views/drafts-view';
import type { RegistryTreeProvider } from '../views/registry-view';

export interface Services {
  context: vscode.ExtensionContext;
  registry: RegistryService;
  tree: RegistryTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  drafts: DraftStore;
  draftsView: vscode.TreeView<DraftTreeNode>;
  verifyResults: VerifyResults;
}

export function isVersionNode(x: unknown): x is VersionNode {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'version';
}

/** Every live version of the registry, newest first within a collection. */
async function allVersions(s: Services): Promise<Artifact[]> {
  const reg = s.registry.registry;
  const out: Artifact[] = [];
  for (const entity of await reg.listEntities()) {
    for (const project of await reg.listProjects(entity)) {
      for (const c of await reg.listCollections(entity, project)) out.push(...(await reg.listVersions(c)));
    }
  }
  return out;
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
 * workspace folder, the workspace folders themselves, or any folder.
 */
export async function folderFor(s: Services, artifact: Artifact, purpose: string, { mustExist }: { mustExist: boolean }): Promise<string | undefined> {
  const items: Array<vscode.QuickPickItem & { folder?: string }> = [];
  for (const ws of vscode.workspace.workspaceFolders ?? []) {
    const usual = path.join(ws.uri.fsPath, 'artifacts', `${artifact.sourceCollection}-${artifact.sourceVersion}`);
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
