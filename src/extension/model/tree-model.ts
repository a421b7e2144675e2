/**
 * The Artifacts tree as plain data: registry → project → type → collection → version → folders and
 * files. No vscode import: the view adapter turns nodes into TreeItems, and tests drive this model
 * against a real registry folder. Children load lazily and are cached until `invalidate()`.
 */
import { homedir } from 'node:os';
import type { Artifact } from '../../core/artifact';
import type { ManifestEntry } from '../../core/manifest';
import type { CollectionSummary, Registry } from '../../registry/registry';
import { formatBytes as formatSize, plural } from '../../core/units';

export const VERSION_PAGE = 50;

interface Base {
  id: string;
  parent?: TreeNode;
}

export interface RegistryNode extends Base {
  kind: 'registry';
  location: string;
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

/** How a node looks; the view adapter maps this onto a TreeItem. */
export interface NodePresentation {
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id. */
  icon?: string;
  /** The value `when` clauses match (`viewItem == …`); every value is listed in CONTEXT_VALUES. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
}

export const CONTEXT_VALUES = [
  'registry',
  'project',
  'typeGroup',
  'collection',
  'collection.links',
  'version',
  'version.latest',
  'version.link',
  'version.link.latest',
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

/** `latest, best · tag one, raw` */
export function versionDescription(a: Artifact): string {
  const parts = [a.aliases.join(', '), a.tags.join(', ')].filter((p) => p.length > 0);
  return parts.join(' · ');
}

export function present(node: TreeNode): NodePresentation {
  switch (node.kind) {
    case 'registry':
      return { label: tildify(node.location), description: 'local registry', tooltip: `Registry folder: ${node.location}`, icon: 'server', contextValue: 'registry', collapsible: 'expanded' };
    case 'project':
      return { label: node.project, description: node.entity, tooltip: `${node.entity}/${node.project}`, icon: 'project', contextValue: 'project', collapsible: 'collapsed' };
    case 'type':
      return { label: node.type, icon: typeIcon(node.type), contextValue: 'typeGroup', collapsible: 'expanded' };
    case 'collection': {
      const s = node.summary;
      const links = s.kind === 'portfolio';
      return {
        label: s.collection,
        description: `${plural(s.versionCount, 'version')}${links ? ' · links' : ''}`,
        tooltip: `${s.entity}/${s.project}/${s.collection} (${s.type}${links ? ', a collection of links' : ''})${s.description ? `\n${s.description}` : ''}`,
        icon: links ? 'link' : typeIcon(s.type),
        contextValue: links ? 'collection.links' : 'collection',
        collapsible: 'collapsed',
      };
    }
    case 'version': {
      const a = node.artifact;
      const lines = [a.qualifiedName, `digest ${a.digest}`, `${plural(a.fileCount, 'file')}, ${formatSize(a.size)}`, `created ${a.createdAt}`];
      if (a.isLink) lines.push(`links to ${a.sourceQualifiedName}`);
      if (a.description) lines.push('', a.description);
      return {
        label: a.version,
        description: versionDescription(a),
        tooltip: lines.join('\n'),
        icon: node.isLatest ? 'star-full' : a.isLink ? 'link' : 'versions',
        contextValue: `version${a.isLink ? '.link' : ''}${node.isLatest ? '.latest' : ''}`,
        collapsible: 'collapsed',
      };
    }
    case 'folder':
      return { label: node.path.slice(node.path.lastIndexOf('/') + 1), contextValue: 'artifactFolder', collapsible: 'collapsed' };
    case 'file': {
      const e = node.entry!;
      return {
        label: node.path.slice(node.path.lastIndexOf('/') + 1),
        description: e.ref ? `→ ${e.ref}` : e.size !== undefined && e.size !== null ? formatSize(e.size) : undefined,
        tooltip: `${node.path}\ndigest ${e.digest}${e.ref ? `\nreference ${e.ref}` : ''}`,
        contextValue: 'artifactFile',
        collapsible: 'none',
      };
    }
    case 'loadMore':
      return { label: 'Load more…', description: `${node.remaining} older`, icon: 'ellipsis', contextValue: 'loadMore', collapsible: 'none' };
    case 'message':
      return { label: node.text, icon: node.severity === 'error' ? 'error' : 'info', contextValue: 'message', collapsible: 'none' };
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
    if (typeof v !== 'object' || v === null || typeof (v as Artifact).loadManifest !== 'function') return v;
    const a = v as Artifact;
    return [a.qualifiedName, a.digest, a.state, a.aliases, a.tags, a.description, a.metadata, a.ttlSetting, a.updatedAt];
  });
}

export class TreeModel {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly loaders = new Map<string, () => Promise<unknown>>();
  private readonly pages = new Map<string, number>();
  readonly root: RegistryNode;

  constructor(readonly registry: Registry) {
    this.root = { kind: 'registry', id: 'registry', location: registry.location };
  }

  /** Forgets everything loaded (the registry changed on disk). */
  invalidate(): void {
    this.cache.clear();
  }

  /**
   * Re-reads the registry data the tree has loaded (manifests never change, so not those), keeps
   * the fresh copies, and says whether any of it differs from what the tree shows. A file event for
   * a change this window made and already shows is then a no-op for the view, so its rows, and a
   * context menu open on one of them, survive it.
   */
  async reload(): Promise<boolean> {
    const keys = [...this.cache.keys()].filter((key) => !key.startsWith('index:'));
    const results = await Promise.all(
      keys.map(async (key) => {
        const fresh = this.loaders.get(key)!();
        const [before, after] = await Promise.all([this.cache.get(key)!.then(fingerprint, () => undefined), fresh.then(fingerprint, () => undefined)]);
        return { key, fresh, ok: after !== undefined, same: before !== undefined && before === after };
      }),
    );
    for (const r of results) {
      if (r.ok) this.cache.set(r.key, r.fresh);
      else this.cache.delete(r.key);
    }
    return results.some((r) => !r.same);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    this.loaders.set(key, load);
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  async children(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return [this.root];
    try {
      switch (node.kind) {
        case 'registry':
          return await this.projects(node);
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
      return [{ kind: 'message', id: `${node.id}/error`, text: `Cannot read the registry: ${(e as Error).message}`, severity: 'error', parent: node }];
    }
  }

  private async projects(parent: RegistryNode): Promise<TreeNode[]> {
    const out: ProjectNode[] = [];
    for (const entity of await this.cached('entities', () => this.registry.listEntities())) {
      for (const project of await this.cached(`projects:${entity}`, () => this.registry.listProjects(entity))) {
        out.push({ kind: 'project', id: `project:${entity}/${project}`, entity, project, parent });
      }
    }
    out.sort((a, b) => Number(b.entity === this.registry.entity) - Number(a.entity === this.registry.entity) || byName(a.project, b.project) || byName(a.entity, b.entity));
    if (out.length === 0) return [{ kind: 'message', id: 'registry/empty', text: 'No artifacts yet', severity: 'info', parent }];
    return out;
  }

  private collectionsOf(entity: string, project: string): Promise<CollectionSummary[]> {
    return this.cached(`collections:${entity}/${project}`, () => this.registry.listCollections(entity, project));
  }

  private async types(parent: ProjectNode): Promise<TreeNode[]> {
    const types = [...new Set((await this.collectionsOf(parent.entity, parent.project)).map((c) => c.type))];
    const rank = (t: string) => (t === 'dataset' ? 0 : t === 'model' ? 1 : 2);
    types.sort((a, b) => rank(a) - rank(b) || byName(a, b));
    return types.map((type) => ({ kind: 'type', id: `type:${parent.entity}/${parent.project}/${type}`, entity: parent.entity, project: parent.project, type, parent }));
  }

  private async collections(parent: TypeNode): Promise<TreeNode[]> {
    return (await this.collectionsOf(parent.entity, parent.project))
      .filter((c) => c.type === parent.type)
      .sort((a, b) => Number(a.kind === 'portfolio') - Number(b.kind === 'portfolio') || byName(a.collection, b.collection))
      .map((summary) => ({ kind: 'collection', id: `collection:${summary.entity}/${summary.project}/${summary.collection}`, summary, parent }));
  }

  private versionsOf(s: CollectionSummary): Promise<Artifact[]> {
    return this.cached(`versions:${s.entity}/${s.project}/${s.collection}`, () => this.registry.listVersions(s));
  }

  private async versions(parent: CollectionNode): Promise<TreeNode[]> {
    const all = await this.versionsOf(parent.summary);
    const shown = this.pages.get(parent.id) ?? VERSION_PAGE;
    const nodes: TreeNode[] = all.slice(0, shown).map((artifact) => ({
      kind: 'version',
      id: `version:${artifact.qualifiedName}`,
      artifact,
      isLatest: artifact.aliases.includes('latest'),
      parent,
    }));
    if (all.length > shown) nodes.push({ kind: 'loadMore', id: `more:${parent.id}`, collection: parent, remaining: all.length - shown, parent });
    return nodes;
  }

  /** Shows another page of versions under the collection of a "Load more" row. */
  loadMore(node: LoadMoreNode): void {
    this.pages.set(node.collection.id, (this.pages.get(node.collection.id) ?? VERSION_PAGE) + VERSION_PAGE);
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
    if (folders.length + files.length === 0) return [{ kind: 'message', id: `${version.id}/empty`, text: 'This version has no files', severity: 'info', parent }];
    return [...folders, ...files];
  }

  /** The node of a version, with its ancestors loaded, so the view can reveal it. */
  async findVersion(qualifiedName: string): Promise<VersionNode | undefined> {
    for (const p of await this.children(this.root)) {
      if (p.kind !== 'project') continue;
      for (const t of await this.children(p)) {
        for (const c of await this.children(t)) {
          if (c.kind !== 'collection') continue;
          const all = await this.versionsOf(c.summary);
          const at = all.findIndex((a) => a.qualifiedName === qualifiedName);
          if (at < 0) continue;
          if (at >= (this.pages.get(c.id) ?? VERSION_PAGE)) this.pages.set(c.id, Math.ceil((at + 1) / VERSION_PAGE) * VERSION_PAGE);
          return (await this.children(c)).find((n): n is VersionNode => n.kind === 'version' && n.artifact.qualifiedName === qualifiedName);
        }
      }
    }
    return undefined;
  }
}
