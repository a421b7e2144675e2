/**
 * The composition root: activate() builds the services once, registers views, commands and
 * providers, and hands every disposable to the extension context, in one list: the output channel,
 * the registry and its watcher, the views and their models' subscriptions, the file system, the
 * commands, the open diff panels (closed when the extension deactivates) and the content diff
 * worker. Activation is lazy (views and commands) and does no registry I/O of its own beyond one
 * stat of the registry folder (to choose its watcher): the tree loads when it is shown. The content
 * differs and their decoders are not even loaded here: they live in dist/content-worker.js, a worker
 * thread started on the first content diff.
 */
import * as vscode from 'vscode';
import { ContentDiffWorker } from '../content/worker-client';
import { useLanguage, type MessageBundle } from '../core/l10n';
import { setWarningHandler } from '../core/warnings';
import { setRunCommand } from '../registry/lineage';
import { draftCommands } from './commands/drafts';
import { VIEWS } from './commands/ids';
import { manageCommands } from './commands/manage';
import type { Services } from './commands/services';
import { versionCommands } from './commands/versions';
import { registryCommands } from './commands/registries';
import { trackedCommands } from './commands/tracked';
import { ArtifactFileSystem } from './fs/artifact-fs';
import { SCHEME } from './fs/artifact-uri';
import { DraftStore } from './model/draft-store';
import type { DraftNode } from './model/drafts-model';
import type { TreeNode } from './model/tree-model';
import type { VerificationNode } from './model/verification-model';
import { VerifyResults } from './model/verify-results';
import { TrackedFolders } from './scm/tracked-scm';
import { ConfiguredRegistry } from './services/configured-registry';
import { output, useOutputChannel } from './ui/output';
import { DraftsTreeProvider } from './views/drafts-view';
import { RegistryTreeProvider } from './views/registry-view';
import { VerificationTreeProvider } from './views/verification-view';
import { DiffPanels } from './webview/diff-panel';
import { LineagePanels } from './webview/lineage-panel';

export function activate(context: vscode.ExtensionContext): void {
  // First: the library's and the view models' messages (@vscode/l10n) and numbers in VS Code's
  // language, from this extension's bundle for it (the same English keys as vscode.l10n.t).
  useLanguage(vscode.env.language, vscode.l10n.bundle as MessageBundle | undefined);
  const track = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };

  const channel = track(vscode.window.createOutputChannel('Artifacts', { log: true })); // l10n-ignore: the extension's name
  useOutputChannel(channel);
  track({ dispose: () => useOutputChannel(undefined) });
  const previousWarningHandler = setWarningHandler((message) => output.warn(message));
  track({ dispose: () => void setWarningHandler(previousWarningHandler) });
  // l10n-ignore: recorded in the registry's lineage as the run's command, like a command line
  setRunCommand(`VS Code ${vscode.version} (Artifacts extension, ${vscode.env.appName})`);

  // Credentials typed for registries in buckets live in SecretStorage only (services/configured-registry.ts).
  const registry = track(new ConfiguredRegistry(context.secrets));
  const tree = track(new RegistryTreeProvider(registry));
  const treeView = track(vscode.window.createTreeView<TreeNode>(VIEWS.registry, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true }));
  const drafts = new DraftStore(context.workspaceState);
  const draftsProvider = track(new DraftsTreeProvider(drafts));
  const draftsView = track(vscode.window.createTreeView<DraftNode>(VIEWS.drafts, { treeDataProvider: draftsProvider }));
  const verifyResults = new VerifyResults();
  const verification = track(new VerificationTreeProvider(verifyResults));
  track(vscode.window.createTreeView<VerificationNode>(VIEWS.verification, { treeDataProvider: verification }));
  track(vscode.window.registerFileDecorationProvider(verification));
  const fileSystem = track(new ArtifactFileSystem(registry));
  track(vscode.workspace.registerFileSystemProvider(SCHEME, fileSystem, { isReadonly: true, isCaseSensitive: true }));
  const contentWorker = new ContentDiffWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'content-worker.js').fsPath);
  track({ dispose: () => void contentWorker.dispose() });
  // Started on the first content diff; stopped with the extension (pending diffs then fail, unseen).
  const diffPanels = track(new DiffPanels(context.extensionUri, registry, contentWorker));

  // A version clicked in a lineage graph is revealed in the Registry view (in its registry's row).
  const lineagePanels = track(
    new LineagePanels(context.extensionUri, async (ref, registryKey) => {
      const node = await tree.findVersionIn(registryKey, ref);
      if (!node) throw new Error(vscode.l10n.t('{0} is not in the Registry view', ref));
      await treeView.reveal(node, { select: true, focus: true, expand: false });
    }),
  );

  const services: Services = { context, registry, tree, treeView, drafts, draftsView, verifyResults, diffPanels, lineagePanels };
  // Folders of the workspace that track a version (.artifact.json) in Source Control, and the status bar.
  const trackedFolders = track(new TrackedFolders(registry));
  for (const d of [...draftCommands(services), ...versionCommands(services), ...manageCommands(services), ...registryCommands(services), ...trackedCommands(services, trackedFolders)]) track(d);
  output.info(vscode.l10n.t('Artifacts activated; registry {0}', registry.current.location));
}

export function deactivate(): void {
  // Everything, open diff panels included, is disposed through context.subscriptions.
}
