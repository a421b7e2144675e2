/**
 * The registry the window works with, from the settings (artifacts.registry, else ARTIFACTS_REGISTRY,
 * else ~/.artifacts, the same default as the CLI), and a watcher on its collection documents so that
 * versions logged by the CLI show up within moments without polling. Changes are reported by
 * collection, so the tree re-reads the documents that changed and no others.
 *
 * Beside it, the named registries of the artifacts.registries setting (folders or buckets), one row each in
 * the tree. A registry in a bucket is opened with credentials from the standard chains, or with
 * those a person typed (Set Credentials…), which live in SecretStorage only and are handed to the
 * store directly, never written to settings, the workspace or a log. Their cache is the default
 * registry's folder when it is one (so a pulled version's files are already there).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PROJECT, defaultRegistryLocation, defaultRegistryRoot } from '../../core/config';
import { Registry } from '../../registry/registry';
import { openStoreLazily } from '../../store/lazy-store';
import { isRemoteLocation } from '../../store/store-location';
import { secretEnv, secretKey } from '../model/credentials';
import { ChangeBatch, type RegistryChange } from '../model/registry-changes';
import { registryEntries, type RegistryEntry } from '../model/registry-list';

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

/** One row of the tree: a registry from the settings, opened (or what is wrong with its setting). */
export interface RegistryRow extends RegistryEntry {
  registry?: Registry;
}

/** Variables holding credentials: left out when a person typed credentials for a registry. */
const CREDENTIAL_VARS = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_PROFILE|AZURE_STORAGE_(KEY|SAS_TOKEN|CONNECTION_STRING))$/;

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
  /** Typed credentials by location, read from SecretStorage. */
  private credentials = new Map<string, Record<string, string>>();
  private rowsCache: Promise<RegistryRow[]> | undefined;
  private rowsKey: string | undefined;

  constructor(private readonly secrets?: vscode.SecretStorage) {
    this.registry = this.create();
    if (secrets) {
      // A default registry in a bucket may have typed credentials: open it again once they are read.
      const root = this.registry.location;
      if (isRemoteLocation(root)) void this.loadCredentials([root]).then(() => this.credentials.has(root) && this.reopen(), () => undefined);
      // Credentials typed in another window.
      this.subscriptions.push(
        secrets.onDidChange((e) => {
          if (!e.key.startsWith(secretKey(''))) return;
          void this.loadCredentials([e.key.slice(secretKey('').length)]).then(() => this.reopen(), () => undefined);
        }),
      );
    }
    this.watch();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('artifacts')) return;
        this.reopen();
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

  /** Opens everything again (settings or credentials changed) and tells the views. */
  private reopen(): void {
    this.registry = this.create();
    this.rowsCache = undefined;
    this.watch();
    this.changed.fire({ kind: 'registry' });
  }

  private settings() {
    const config = vscode.workspace.getConfiguration('artifacts');
    return {
      root: config.get<string>('registry')?.trim() || defaultRegistryLocation(),
      entity: config.get<string>('entity')?.trim() || undefined,
      project: config.get<string>('project')?.trim() || DEFAULT_PROJECT,
      registries: config.get<unknown>('registries'),
    };
  }

  /** A registry at `location`; a bucket's credentials are the typed ones when there are any. */
  private open(location: string, opts: { entity?: string; project: string; localRoot?: string }): Registry {
    if (!isRemoteLocation(location)) return new Registry({ root: location, ...opts });
    const typed = this.credentials.get(location);
    const env = typed ? { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !CREDENTIAL_VARS.test(k))), ...typed } : process.env;
    return new Registry({ store: openStoreLazily(location, env), ...opts, localRoot: opts.localRoot ?? defaultRegistryRoot() });
  }

  private create(): Registry {
    const { root, entity, project } = this.settings();
    try {
      return this.open(root, { entity, project });
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Artifacts settings: {0}. Using the defaults.', (e as Error).message));
      return new Registry({ root: defaultRegistryRoot(), entity: undefined, project: DEFAULT_PROJECT });
    }
  }

  /** The rows of the tree: the default registry, then those of the artifacts.registries setting. */
  rows(): Promise<RegistryRow[]> {
    // Settings can reach a new window after its first read without a change event: compare them.
    const key = JSON.stringify(this.settings());
    if (key !== this.rowsKey) this.rowsCache = undefined;
    this.rowsKey = key;
    this.rowsCache ??= (async () => {
      const { root, entity, project, registries } = this.settings();
      const entries = registryEntries(this.registry.location, registries);
      await this.loadCredentials(entries.map((e) => e.location).concat(root));
      const localRoot = this.registry.store.local?.root;
      return entries.map((entry): RegistryRow => {
        if (entry.key === undefined) return { ...entry, registry: this.registry };
        if (entry.problem) return entry;
        try {
          return { ...entry, registry: this.open(entry.location, { entity, project, localRoot }) };
        } catch (e) {
          return { ...entry, problem: (e as Error).message };
        }
      });
    })();
    return this.rowsCache;
  }

  /** The registry of a row (undefined key: the default one). */
  async registryOf(key: string | undefined): Promise<Registry | undefined> {
    if (key === undefined) return this.registry;
    return (await this.rows()).find((r) => r.key === key)?.registry;
  }

  /** Reads the typed credentials of these locations from SecretStorage. */
  private async loadCredentials(locations: string[]): Promise<void> {
    if (!this.secrets) return;
    for (const location of new Set(locations.filter(isRemoteLocation))) {
      const env = secretEnv(await this.secrets.get(secretKey(location)));
      if (Object.keys(env).length) this.credentials.set(location, env);
      else this.credentials.delete(location);
    }
  }

  /** Keeps credentials a person typed for a registry (SecretStorage only) and opens it again with them. */
  async setCredentials(location: string, stored: string): Promise<void> {
    if (!this.secrets) throw new Error(vscode.l10n.t('No secret storage in this window'));
    await this.secrets.store(secretKey(location), stored);
    await this.loadCredentials([location]);
    this.reopen();
  }

  /** Forgets typed credentials: the standard chains apply again. */
  async clearCredentials(location: string): Promise<void> {
    await this.secrets?.delete(secretKey(location));
    this.credentials.delete(location);
    this.reopen();
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
    if (!this.registry.store.local) return; // a bucket sends no events: the window's focus and Refresh re-read it
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
