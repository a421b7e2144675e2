/**
 * The registry: the façade the library, the CLI and the extension use. It wires the modules that do
 * the work, each over one ObjectStore: CollectionStore (the documents), VersionReader (versions as
 * LoggedState), commitLog (the log's commit protocol), VersionEditor (aliases, tags, links, delete),
 * transfer (download, checkout, verify), gc and the cache. Logged artifacts reach it through an
 * ArtifactBackend that is not part of this class's surface.
 */
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { Artifact, draftOptions, INTERNAL, loggedArtifact, type ArtifactOptions } from '../core/artifact';
import type { ArtifactBackend } from '../core/artifact-backend';
import { warn } from '../core/warnings';
import type { HashProgress } from '../core/hashing/pool';
import { DEFAULT_PROJECT, defaultEntity, defaultRegistryLocation, defaultRegistryRoot } from '../core/config';
import { diffManifests, type ManifestDiff } from '../core/diff';
import { NotFoundError } from '../core/errors';
import type { Manifest } from '../core/manifest';
import { validateProjectName } from '../core/validate';
import { openStoreLazily } from '../store/lazy-store';
import type { ObjectStore } from '../store/object-store';
import { cacheCleanup, cacheInfo, type CacheInfo, type CleanupReport } from './cache';
import type { RunRecord } from '../core/artifact-backend';
import { CollectionStore } from './collections';
import { DocumentCache, ImmutableCache, remoteCacheDir } from './document-cache';
import { logDraft, type CommitContext, type LogOptions } from './commit';
import { artifactBackend, recordUse } from './backend';
import { allSummaries, listSummaries, summarize, type CollectionSummary } from './collection-summary';
import { VersionEditor } from './edits';
import { fsck, type FsckProgress, type FsckReport } from './fsck';
import { entryFile, openEntry, type OpenedEntry } from './entry-reader';
import { collectGarbage, liveBlobKeys, liveKeys, type GcReport } from './gc';
import { RunLog } from './lineage';
import { buildLineageGraph, type LineageGraph, type LineageOptions } from './lineage-graph';
import { lineageSource } from './lineage-source';
import { completeRun, startRun, type Run, type RunOptions, type StartedRun } from './run';
import { ManifestStore } from './manifests';
import { Pins } from './pins';
import { parseRef, type CollectionPath } from './refs';
import { folderManifest, type TransferContext } from './transfer';
import { copyVersion, type CopyVersionOptions, type CopyVersionResult, type RegistryParts } from './transfer-between';
import { openVersionListing, type VersionListing } from './version-listing';
import { VersionReader } from './versions';

export type { GcReport } from './gc';
export type { CopyVersionOptions, CopyVersionResult } from './transfer-between';
export type { VersionListing } from './version-listing';
export type { LogOptions, LogProgress } from './commit';
export type { OpenedEntry } from './entry-reader';
export type { LineageGraph, LineageNode, LineageEdge, LineageOptions, LineageRunNode, LineageVersionNode } from './lineage-graph';
export { Run, type RunOptions, type StartedRun } from './run';
export type { CollectionSummary } from './collection-summary';
export type { FsckProblem, FsckProgress, FsckReport } from './fsck';

export interface RegistryOptions {
  /**
   * The registry: a folder, `s3://bucket/prefix?…` or `azure://account/container/prefix?…`
   * (default: ARTIFACTS_REGISTRY or ~/.artifacts). A bucket's SDK is loaded on its first request.
   */
  root?: string;
  /** Any other ObjectStore (tests). */
  store?: ObjectStore;
  /** This machine's folder for the cache in front of a remote store (default: ~/.artifacts, or ARTIFACTS_REGISTRY when a folder). */
  localRoot?: string;
  entity?: string;
  project?: string;
  /** Where drafts made by newArtifact() stage their copies (default: `<local root>/staging`). */
  stagingRoot?: string;
}

export interface LogResult {
  artifact: Artifact;
  /** True when the content equalled `latest` and no new version was made. */
  deduplicated: boolean;
}

function safeEntityName(name: string): string {
  const cleaned = name.replace(/[/\\#?%:\r\n]/g, '-');
  return cleaned === '.' || cleaned === '..' || cleaned === '' ? 'user' : cleaned;
}

export class Registry {
  readonly store: ObjectStore;
  readonly entity: string;
  readonly project: string;
  readonly stagingRoot: string;
  /** This machine's folder for cached blobs, reference downloads and download records. */
  readonly localRoot: string;
  private readonly collectionStore: CollectionStore;
  private readonly manifests: ManifestStore;
  private readonly versions: VersionReader;
  private readonly editor: VersionEditor;
  private readonly runs: RunLog;
  private readonly pins: Pins;
  private readonly backend: ArtifactBackend;

  constructor(opts: RegistryOptions = {}) {
    this.store = opts.store ?? openStoreLazily(opts.root ?? defaultRegistryLocation());
    this.entity = validateProjectName(opts.entity ?? safeEntityName(defaultEntity()), 'entity');
    this.project = validateProjectName(opts.project ?? DEFAULT_PROJECT);
    this.localRoot = this.store.local?.root ?? opts.localRoot ?? defaultRegistryRoot();
    this.stagingRoot = opts.stagingRoot ?? path.join(this.localRoot, 'staging');
    // A remote store's documents, manifests and run records are kept on this machine (document-cache.ts).
    const remoteCache = this.store.local ? undefined : remoteCacheDir(this.localRoot, this.store.location);
    const immutable = remoteCache ? new ImmutableCache(this.store, remoteCache) : undefined;
    this.collectionStore = new CollectionStore(this.store, remoteCache ? new DocumentCache(this.store, remoteCache) : undefined);
    this.manifests = new ManifestStore(this.store, immutable);
    this.versions = new VersionReader(this.collectionStore);
    this.runs = new RunLog(this.store, immutable);
    this.pins = new Pins(this.store);
    this.editor = new VersionEditor(this.collectionStore, this.versions, () => this.backend);
    const parts = { store: this.store, collections: this.collectionStore, versions: this.versions, editor: this.editor, manifests: this.manifests, runs: this.runs, transfer: this.transfer };
    this.backend = artifactBackend({ ...parts, newArtifact: (name, type, o, base) => this.newArtifact(name, type, o, base) });
  }

  get location(): string {
    return this.store.location;
  }

  /** The log's hash cache (core/hash-cache.ts), on this machine. */
  private get hashCacheDir(): string {
    return path.join(this.localRoot, 'hashcache');
  }

  private get transfer(): TransferContext {
    return { store: this.store, localRoot: this.localRoot };
  }

  /**
   * A draft that stages next to this registry: for a local folder its copies are written straight
   * into the object store (staging a file is storing it), otherwise into `<local root>/staging`.
   * `save()` on the draft logs it here.
   */
  newArtifact(name: string, type: string, opts: ArtifactOptions = {}, base?: { manifest: Manifest; id: string; entity: string; project: string }): Artifact {
    const blobDir = this.store.local ? path.join(this.store.local.root, 'objects') : undefined;
    return new Artifact(name, type, draftOptions({ stagingDir: this.stagingRoot, ...opts }, { blobDir, base, stagingGuard: () => this.pins.pinWritesSince(), hashCacheDir: this.hashCacheDir, home: { log: (draft) => this.log(draft) } }));
  }

  // ---- reading -------------------------------------------------------------------------------------

  /** Fetches a version by `[entity/][project/]collection[:alias|vN]`. */
  async get(ref: string, { manifest = true } = {}): Promise<Artifact> {
    const state = await this.versions.resolve(parseRef(ref, { entity: this.entity, project: this.project }), ref);
    return loggedArtifact(state, this.backend, manifest ? await this.manifests.read(state.manifestKey) : undefined);
  }

  /** True when `ref` names a version (a registry that cannot be read still throws). */
  exists(ref: string): Promise<boolean> {
    return this.get(ref, { manifest: false }).then(
      () => true,
      (e) => (e instanceof NotFoundError ? false : Promise.reject(e)),
    );
  }

  listEntities(): Promise<string[]> {
    return this.collectionStore.entities();
  }

  listProjects(entity = this.entity): Promise<string[]> {
    return this.collectionStore.projects(entity);
  }

  /** The collections of a project; one whose document is damaged is listed with its `error` (and a warning). */
  listCollections(entity = this.entity, project = this.project): Promise<CollectionSummary[]> {
    return listSummaries(this.collectionStore, entity, project);
  }

  /** One collection's summary, read fresh (undefined when it does not exist). */
  async collection(c: CollectionPath): Promise<CollectionSummary | undefined> {
    const loaded = await this.collectionStore.load(c);
    return loaded && summarize(loaded.doc);
  }

  /** Every collection of the registry, entity by entity and project by project. */
  allCollections(): AsyncGenerator<CollectionSummary> {
    return allSummaries(this.collectionStore);
  }

  /** Versions of a collection, newest first (committed only unless asked). */
  async listVersions(c: CollectionPath, { includeDeleted = false } = {}): Promise<Artifact[]> {
    return (await this.versions.list(c, { includeDeleted })).map((s) => loggedArtifact(s, this.backend));
  }

  /**
   * A collection's versions, newest first, read once and made into artifacts a slice at a time (a
   * view pages 10,000 versions without building them all). Throws NotFoundError when it does not exist.
   */
  async versionListing(c: CollectionPath, { includeDeleted = false } = {}): Promise<VersionListing> {
    const doc = await this.collectionStore.require(c);
    return openVersionListing(this.versions, doc, (s) => loggedArtifact(s, this.backend), async (src) => (await this.collectionStore.load(src))?.doc, includeDeleted);
  }

  // ---- logging -------------------------------------------------------------------------------------

  /**
   * Logs a draft as the next version of its collection. The draft's staging is discarded once the
   * version is committed; after a failure the draft stays editable and can be logged again.
   */
  log(draft: Artifact, opts: LogOptions = {}): Promise<LogResult> {
    const ctx: CommitContext = { store: this.store, collections: this.collectionStore, manifests: this.manifests, versions: this.versions, runs: this.runs, pins: this.pins, defaults: { entity: this.entity, project: this.project } };
    return logDraft(ctx, draft, this.backend, opts);
  }

  /**
   * A local file with one entry's bytes (the stored object in a local registry, else a copy `spool`
   * writes from a digest-checked stream); undefined when the version has no such file.
   */
  async entryFile(artifact: Artifact, logicalPath: string, spool: (stream: Readable, name: string) => Promise<string>, opts: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    return entryFile(this.transfer, await artifact.loadManifest(), logicalPath, artifact.qualifiedName, spool, opts);
  }

  /** One file of a logged version as a stream, checked against its digest (references are fetched). */
  async openEntry(artifact: Artifact, logicalPath: string, opts: { signal?: AbortSignal } = {}): Promise<OpenedEntry> {
    return openEntry(this.transfer, await artifact.loadManifest(), logicalPath, artifact.qualifiedName, opts);
  }

  // ---- folders and comparisons ---------------------------------------------------------------------

  /** The manifest of a folder as it is now (files known from download records are not read again). */
  folderManifest(folder: string, opts: { signal?: AbortSignal; onProgress?: (p: HashProgress & { totalFiles: number }) => void } = {}): Promise<Manifest> {
    return folderManifest(this.transfer, this.hashCacheDir, folder, opts);
  }

  /** Differences from version `before` to version or folder `after`. */
  async diff(before: string, after: string | { folder: string }, opts: { signal?: AbortSignal } = {}): Promise<ManifestDiff & { before: string; after: string }> {
    const a = await this.get(before);
    if (typeof after === 'string') {
      const b = await this.get(after);
      return { ...diffManifests(a.manifest, b.manifest), before: a.qualifiedName, after: b.qualifiedName };
    }
    const folder = await this.folderManifest(after.folder, opts);
    return { ...diffManifests(a.manifest, folder), before: a.qualifiedName, after: path.resolve(after.folder) };
  }

  // ---- moving versions between registries ------------------------------------------------------------

  /** What a copy between registries needs of this one (transfer-between.ts). */
  private parts(): RegistryParts {
    return { store: this.store, localRoot: this.localRoot, entity: this.entity, project: this.project, collections: this.collectionStore, manifests: this.manifests, versions: this.versions, pins: this.pins };
  }

  /**
   * Copies the version `ref` of this registry into `target` (a folder, bucket or container): same
   * digest, the given aliases, its attributes and lineage; only the blobs the target lacks move,
   * through the target's commit protocol.
   */
  push(ref: string, target: Registry, opts: CopyVersionOptions = {}): Promise<CopyVersionResult> {
    return copyVersion(this.parts(), target.parts(), ref, opts);
  }

  /** Copies the version `ref` of `source` into this registry (push, the other way round). */
  pull(ref: string, source: Registry, opts: CopyVersionOptions = {}): Promise<CopyVersionResult> {
    return source.push(ref, this, opts);
  }

  // ---- runs and lineage ------------------------------------------------------------------------------

  /**
   * Runs `fn` as the named run `name` (W&B's `wandb.init(…)` … `finish()`): its record (name, command
   * line, host, user, git commit, start) is written first; every version `fn` downloads, checks out or
   * starts a draft from is an input of the run, every version it logs an output, across awaits and
   * apart from other runs working at once; then the end (time, exit code 0, or 1 and the error when
   * `fn` throws) is written and `fn`'s result returned (or its error thrown).
   */
  async run<T>(name: string, fn: (run: Run) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    return completeRun(await this.startRun(name, opts), fn);
  }

  /**
   * Starts a named run and returns it with the function that records its end (`artifacts run` ends
   * it when its command exits). The record of the start is written now; a store that refuses it fails here.
   */
  startRun(name: string, opts: RunOptions = {}): Promise<StartedRun> {
    const host = { get: (ref: string) => this.get(ref), recordUse: (a: Artifact) => recordUse(this.runs, this.location, a[INTERNAL].logged!), log: (draft: Artifact, o?: LogOptions) => this.log(draft, o) };
    return startRun(this.runs, this.location, host, name, opts);
  }

  /** A run recorded in this registry, with its end when it has one (null: no such run). */
  runRecord(id: string): Promise<RunRecord | null> {
    return this.runs.readRecord(id);
  }

  /** The refs of the source versions a run used (`inputs`) or logged (`outputs`). */
  async runVersions(id: string, edge: 'inputs' | 'outputs'): Promise<string[]> {
    return (await this.runs.edges(id, edge)).map((v) => `${v.entity}/${v.project}/${v.collection}:v${v.index}`);
  }

  /**
   * The lineage graph of a version (a link: of its source version): the runs that made and used it
   * and the versions they used and made, `depth` runs away in each direction (lineage-graph.ts).
   */
  async lineage(ref: string, opts: LineageOptions = {}): Promise<LineageGraph> {
    const state = await this.versions.resolve(parseRef(ref, { entity: this.entity, project: this.project }), ref);
    return buildLineageGraph(lineageSource(this.collectionStore, this.runs), state.source, {
      onError: (e) => warn(l10n.t('Part of the lineage could not be read from {0}: {1}', this.location, (e as Error).message)),
      ...opts,
    });
  }

  // ---- garbage collection and the cache --------------------------------------------------------------

  /**
   * Expires versions whose TTL has passed, then removes manifests and blobs that no live version
   * needs (older than a grace period, so in-flight logs are safe) and stale temp files.
   */
  gc(opts: { at?: number; graceMs?: number } = {}): Promise<GcReport> {
    return collectGarbage(this.store, this.collectionStore, this.pins, opts);
  }

  /**
   * Checks every collection document, manifest and stored blob (re-hashed); with `repair`, removes
   * dangling aliases and moves damaged objects to `quarantine/` (see fsck.ts).
   */
  fsck(opts: { repair?: boolean; signal?: AbortSignal; onProgress?: (p: FsckProgress) => void } = {}): Promise<FsckReport> {
    return fsck(this.store, this.collectionStore, this.manifests, opts);
  }

  /**
   * The cache in front of a remote registry is this machine's registry folder (its `objects/`):
   * its cache commands are that registry's, which keep whatever its own versions need.
   */
  private cacheOwner(): Registry | undefined {
    return this.store.local ? undefined : new Registry({ root: this.localRoot, entity: this.entity, project: this.project });
  }

  async cacheInfo(): Promise<CacheInfo> {
    const owner = this.cacheOwner();
    if (owner) return owner.cacheInfo();
    return cacheInfo(this.localRoot, await liveBlobKeys(this.store, this.collectionStore));
  }

  /**
   * Shrinks the local cache to `maxBytes`, least recently used first: never a live version's blob,
   * a pinned one, or one younger than `graceMs` (default: gc's grace period).
   */
  async cacheCleanup(maxBytes: number, { graceMs }: { graceMs?: number } = {}): Promise<CleanupReport> {
    const owner = this.cacheOwner();
    if (owner) return owner.cacheCleanup(maxBytes, { graceMs });
    return cacheCleanup(this.localRoot, await liveBlobKeys(this.store, this.collectionStore), maxBytes, {
      graceMs,
      owner: this.store.local ? { store: this.store, pins: this.pins, live: () => liveKeys(this.store, this.collectionStore) } : undefined,
    });
  }
}
