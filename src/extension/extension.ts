/**
 * The composition root: activate() builds the services once, registers views, commands and
 * providers, and hands every disposable to the extension context. Activation is lazy (views and
 * commands) and does no registry I/O of its own beyond one stat of the registry folder (to choose
 * its watcher): the tree loads when it is shown.
 */
import * as vscode from 'vscode';
import { setWarningHandler } from '../core/warnings';
import { setRunCommand } from '../registry/lineage';
import { registerDraftCommands } from './commands/drafts';
import { registerManageCommands } from './commands/manage';
import type { Services } from './commands/services';
import { registerVersionCommands } from './commands/versions';
import { ArtifactFileSystem } from './fs/artifact-fs';
import { SCHEME } from './fs/artifact-uri';
import { DraftStore } from './model/draft-store';
import type { TreeNode } from './model/tree-model';
import { VerifyResults } from './model/verify-results';
import { RegistryService } from './services/registry-service';
import { log, setOutput } from './ui';
import { DraftsTreeProvider, type DraftTreeNode } from './views/drafts-view';
import { RegistryTreeProvider } from './views/registry-view';
import { VerificationTreeProvider } from './views/verification-view';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Artifacts', { log: true });
  setOutput(output);
  setWarningHandler((message) => output.warn(message));
  setRunCommand(`VS Code ${vscode.version} (Artifacts extension, ${vscode.env.appName})`);

  const registry = new RegistryService();
  const tree = new RegistryTreeProvider(registry);
  const treeView = vscode.window.createTreeView<TreeNode>('artifacts.registry', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const drafts = new DraftStore(context.workspaceState);
  const draftsProvider = new DraftsTreeProvider(drafts);
  const draftsView = vscode.window.createTreeView<DraftTreeNode>('artifacts.drafts', { treeDataProvider: draftsProvider });
  const verifyResults = new VerifyResults();
  const verification = new VerificationTreeProvider(verifyResults);

  const services: Services = { context, registry, tree, treeView, drafts, draftsView, verifyResults };
  context.subscriptions.push(
    output,
    registry,
    tree,
    treeView,
    draftsProvider,
    draftsView,
    verification,
    vscode.window.createTreeView('artifacts.verification', { treeDataProvider: verification }),
    vscode.window.registerFileDecorationProvider(verification),
    vscode.workspace.registerFileSystemProvider(SCHEME, new ArtifactFileSystem(registry), { isReadonly: true, isCaseSensitive: true }),
    ...registerDraftCommands(services),
    ...registerVersionCommands(services),
    ...registerManageCommands(services),
  );
  log(`Artifacts activated; registry ${registry.registry.location}`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
