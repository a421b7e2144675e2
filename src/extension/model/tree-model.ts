/**
 * The Artifacts tree as plain data: registry → project → type → collection → version → folders and
 * files. No vscode import: the view adapter turns nodes into TreeItems, and tests drive this model
 * against a real registry folder. Children load lazily and stay cached until `refresh()` re-reads
 * them: everything the tree has loaded, or only what belongs to some collections (an edit, a log,
 * a file event for one collection document), so one change re-reads one document, not all of them.
 * Nodes down to versions keep their identity across refreshes, so the view can re-render one node.
 */
import { homedir } from 'node:os';
import * as l10n from '@vscode/l10n';
import type { Artifact } from '../../core/artifact';
import type { ManifestEntry } from '../../core/manifest';
import { formatDate, formatNumber } from '../../core/l10n';
import { formatBytes as formatSize } from '../../core/units';
import { parseRef, type CollectionPath } from '../../registry/refs';
import type { CollectionSummary, Registry } from '../../registry/registry';
import { VersionListing } from '../../registry/version-listing';
import { StoreAccessError, StoreUnavailableError } from '../../store/store-errors';
import { COMMANDS } from '../commands/ids';
import { artifactUri } from '../fs/artifact-uri';
import type { NodePresentation } from './presentation';

export type { NodePresentation } from './presentation';

export const VERSION_PAGE = 50;

interface Base {
  id: string;
  parent?: TreeNode;
}

export interface RegistryNode extends Base {
  kind: 'registry';
  location: string;
  /** The name the settings give it (artifacts.registries); the default registry has none. */
  name?: string;
  /** What it lives on. */
  store?: StoreKindName;
  /** Set while the registry cannot be read (wrong credentials, server down): its row says so. */
  error?: string;
}
export interface ProjectNode extends Base {
  kind: 'project';
  entity: string;
  project: string;
}
export interface TypeNode extends Base {
  kind: 'type';
  entity: string;
  project: string;
  type: string;
}
export interface CollectionNode extends Base {
  kind: 'collection';
  summary: CollectionSummary;
}
export interface VersionNode extends Base {
  kind: 'version';
  artifact: Artifact;
  isLatest: boolean;
  /** The registry row it is under (undefined: the default registry), for `artifact:` URIs. */
  registryKey?: string;
}
export interface PathNode extends Base {
  kind: 'folder' | 'file';
  version: VersionNode;
  /** Logical path inside the artifact. */
  path: string;
  entry?: ManifestEntry;
}
export interface LoadMoreNode extends Base {
  kind: 'loadMore';
  collection: CollectionNode;
  remaining: number;
}
export interface MessageNode extends Base {
  kind: 'message';
  text: string;
  severity: 'info' | 'error';
}

export type TreeNode = RegistryNode | ProjectNode | TypeNode | CollectionNode | VersionNode | PathNode | LoadMoreNode | MessageNode;

/** What a refresh asks the view to re-render: the whole tree, or some nodes (none: nothing changed). */
export type Changed = 'everything' | TreeNode[];

/** What a registry lives on: a folder, an S3 bucket, an Azure container. */
export type StoreKindName = 'folder' | 's3' | 'azure';

export const CONTEXT_VALUES = [
  'registry',
  'registry.remote',
  'registry.error',
  'registry.remote.error',
  'project',
  'typeGroup',
  'collection',
  'collection.links',
  'version',
  'version.latest',
  'version.link',
  'version.link.latest',
  'version.remote',
  'version.latest.remote',
  'version.link.remote',
  'version.link.latest.remote',
  'artifactFolder',
  'artifactFile',
  'loadMore',
  'message',
] as const;

export function typeIcon(type: string): string {
  if (type === 'dataset') return 'database';
  if (type === 'model') return 'hubot';
  return 'package';
}

/** `/home/me/.artifacts` → `~/.artifacts` */
export function tildify(p: string, home = homedir()): string {
  return home && (p === home || p.startsWith(`${home}/`)) ? `~${p.slice(home.length)}` : p;
}

/**
 * A registry's read failure as its row says it: the store's one line, without the location (the row
 * names it). The store errors keep their reason and detail apart; without them (an older store
 * error) the English prefix is cut, and any other message is shown whole.
 */
export function rowError(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  if (!(e instanceof StoreAccessError) && !(e instanceof StoreUnavailableError)) return message;
  const { reason, detail } = e as { reason?: unknown; detail?: unknown };
  let why: string;
  if (typeof reason === 'string') {
    why = typeof detail === 'string' && detail ? l10n.t('{0} ({1})', reason, detail) : reason;
  } else {
    const m = /^(?:Cannot access the registry at \S+|The registry at \S+ is unavailable): ([\s\S]*)$/.exec(message);
    if (!m) return message;
    why = m[1]!;
  }
  return e instanceof StoreUnavailableError ? l10n.t('unavailable: {0}', why) : why;
}

/** `latest, best · tag one, raw` */
export function versionDescription(a: Artifact): string {
  const parts = [a.aliases.join(', '), a.tags.join(', ')].filter((p) => p.length > 0);
  return parts.join(' · ');
}

/** Node ids, unique across the registry rows of one tree (each row's key prefixes its nodes). */
function idsFor(key: string | undefined) {
  const p = key ? `${key}|` : '';
  return {
    root: key ? `registry:${key}` : 'registry',
    project: (entity: string, project: string) => `${p}project:${entity}/${project}`,
    type: (entity: string, project: string, type: string) => `${p}type:${entity}/${project}/${type}`,
    collection: (c: CollectionPath) => `${p}collection:${c.entity}/${c.project}/${c.collection}`,
    version: (qualifiedName: string) => `${p}version:${qualifiedName}`,
  };
}

/** What a registry row's description says it lives on. */
function storeDescription(store: StoreKindName): string {
  switch (store) {
    case 'folder':
      return l10n.t('local registry');
    case 's3':
      return l10n.t('S3 bucket');
    case 'azure':
      return l10n.t('Azure container');
  }
}

/** A registry row's tooltip: where it is. */
function registryWhere(store: StoreKindName, location: string): string {
  switch (store) {
    case 'folder':
      return l10n.t('Registry folder: {0}', location);
    case 's3':
      return l10n.t('Registry in an S3 bucket: {0}', location);
    case 'azure':
      return l10n.t('Registry in an Azure container: {0}', location);
  }
}

/** A collection row's description: `3 versions`, `1 version · links`. */
function collectionDescription(versions: number, links: boolean): string {
  if (links) return versions === 1 ? l10n.t('1 version · links') : l10n.t('{0} versions · links', formatNumber(versions));
  return versions === 1 ? l10n.t('1 version') : l10n.t('{0} versions', formatNumber(versions));
}

const keys = {
  collections: (entity: string, project: string) => `collections:${entity}/${project}`,
  versions: (c: CollectionPath) => `versions:${c.entity}/${c.project}/${c.collection}`,
};

export function present(node: TreeNode): NodePresentation {
  const id = node.id;
  switch (node.kind) {
    case 'registry': {
      const store = node.store ?? 'folder';
      const remote = store !== 'folder';
      const where = registryWhere(store, node.location);
      const label = node.name ?? tildify(node.location);
      if (node.error) {
        return {
          id,
          label,
          description: node.error.length > 60 ? `${node.error.slice(0, 57)}…` : node.error,
          tooltip: `${where}\n${node.error}`,
          icon: 'warning',
          contextValue: remote ? 'registry.remote.error' : 'registry.error',
          collapsible: 'expanded',
        };
      }
      const description = node.name ? `${storeDescription(store)} · ${tildify(node.location)}` : storeDescription(store);
      return { id, label, description, tooltip: where, icon: remote ? 'cloud' : 'server', contextValue: remote ? 'registry.remote' : 'registry', collapsible: 'expanded' };
    }
    case 'project':
      return { id, label: node.project, description: node.entity, tooltip: `${node.entity}/${node.project}`, icon: 'project', contextValue: 'project', collapsible: 'collapsed' };
    case 'type':
      return { id, label: node.type, icon: typeIcon(node.type), contextValue: 'typeGroup', collapsible: 'expanded' };
    case 'collection': {
      const s = node.summary;
      const links = s.kind === 'portfolio';
      if (s.error) {
        // A damaged document: shown, named and explained, never a silent gap in the list.
        return { id, label: s.collection, description: l10n.t('damaged'), tooltip: s.error, icon: 'error', contextValue: 'collection', collapsible: 'collapsed' };
      }
      return {
        id,
        label: s.collection,
        description: collectionDescription(s.versionCount, links),
        tooltip: [
          links ? l10n.t('{0} ({1}, a collection of links)', `${s.entity}/${s.project}/${s.collection}`, s.type) : `${s.entity}/${s.project}/${s.collection} (${s.type})`,
          ...(s.description ? [s.description] : []),
        ].join('\n'),
        icon: links ? 'link' : typeIcon(s.type),
        contextValue: links ? 'collection.links' : 'collection',
        collapsible: 'collapsed',
      };
    }
    case 'version': {
      const a = node.artifact;
      const lines = [
        a.qualifiedName,
        l10n.t('digest {0}', a.digest),
        a.fileCount === 1 ? l10n.t('1 file, {0}', formatSize(a.size)) : l10n.t('{0} files, {1}', formatNumber(a.fileCount), formatSize(a.size)),
        l10n.t('created {0}', formatDate(a.createdAt)),
      ];
      if (a.isLink) lines.push(l10n.t('links to {0}', a.sourceQualifiedName));
      if (a.description) lines.push('', a.description);
      return {
        id,
        label: a.version,
        description: versionDescription(a),
        tooltip: lines.join('\n'),
        icon: node.isLatest ? 'star-full' : a.isLink ? 'link' : 'versions',
        // `.remote`: a version of another registry row than the default one (Pull to Local Registry).
        contextValue: `version${a.isLink ? '.link' : ''}${node.isLatest ? '.latest' : ''}${node.registryKey ? '.remote' : ''}`,
        collapsible: 'collapsed',
      };
    }
    case 'folder':
      return {
        id,
        label: node.path.slice(node.path.lastIndexOf('/') + 1),
        icon: 'folder',
        resourceUri: artifactUri(node.version.artifact.qualifiedName, node.path, node.version.registryKey),
        contextValue: 'artifactFolder',
        collapsible: 'collapsed',
      };
    case 'file': {
      const e = node.entry!;
      return {
        id,
        label: node.path.slice(node.path.lastIndexOf('/') + 1),
        description: e.ref ? `→ ${e.ref}` : e.size !== undefined && e.size !== null ? formatSize(e.size) : undefined,
        tooltip: [node.path, l10n.t('digest {0}', e.digest), ...(e.ref ? [l10n.t('reference {0}', e.ref)] : [])].join('\n'),
        icon: 'file',
        resourceUri: artifactUri(node.version.artifact.qualifiedName, node.path, node.version.registryKey),
        contextValue: 'artifactFile',
        collapsible: 'none',
        command: { id: COMMANDS.openFile, title: l10n.t('Open') },
      };
    }
    case 'loadMore':
      return {
        id,
        label: l10n.t('Load more…'),
        description: l10n.t('{0} older', formatNumber(node.remaining)),
        icon: 'ellipsis',
        contextValue: 'loadMore',
        collapsible: 'none',
        command: { id: COMMANDS.loadMore, title: l10n.t('Load more') },
      };
    case 'message':
      return { id, label: node.text, icon: node.severity === 'error' ? 'error' : 'info', contextValue: 'message', collapsible: 'none' };
  }
}

interface FolderIndex {
  folders: Map<string, Set<string>>;
  files: Map<string, ManifestEntry[]>;
}

/** Folder → sub-folders and files, built once per version from its manifest. */
export function buildFolderIndex(entries: Iterable<ManifestEntry>): FolderIndex {
  const folders = new Map<string, Set<string>>();
  const files = new Map<string, ManifestEntry[]>();
  for (const e of entries) {
    const slash = e.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : e.path.slice(0, slash);
    let list = files.get(dir);
    if (!list) files.set(dir, (list = []));
    list.push(e);
    // Register every ancestor folder with its parent, stopping at one already known.
    let child = dir;
    while (child !== '') {
      const cut = child.lastIndexOf('/');
      const parent = cut < 0 ? '' : child.slice(0, cut);
      let subs = folders.get(parent);
      if (!subs) folders.set(parent, (subs = new Set()));
      if (subs.has(child)) break;
      subs.add(child);
      child = parent;
    }
  }
  return { folders, files };
}

const byName = (a: string, b: string) => a.localeCompare(b);

/** What the tree shows of loaded registry data, as a string to compare (versions by their fields). */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof VersionListing) return v.fingerprint();
    if (typeof v !== 'object' || v === null || typeof (v as Artifact).loadManifest !== 'function') return v;
    const a = v as Artifact;
    return [a.qualifiedName, a.digest, a.state, a.aliases, a.tags, a.description, a.metadata, a.ttlSetting, a.updatedAt];
  });
}

/** A cached load as a fingerprint; a failure counts by its message, so a lasting one is no change. */
function settledFingerprint(p: Promise<unknown>): Promise<string> {
  return p.then(fingerprint, (e: unknown) => `error: ${(e as Error)?.message ?? String(e)}`);
}

const sameCollection = (a: CollectionPath, b: CollectionPath) => a.entity === b.entity && a.project === b.project && a.collection === b.collection;

export class TreeModel {
  /** Loaded registry data by key; a failed load stays (as its error row) until a refresh. */
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly loaders = new Map<string, () => Promise<unknown>>();
  private readonly pages = new Map<string, number>();
  /** Registry, project, type, collection, version and "load more" nodes by id, kept across refreshes. */
  private readonly nodes = new Map<string, TreeNode>();
  private readonly ids: ReturnType<typeof idsFor>;
  readonly root: RegistryNode;
  /** The row key (undefined for the default registry), prefixed to every node id. */
  readonly key: string | undefined;
  private readonly onRootChanged?: (root: RegistryNode) => void;

  constructor(
    readonly registry: Registry,
    opts: {
      /** Unique among the rows of a tree with several registries. */
      key?: string;
      name?: string;
      store?: StoreKindName;
      /** Told when the registry row's own look changes (it became unreadable, or readable again). */
      onRootChanged?: (root: RegistryNode) => void;
    } = {},
  ) {
    this.key = opts.key;
    this.ids = idsFor(opts.key);
    this.onRootChanged = opts.onRootChanged;
    this.root = { kind: 'registry', id: this.ids.root, location: registry.location, name: opts.name, store: opts.store };
    this.nodes.set(this.root.id, this.root);
  }

  /** Marks the registry row readable or not, and tells the view when that changed. */
  private setRootError(error: string | undefined): void {
    if (this.root.error === error) return;
    this.root.error = error;
    this.onRootChanged?.(this.root);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    this.loaders.set(key, load);
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      p.catch(() => undefined); // shown as an error row; not an unhandled rejection
      this.cache.set(key, p);
    }
    return p;
  }

  /** The node with this id as loaded before, updated with the fresh data, or the fresh one. */
  private keep<T extends TreeNode>(fresh: T): T {
    const known = this.nodes.get(fresh.id);
    if (known?.kind === fresh.kind) return Object.assign(known, fresh) as T;
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  async children(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return [this.root];
    try {
      switch (node.kind) {
        case 'registry': {
          const projects = await this.projects(node);
          this.setRootError(undefined);
          return projects;
        }
        case 'project':
          return await this.types(node);
        case 'type':
          return await this.collections(node);
        case 'collection':
          return await this.versions(node);
        case 'version':
        case 'folder':
          return await this.paths(node.kind === 'version' ? node : node.version, node.kind === 'version' ? '' : node.path, node);
        default:
          return [];
      }
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      if (node.kind === 'registry') this.setRootError(rowError(e));
      return [{ kind: 'message', id: `${node.id}/error`, text: l10n.t('Cannot read the registry: {0}', message), severity: 'error', parent: node }];
    }
  }

  private async projects(parent: RegistryNode): Promise<TreeNode[]> {
    const out: ProjectNode[] = [];
    for (const entity of await this.cached('entities', () => this.registry.listEntities())) {
      for (const project of await this.cached(`projects:${entity}`, () => this.registry.listProjects(entity))) {
        out.push(this.keep({ kind: 'project', id: this.ids.project(entity, project), entity, project, parent }));
      }
    }
    out.sort((a, b) => Number(b.entity === this.registry.entity) - Number(a.entity === this.registry.entity) || byName(a.project, b.project) || byName(a.entity, b.entity));
    if (out.length === 0) return [{ kind: 'message', id: `${parent.id}/empty`, text: l10n.t('No artifacts yet'), severity: 'info', parent }];
    return out;
  }

  private collectionsOf(entity: string, project: string): Promise<CollectionSummary[]> {
    return this.cached(keys.collections(entity, project), () => this.registry.listCollections(entity, project));
  }

  private async types(parent: ProjectNode): Promise<TreeNode[]> {
    const types = [...new Set((await this.collectionsOf(parent.entity, parent.project)).map((c) => c.type))];
    const rank = (t: string) => (t === 'dataset' ? 0 : t === 'model' ? 1 : 2);
    types.sort((a, b) => rank(a) - rank(b) || byName(a, b));
    return types.map((type) => this.keep({ kind: 'type', id: this.ids.type(parent.entity, parent.project, type), entity: parent.entity, project: parent.project, type, parent }));
  }

  private async collections(parent: TypeNode): Promise<TreeNode[]> {
    return (await this.collectionsOf(parent.entity, parent.project))
      .filter((c) => c.type === parent.type)
      .sort((a, b) => Number(a.kind === 'portfolio') - Number(b.kind === 'portfolio') || byName(a.collection, b.collection))
      .map((summary) => this.keep({ kind: 'collection', id: this.ids.collection(summary), summary, parent }));
  }

  /** The collection's versions, read once (one document) and made into artifacts a page at a time. */
  private versionsOf(c: CollectionPath): Promise<VersionListing> {
    return this.cached(keys.versions(c), () => this.registry.versionListing(c));
  }

  private async versions(parent: CollectionNode): Promise<TreeNode[]> {
    const listing = await this.versionsOf(parent.summary);
    const shown = this.pages.get(parent.id) ?? VERSION_PAGE;
    const nodes: TreeNode[] = (await listing.slice(0, shown)).map((artifact) =>
      this.keep({ kind: 'version', id: this.ids.version(artifact.qualifiedName), artifact, isLatest: artifact.aliases.includes('latest'), registryKey: this.key, parent }),
    );
    if (listing.total > shown) nodes.push(this.keep({ kind: 'loadMore', id: `more:${parent.id}`, collection: parent, remaining: listing.total - shown, parent }));
    return nodes;
  }

  /** Shows another page of versions under the collection of a "Load more" row (nothing is re-read). */
  loadMore(node: LoadMoreNode): CollectionNode {
    this.pages.set(node.collection.id, (this.pages.get(node.collection.id) ?? VERSION_PAGE) + VERSION_PAGE);
    return node.collection;
  }

  private index(version: VersionNode): Promise<FolderIndex> {
    return this.cached(`index:${version.artifact.qualifiedName}`, async () => buildFolderIndex((await version.artifact.loadManifest()).entries()));
  }

  private async paths(version: VersionNode, dir: string, parent: TreeNode): Promise<TreeNode[]> {
    const index = await this.index(version);
    const folders: TreeNode[] = [...(index.folders.get(dir) ?? [])].sort(byName).map((path) => ({ kind: 'folder', id: `${version.id}/${path}/`, version, path, parent }));
    const files: TreeNode[] = (index.files.get(dir) ?? [])
      .map((entry) => ({ kind: 'file' as const, id: `${version.id}/${entry.path}`, version, path: entry.path, entry, parent }))
      .sort((a, b) => byName(a.path, b.path));
    if (folders.length + files.length === 0) return [{ kind: 'message', id: `${version.id}/empty`, text: l10n.t('This version has no files'), severity: 'info', parent }];
    return [...folders, ...files];
  }

  // ---- refresh ---------------------------------------------------------------------------------------

  /**
   * Re-reads registry data the tree has loaded (manifests never change, so not those), keeps the
   * fresh copies, and returns what the view must re-render. Without `collections`: everything loaded
   * (after the Refresh button, a window focus, a change it cannot place). With them: only those
   * collections' documents (and collections of links that show them), so a change to one collection
   * costs one or two reads of its document whatever the size of the registry. A change this window
   * made and already shows re-renders nothing, so rows, and a context menu open on one, survive it.
   */
  async refresh(collections?: readonly CollectionPath[]): Promise<Changed> {
    if (!collections) return (await this.reread([...this.cache.keys()].filter((key) => !key.startsWith('index:')))) ? 'everything' : [];
    const targets: CollectionPath[] = [];
    const add = (c: CollectionPath) => {
      if (!targets.some((t) => sameCollection(t, c))) targets.push({ entity: c.entity, project: c.project, collection: c.collection });
    };
    collections.forEach(add);
    for (const c of [...targets]) (await this.linksShowing(c)).forEach(add);
    const out = new Set<TreeNode>();
    try {
      for (const c of targets) {
        const changed = await this.refreshCollection(c);
        if (changed === 'everything') return 'everything';
        changed.forEach((n) => out.add(n));
      }
    } catch {
      // A document that cannot be read as expected: fall back to re-reading what is shown.
      return this.refresh();
    }
    return [...out];
  }

  /** Re-reads `keys`; true when any of them now holds something else. */
  private async reread(keysToRead: string[]): Promise<boolean> {
    const results = await Promise.all(
      keysToRead.map(async (key) => {
        const fresh = this.loaders.get(key)!();
        fresh.catch(() => undefined);
        const [before, after] = await Promise.all([settledFingerprint(this.cache.get(key)!), settledFingerprint(fresh)]);
        return { key, fresh, same: before === after };
      }),
    );
    for (const r of results) if (!r.same) this.cache.set(r.key, r.fresh);
    return results.some((r) => !r.same);
  }

  /** Loaded collections of links with a member whose source version is in `c`. */
  private async linksShowing(c: CollectionPath): Promise<CollectionPath[]> {
    const out: CollectionPath[] = [];
    for (const [key, p] of this.cache) {
      if (!key.startsWith('versions:')) continue;
      const listing = (await p.catch(() => undefined)) as VersionListing | undefined;
      if (listing?.linksTo(c)) out.push({ entity: listing.doc.entity, project: listing.doc.project, collection: listing.doc.name });
    }
    return out;
  }

  private async refreshCollection(c: CollectionPath): Promise<Changed> {
    const listKey = keys.collections(c.entity, c.project);
    const list = this.cache.has(listKey) ? ((await this.cache.get(listKey)!.catch(() => undefined)) as CollectionSummary[] | undefined) : undefined;
    if (!list) {
      // The project's collections were never listed (or could not be): is the project itself new?
      if (this.cache.has(listKey)) return (await this.reread([listKey])) ? 'everything' : [];
      return (await this.reread([...this.cache.keys()].filter((k) => k === 'entities' || k.startsWith('projects:')))) ? 'everything' : [];
    }
    const out: TreeNode[] = [];
    const fresh = await this.registry.collection(c);
    const at = list.findIndex((s) => s.collection === c.collection);
    const before = at >= 0 ? list[at] : undefined;
    if (fingerprint(before) !== fingerprint(fresh)) {
      const next = [...list];
      if (before && fresh) next[at] = fresh;
      else if (before) next.splice(at, 1);
      else if (fresh) next.push(fresh);
      this.cache.set(listKey, Promise.resolve(next));
      const node = this.nodes.get(this.ids.collection(c));
      if (before && fresh && before.type === fresh.type) {
        if (node?.kind === 'collection') {
          node.summary = fresh;
          out.push(node);
        }
      } else {
        // A collection appeared or went: its type's row re-renders, or its project's when the types changed.
        const typesBefore = [...new Set(list.map((s) => s.type))].sort().join('\n');
        const typesAfter = [...new Set(next.map((s) => s.type))].sort().join('\n');
        const parent = typesBefore === typesAfter ? this.nodes.get(this.ids.type(c.entity, c.project, (fresh ?? before)!.type)) : this.nodes.get(this.ids.project(c.entity, c.project));
        if (parent) out.push(parent);
      }
    }
    const versionsKey = keys.versions(c);
    if (this.cache.has(versionsKey)) {
      if (!fresh) this.cache.delete(versionsKey);
      else if (await this.reread([versionsKey])) {
        const node = this.nodes.get(this.ids.collection(c));
        if (node && !out.includes(node)) out.push(node);
      }
    }
    return out;
  }

  // ---- finding a version -------------------------------------------------------------------------

  /**
   * The node of a version, with its ancestors loaded, so the view can reveal it. Goes straight to
   * the collection the reference names (its project's collection list, then its versions).
   */
  async findVersion(qualifiedName: string): Promise<VersionNode | undefined> {
    const ref = parseRef(qualifiedName, { entity: this.registry.entity, project: this.registry.project });
    const project = (await this.children(this.root)).find((n): n is ProjectNode => n.kind === 'project' && n.entity === ref.entity && n.project === ref.project);
    if (!project) return undefined;
    const summary = (await this.collectionsOf(ref.entity, ref.project)).find((s) => s.collection === ref.collection);
    if (!summary) return undefined;
    const type = (await this.children(project)).find((n) => n.kind === 'type' && n.type === summary.type);
    const collection = type && (await this.children(type)).find((n): n is CollectionNode => n.kind === 'collection' && n.summary.collection === ref.collection);
    if (!collection) return undefined;
    const listing = await this.versionsOf(collection.summary);
    const at = listing.position(ref.alias);
    if (at < 0) return undefined;
    if (at >= (this.pages.get(collection.id) ?? VERSION_PAGE)) this.pages.set(collection.id, Math.ceil((at + 1) / VERSION_PAGE) * VERSION_PAGE);
    const wanted = (await listing.slice(at, at + 1))[0]!.qualifiedName;
    return (await this.children(collection)).find((n): n is VersionNode => n.kind === 'version' && n.artifact.qualifiedName === wanted);
  }
}
