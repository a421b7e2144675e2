/**
 * The registry the window works with, from the settings (artifacts.registry, else ARTIFACTS_REGISTRY,
 * else ~/.artifacts, the same default as the CLI), and a watcher on its collection documents so that
 * versions logged by the CLI show up within moments without polling.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PROJECT, defaultRegistryRoot } from '../../core/config';
import { Registry } from '../../registry/registry';

const REFRESH_DEBOUNCE_MS = 300;
/** An OS watcher takes a moment to start, and changes in that moment send no event: read again. */
const CATCH_UP_MS = [1_000, 4_000];

export class RegistryService implements vscode.Disposable {
  private current: Registry;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private catchUps: NodeJS.Timeout[] = [];
  private focused = vscode.window.state.focused;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when the registry's contents change on disk or another registry is configured. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.current = this.create();
    this.watch();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('artifacts')) return;
        this.current = this.create();
        this.watch();
        this.changed.fire();
      }),
      // Registries on network shares send no file events; coming back to the window re-reads them.
      // Only the return counts: the event also fires when the user goes idle or active, and a
      // refresh under an open context menu would drop the row the menu was opened on.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && !this.focused) this.refreshSoon();
        this.focused = state.focused;
      }),
    );
  }

  get registry(): Registry {
    return this.current;
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
    const root = this.current.location;
    if (!existsSync(root)) {
      // First use: the CLI creates the registry folder on its first log. Wait for the folder (a
      // watch on its parent, not recursive), then watch inside it and read what is there by then.
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(root)), path.basename(root)), false, true, true);
      this.watcher.onDidCreate(() => {
        this.watch();
        this.refreshSoon();
      });
      return;
    }
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), 'entities/**'));
    const poke = () => this.refreshSoon();
    this.watcher.onDidChange(poke);
    this.watcher.onDidCreate(poke);
    this.watcher.onDidDelete(poke);
    // The view re-renders only when what it shows changed, so these cost a few reads at most.
    this.clearCatchUps();
    this.catchUps = CATCH_UP_MS.map((ms) => setTimeout(() => this.changed.fire(), ms));
  }

  private clearCatchUps(): void {
    for (const t of this.catchUps) clearTimeout(t);
    this.catchUps = [];
  }

  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), REFRESH_DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.clearCatchUps();
    this.watcher?.dispose();
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
