/**
 * The registry the window works with, from the settings (artifacts.registry, else ARTIFACTS_REGISTRY,
 * else ~/.artifacts, the same default as the CLI), and a watcher on its collection documents so that
 * versions logged by the CLI show up within moments without polling. Changes are reported by
 * collection, so the tree re-reads the documents that changed and no others.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PROJECT, defaultRegistryRoot } from '../../core/config';
import { Registry } from '../../registry/registry';
import { ChangeBatch, type RegistryChange } from '../model/registry-changes';

const DEBOUNCE_MS = 300;
/**
 * An OS watcher takes a moment to start, and changes in that moment send no event: read again. The
 * last one covers a first log that is still writing (a slow disk, a busy machine) when the registry
 * folder appears.
 */
const CATCH_UP_MS = [1_000, 4_000, 10_000];
/** While the registry folder does not exist, a stat this often backs up the watcher's one event. */
const EXISTS_POLL_MS = 2_000;

/** What changed: the registry itself (the settings named another one), or some of its contents. */
export type ConfiguredRegistryChange = RegistryChange | { kind: 'registry' };

export class ConfiguredRegistry implements vscode.Disposable {
  private registry: Registry;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private catchUps: NodeJS.Timeout[] = [];
  private existsPoll: NodeJS.Timeout | undefined;
  private focused = vscode.window.state.focused;
  private readonly pending = new ChangeBatch();
  private readonly changed = new vscode.EventEmitter<ConfiguredRegistryChange>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when the registry's contents change on disk or another registry is configured. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.registry = this.create();
    this.watch();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('artifacts')) return;
        this.registry = this.create();
        this.watch();
        this.changed.fire({ kind: 'registry' });
      }),
      // Registries on network shares send no file events; coming back to the window re-reads them.
      // Only the return counts: the event also fires when the user goes idle or active, and a
      // refresh under an open context menu would drop the row the menu was opened on.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && !this.focused) this.noteChange(undefined);
        this.focused = state.focused;
      }),
    );
  }

  /** The registry of the current settings. */
  get current(): Registry {
    return this.registry;
  }

  private create(): Registry {
    const config = vscode.workspace.getConfiguration('artifacts');
    const root = config.get<string>('registry')?.trim() || defaultRegistryRoot();
    const entity = config.get<string>('entity')?.trim() || undefined;
    const project = config.get<string>('project')?.trim() || DEFAULT_PROJECT;
    try {
      return new Registry({ root, entity, project });
    } catch (e) {
      void vscode.window.showErrorMessage(`Artifacts settings: ${(e as Error).message}. Using the defaults.`);
      return new Registry({ root, entity: undefined, project: DEFAULT_PROJECT });
    }
  }

  /**
   * Collection documents are the commit points: a change under entities/ is a log, alias or delete.
   * The pattern takes folders too: the first log into a new collection creates its folder and links
   * index.json into it at once, before the OS watcher has put a watch on the new folder, so the file
   * event can be lost; the folder's own event cannot, and the debounce reads the registry after it.
   */
  private watch(): void {
    this.watcher?.dispose();
    this.stopExistsPoll();
    const root = this.registry.location;
    if (!existsSync(root)) {
      // First use: the CLI creates the registry folder on its first log. Wait for the folder (a
      // watch on its parent, not recursive, backed by a stat in case its one event is lost), then
      // watch inside it and read what is there by then.
      const appeared = () => {
        if (this.registry.location !== root || !existsSync(root)) return;
        this.watch();
        this.noteChange(undefined);
      };
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(root)), path.basename(root)), false, true, true);
      this.watcher.onDidCreate(appeared);
      this.existsPoll = setInterval(appeared, EXISTS_POLL_MS);
      return;
    }
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), 'entities/**'));
    const onEvent = (uri: vscode.Uri) => this.noteChange(this.keyOf(uri));
    this.watcher.onDidChange(onEvent);
    this.watcher.onDidCreate(onEvent);
    this.watcher.onDidDelete(onEvent);
    // The view re-renders only when what it shows changed, so these cost a few reads at most.
    this.clearCatchUps();
    this.catchUps = CATCH_UP_MS.map((ms) => setTimeout(() => this.changed.fire({ kind: 'everything' }), ms));
  }

  /** A file's key in the registry (`entities/…`), or undefined when it is not under the root. */
  private keyOf(uri: vscode.Uri): string | undefined {
    const rel = path.relative(this.registry.location, uri.fsPath);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : undefined;
  }

  private stopExistsPoll(): void {
    if (this.existsPoll) clearInterval(this.existsPoll);
    this.existsPoll = undefined;
  }

  private clearCatchUps(): void {
    for (const t of this.catchUps) clearTimeout(t);
    this.catchUps = [];
  }

  /** Records a change under `key` (undefined: anything may have changed), reported after a short quiet. */
  private noteChange(key: string | undefined): void {
    this.pending.add(key);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.pending.isEmpty) this.changed.fire(this.pending.take());
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.clearCatchUps();
    this.stopExistsPoll();
    this.watcher?.dispose();
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
