/**
 * Tracked folders in VS Code's Source Control view: one SourceControl per folder of the workspace
 * that holds a `.artifact.json` (found at start and followed by a watcher), with the groups
 * Modified, Added and Deleted of its status against the tracked version (app/tracked-folder.ts),
 * refreshed by a debounced watcher of the folder; a quick diff provider (the stored file of the
 * version, for the gutter); and the status bar item of the active editor's tracked folder. The
 * rules and the words are in model/tracked-model.ts; the commands in commands/tracked.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { folderStatus, registryOfTracked, type FolderStatus } from '../../app/tracked-folder';
import type { Artifact } from '../../core/artifact';
import { isUserError } from '../../core/errors';
import { builtInRegistryLocation, readTracking, trackedRef, TRACKING_FILE, type TrackingState } from '../../core/tracking';
import type { Registry } from '../../registry/registry';
import { COMMANDS } from '../commands/ids';
import { artifactUri } from '../fs/artifact-uri';
import { changeCount, changeGroups, commitPlaceholder, Debouncer, GROUP_IDS, relativeInFolder, statusBarView, trackedRootOf, type ChangeKind, type ChangeResource } from '../model/tracked-model';
import type { ConfiguredRegistry } from '../services/configured-registry';
import { output } from '../ui/output';

/** The id of our SourceControls: `scmProvider == artifacts` in package.json's menus. */
export const SCM_PROVIDER_ID = 'artifacts'; // l10n-ignore: an id

/** How long the folder must be quiet before its status is computed again. */
const REFRESH_DEBOUNCE_MS = 400;

/** A resource of the view, with what the commands need to act on it. */
export interface TrackedResourceState extends vscode.SourceControlResourceState {
  readonly change: ChangeResource;
  readonly root: string;
}

export function isTrackedResource(x: unknown): x is TrackedResourceState {
  return typeof x === 'object' && x !== null && 'change' in x && 'root' in x;
}

/** The registry of a tracked folder: a configured row with its location, else one opened for it. */
async function registryFor(configured: ConfiguredRegistry, t: TrackingState): Promise<{ registry: Registry; key?: string }> {
  const location = t.registry ?? builtInRegistryLocation();
  const rows = await configured.rows();
  const row = rows.find((r) => r.registry?.location === location);
  if (row?.registry) return { registry: row.registry, key: row.key };
  return { registry: registryOfTracked(t) };
}

/** One tracked folder's SourceControl. */
export class TrackedFolderScm implements vscode.Disposable, vscode.QuickDiffProvider {
  readonly sourceControl: vscode.SourceControl;
  private readonly groups: Record<ChangeKind, vscode.SourceControlResourceGroup>;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly debouncer: Debouncer;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  status: (FolderStatus & { version: Artifact }) | undefined;
  failure: string | undefined;
  registry: Registry | undefined;
  /** The registry row (`artifact://<key>/…`); undefined: the default registry. */
  registryKey: string | undefined;

  constructor(
    readonly root: string,
    public tracking: TrackingState,
    private readonly configured: ConfiguredRegistry,
  ) {
    const sc = vscode.scm.createSourceControl(SCM_PROVIDER_ID, 'Artifacts', vscode.Uri.file(root)); // l10n-ignore: the extension's name
    this.sourceControl = sc;
    sc.quickDiffProvider = this;
    sc.acceptInputCommand = { command: COMMANDS.scmCommit, title: vscode.l10n.t('Commit'), arguments: [sc] };
    sc.inputBox.placeholder = commitPlaceholder(tracking);
    this.groups = Object.fromEntries(
      changeGroups({ root, ref: trackedRef(tracking), modified: [], added: [], deleted: [] }).map((g) => {
        const group = sc.createResourceGroup(g.id, g.label);
        group.hideWhenEmpty = true;
        return [g.id, group];
      }),
    ) as Record<ChangeKind, vscode.SourceControlResourceGroup>;
    this.debouncer = new Debouncer(REFRESH_DEBOUNCE_MS, () => void this.refresh());
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
    const poke = () => this.debouncer.poke();
    this.watcher.onDidChange(poke);
    this.watcher.onDidCreate(poke);
    this.watcher.onDidDelete(poke);
    this.updateStatusBarCommands();
  }

  get ref(): string {
    return trackedRef(this.tracking);
  }

  private updateStatusBarCommands(): void {
    this.sourceControl.statusBarCommands = [
      { command: COMMANDS.scmSwitchVersion, title: `$(versions) ${this.tracking.collection}:${this.tracking.version}`, tooltip: vscode.l10n.t('Switch Version…'), arguments: [this.sourceControl] },
    ];
  }

  /** Computes the status again (one at a time; a request during a run makes one more run). */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.computeStatus();
      } while (this.again && !this.disposed);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async computeStatus(): Promise<void> {
    try {
      const tracking = await readTracking(this.root);
      if (!tracking) return; // untracked meanwhile: TrackedFolders removes this folder
      if (!this.registry || tracking.registry !== this.tracking.registry) {
        const { registry, key } = await registryFor(this.configured, tracking);
        this.registry = registry;
        this.registryKey = key;
      }
      this.tracking = tracking;
      this.status = await folderStatus(this.registry, { root: this.root, tracking });
      this.failure = undefined;
    } catch (e) {
      this.status = undefined;
      this.failure = (e as Error).message;
      if (!isUserError(e)) output.error(vscode.l10n.t('Could not read the status of {0}: {1}', this.root, (e as Error).stack ?? String(e)));
    }
    if (this.disposed) return;
    this.render();
  }

  private render(): void {
    const sc = this.sourceControl;
    sc.inputBox.placeholder = commitPlaceholder(this.tracking);
    this.updateStatusBarCommands();
    const status = this.status ?? { root: this.root, ref: this.ref, modified: [], added: [], deleted: [] };
    for (const g of changeGroups(status)) {
      this.groups[g.id].resourceStates = g.resources.map(
        (change): TrackedResourceState => ({
          resourceUri: vscode.Uri.file(change.file),
          change,
          root: this.root,
          contextValue: change.kind,
          decorations: { tooltip: change.tooltip, strikeThrough: change.strikeThrough, iconPath: new vscode.ThemeIcon(change.icon) },
          command: { command: COMMANDS.scmOpenChange, title: vscode.l10n.t('Open Changes'), arguments: [this.root, change.path, change.kind] },
        }),
      );
    }
    sc.count = this.status ? changeCount(this.status) : 0;
    this.changed.fire();
  }

  /** The stored file of the version, for the gutter markers of a file of the folder. */
  provideOriginalResource(uri: vscode.Uri): vscode.Uri | undefined {
    if (uri.scheme !== 'file' || !this.status) return undefined;
    const rel = relativeInFolder(this.root, uri.fsPath);
    if (rel === undefined || !this.status.version.manifest.has(rel)) return undefined;
    return this.storedUri(rel);
  }

  /** The `artifact:` URI of a path of the tracked version. */
  storedUri(rel: string): vscode.Uri {
    return vscode.Uri.from(artifactUri(this.ref, rel, this.registryKey));
  }

  dispose(): void {
    this.disposed = true;
    this.debouncer.dispose();
    this.watcher.dispose();
    this.changed.dispose();
    this.sourceControl.dispose();
  }
}

/** Every tracked folder of the workspace, and the status bar item of the active editor's one. */
export class TrackedFolders implements vscode.Disposable {
  private readonly folders = new Map<string, TrackedFolderScm>();
  private readonly statusBar: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** A folder was added, removed or got a new status. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly configured: ConfiguredRegistry) {
    this.statusBar = vscode.window.createStatusBarItem(`${SCM_PROVIDER_ID}.trackedVersion`, vscode.StatusBarAlignment.Left, 50); // l10n-ignore: an id
    this.statusBar.name = vscode.l10n.t('Tracked Artifact Version');
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${TRACKING_FILE}`);
    this.subscriptions.push(
      this.statusBar,
      watcher,
      watcher.onDidCreate((u) => void this.sync(path.dirname(u.fsPath))),
      watcher.onDidChange((u) => void this.sync(path.dirname(u.fsPath))),
      watcher.onDidDelete((u) => void this.sync(path.dirname(u.fsPath))),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatusBar()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.discover()),
      this.changed,
    );
    void this.discover();
  }

  /** Finds the tracking files of the workspace (the extension's start, a folder added to it). */
  async discover(): Promise<void> {
    try {
      const found = await vscode.workspace.findFiles(`**/${TRACKING_FILE}`);
      await Promise.all(found.map((u) => this.sync(path.dirname(u.fsPath))));
    } catch (e) {
      output.warn(vscode.l10n.t('Could not look for tracked folders: {0}', (e as Error).message));
    }
  }

  /** Adds, refreshes or removes the folder `root` after its tracking file changed. */
  async sync(root: string): Promise<TrackedFolderScm | undefined> {
    let tracking: TrackingState | undefined;
    try {
      tracking = await readTracking(root);
    } catch (e) {
      output.warn((e as Error).message); // a damaged file: the folder is not shown as tracked
    }
    const known = this.folders.get(root);
    if (!tracking) {
      if (known) {
        known.dispose();
        this.folders.delete(root);
        this.updateStatusBar();
        this.changed.fire();
      }
      return undefined;
    }
    if (known) {
      await known.refresh();
      return known;
    }
    const folder = new TrackedFolderScm(root, tracking, this.configured);
    this.folders.set(root, folder);
    folder.onDidChange(() => {
      this.updateStatusBar();
      this.changed.fire();
    });
    await folder.refresh();
    return folder;
  }

  get(root: string): TrackedFolderScm | undefined {
    return this.folders.get(root);
  }

  all(): TrackedFolderScm[] {
    return [...this.folders.values()];
  }

  /** The folder a command was run on: its SourceControl, a resource group or state, a root; else the only one or the active editor's. */
  folderOf(arg: unknown): TrackedFolderScm | undefined {
    if (typeof arg === 'string') return this.folders.get(arg);
    if (isTrackedResource(arg)) return this.folders.get(arg.root);
    for (const f of this.folders.values()) {
      if (arg === f.sourceControl) return f;
      if (arg && typeof arg === 'object' && 'id' in arg && (GROUP_IDS as readonly string[]).includes((arg as { id: string }).id)) {
        const states = (arg as vscode.SourceControlResourceGroup).resourceStates;
        if (states[0] && isTrackedResource(states[0])) return this.folders.get(states[0].root);
      }
    }
    return this.activeFolder() ?? (this.folders.size === 1 ? [...this.folders.values()][0] : undefined);
  }

  /** The tracked folder of the active editor's file. */
  activeFolder(): TrackedFolderScm | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (uri?.scheme !== 'file') return undefined;
    const root = trackedRootOf(this.folders.keys(), uri.fsPath);
    return root === undefined ? undefined : this.folders.get(root);
  }

  private updateStatusBar(): void {
    const folder = this.activeFolder();
    if (!folder) {
      this.statusBar.hide();
      return;
    }
    const view = statusBarView(folder.root, folder.tracking, folder.status, folder.failure);
    this.statusBar.text = view.text;
    this.statusBar.tooltip = view.tooltip;
    this.statusBar.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.statusBar.command = { command: COMMANDS.revealTrackedVersion, title: vscode.l10n.t('Show the Tracked Version'), arguments: [folder.root] };
    this.statusBar.show();
  }

  dispose(): void {
    for (const f of this.folders.values()) f.dispose();
    this.folders.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}
