/**
 * The registry: the façade the library, the CLI and the extension use. It wires the modules that do
 * the work, each over one ObjectStore: CollectionStore (the documents), VersionReader (versions as
 * LoggedState), commitLog (the log's commit protocol), VersionEditor (aliases, tags, links, delete),
 * transfer (download, checkout, verify), gc and the cache. Logged artifacts reach it through an
 * ArtifactBackend that is not part of this class's surface.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { Artifact, draftOptions, INTERNAL, loggedArtifact, type ArtifactOptions } from '../core/artifact';
import { refText, type ArtifactBackend, type LoggedState } from '../core/artifact-backend';
import { warn } from '../core/warnings';
import { ChecksumRecords } from '../core/checksum-records';
import { HashCache } from '../core/hash-cache';
import type { HashProgress } from '../core/hashing/pool';
import { DEFAULT_PROJECT, defaultEntity, defaultRegistryLocation, defaultRegistryRoot } from '../core/config';
import { diffManifests, type ManifestDiff } from '../core/diff';
import { defaultDownloadRoot } from '../core/download-folder';
import { NotFoundError } from '../core/errors';
import { snapshotFolder, verifyFolder } from '../core/folder';
import { TRACKING_FILE, trackingState, writeTracking } from '../core/tracking';
import type { Manifest } from '../core/manifest';
import { validateProjectName } from '../core/validate';
import { openStoreLazily } from '../store/lazy-store';
import type { ObjectStore } from '../store/object-store';
import { cacheCleanup, cacheInfo, type CacheInfo, type CleanupReport } from './cache';
import { DamagedCollectionError } from './collection-doc';
import type { RunEnd, RunInfo, RunRecord } from '../core/artifact-backend';
import { CollectionStore } from './collections';
import { DocumentCache, ImmutableCache, remoteCacheDir } from './document-cache';
import { commitLog, type CommitContext, type LogOptions } from './commit';
import { CollectionApi } from './collection-api';
import { summarize, type CollectionSummary } from './collection-summary';
import { VersionEditor } from './edits';
import { fsck, type FsckProgress, type FsckReport } from './fsck';
import { entryFile, openEntry, type OpenedEntry } from './entry-reader';
import { blobKeysOf, collectGarbage, liveKeys, liveManifestKeys, type GcReport } from './gc';
import { describeNewRun, RunLog, withinRun } from './lineage';
import { buildLineageGraph, type LineageGraph, type LineageOptions, type LineageSource, type VersionKey } from './lineage-graph';
import { Run, type RunOptions } from './run';
import { findVersion, type CollectionDoc } from './collection-doc';
import { ManifestStore } from './manifests';
import { Pins } from './pins';
import { parseRef, type CollectionPath } from './refs';
import { downloadManifest, planCheckout, recordsDir, type TransferContext } from './transfer';
import { copyVersion, type CopyVersionOptions, type CopyVersionResult, type RegistryParts } from './transfer-between';
import { openVersionListing, type VersionListing } from './version-listing';
import { VersionReader } from './versions';

export type { GcReport } from './gc';
export type { CopyVersionOptions, CopyVersionResult } from './transfer-between';
export type { VersionListing } from './version-listing';
export type { LogOptions, LogProgress } from './commit';
export type { OpenedEntry } from './entry-reader';
export type { LineageGraph, LineageNode, LineageEdge, LineageOptions, LineageRunNode, LineageVersionNode } from './lineage-graph';
export { Run, type RunOptions } from './run';
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
    this.backend = this.makeBackend();
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

  /** What logged artifacts of this registry call (not part of the public surface). */
  private makeBackend(): ArtifactBackend {
    const root = (s: LoggedState, r: string | undefined) => r ?? defaultDownloadRoot(s.source);
    const api = new CollectionApi(this.collectionStore, this.versions, this.editor, () => this.backend);
    return {
      location: this.store.location,
      linkedArtifacts: (s) => api.linkedArtifacts(s),
      sourceArtifact: (s) => api.sourceArtifact(s),
      collectionInfo: (c) => api.collectionInfo(c),
      collectionVersions: (c) => api.collectionVersions(c),
      saveCollection: (c, changes) => api.saveCollection(c, changes),
      deleteCollection: (c) => api.deleteCollection(c),
      loadManifest: (s) => this.manifests.read(s.manifestKey),
      download: async (s, r, opts) => {
        const manifest = await this.manifests.read(s.manifestKey);
        const result = await downloadManifest(this.transfer, manifest, root(s, r), opts, refText(s, true));
        if (opts.track && !opts.pathPrefix) await this.track(s, manifest, result.root);
        await this.recordUse(s);
        return result;
      },
      planCheckout: async (s, r) => {
        const manifest = await this.manifests.read(s.manifestKey);
        const plan = await planCheckout(this.transfer, manifest, root(s, r), refText(s, true));
        return {
          ...plan,
          execute: async (opts = {}) => {
            const result = await plan.execute(opts);
            if (opts.track) await this.track(s, manifest, result.root);
            await this.recordUse(s);
            return result;
          },
        };
      },
      verify: async (s, r, { fast, ...opts }) => {
        const folder = root(s, r);
        const records = fast ? await ChecksumRecords.load(recordsDir(this.transfer), folder) : undefined;
        return verifyFolder(await this.manifests.read(s.manifestKey), folder, { ...opts, records });
      },
      update: (s, changes) => this.editor.update(s, changes),
      delete: (s, opts) => this.editor.delete(s, opts),
      link: (s, target, aliases) => this.editor.link(s, target, aliases),
      unlink: (s) => this.editor.unlink(s),
      loggedBy: async (s) => {
        const run = await this.versions.loggedBy(s.source);
        return run ? this.runs.read(run) : null;
      },
      usedBy: (s) => this.runs.usedBy(s.source),
      recordUse: (s) => this.recordUse(s),
      newDraft: (s, base) =>
        this.newArtifact(s.source.collection, s.type, { description: base.description, metadata: base.metadata }, { manifest: base.manifest, id: s.id, entity: s.source.entity, project: s.source.project }),
    };
  }

  /**
   * Makes `root` track the version (its source, for a link). A version that holds a file named like
   * the tracking file at its root cannot be tracked: its own file stays, with a warning.
   */
  private async track(s: LoggedState, manifest: Manifest, root: string): Promise<void> {
    if (manifest.has(TRACKING_FILE)) {
      warn(l10n.t('{0} holds a file named {1} at its root, so {2} cannot track it', refText(s, true), TRACKING_FILE, root));
      return;
    }
    await writeTracking(root, trackingState({ ...s.source, digest: s.digest }, this.store.location));
  }

  /** Lineage is best effort: a read-only registry still downloads, with a warning. */
  private async recordUse(s: LoggedState): Promise<void> {
    await this.runs
      .recordUse(s.source)
      .catch((e) => warn(l10n.t('Could not record the use of {0} in {1}: {2}', refText(s, true), this.location, (e as NodeJS.ErrnoException).code ?? (e as Error).message)));
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

  async exists(ref: string): Promise<boolean> {
    try {
      await this.get(ref, { manifest: false });
      return true;
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  }

  listEntities(): Promise<string[]> {
    return this.collectionStore.entities();
  }

  listProjects(entity = this.entity): Promise<string[]> {
    return this.collectionStore.projects(entity);
  }

  /** The collections of a project; one whose document is damaged is listed with its `error` (and a warning). */
  async listCollections(entity = this.entity, project = this.project): Promise<CollectionSummary[]> {
    const names = await this.collectionStore.names(entity, project);
    const out = await Promise.all(
      names.map(async (collection): Promise<CollectionSummary | undefined> => {
        try {
          const loaded = await this.collectionStore.load({ entity, project, collection });
          return loaded && loaded.doc.state !== 'DELETED' ? summarize(loaded.doc) : undefined;
        } catch (e) {
          if (!(e instanceof DamagedCollectionError)) throw e;
          warn(e.message);
          return { entity, project, collection, error: e.message, type: 'unknown', kind: 'sequence', description: null, versionCount: 0, latest: undefined, createdAt: '', updatedAt: '' };
        }
      }),
    );
    return out.filter((c) => c !== undefined);
  }

  /** One collection's summary, read fresh (undefined when it does not exist). */
  async collection(c: CollectionPath): Promise<CollectionSummary | undefined> {
    const loaded = await this.collectionStore.load(c);
    return loaded && summarize(loaded.doc);
  }

  /** Every collection of the registry, entity by entity and project by project. */
  async *allCollections(): AsyncGenerator<CollectionSummary> {
    for await (const c of this.collectionStore.walk()) {
      const loaded = await this.collectionStore.load(c).catch((e) => {
        if (e instanceof DamagedCollectionError) return undefined; // listed, with its error, by listCollections
        throw e;
      });
      if (loaded && loaded.doc.state !== 'DELETED') yield summarize(loaded.doc);
    }
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
  async log(draft: Artifact, opts: LogOptions = {}): Promise<LogResult> {
    const internals = draft[INTERNAL];
    const ctx: CommitContext = {
      store: this.store,
      collections: this.collectionStore,
      manifests: this.manifests,
      versions: this.versions,
      runs: this.runs,
      pins: this.pins,
      defaults: { entity: this.entity, project: this.project },
    };
    let committed = false;
    try {
      const { state, deduplicated } = await commitLog(ctx, draft, opts);
      committed = true;
      internals.markLogged(state, this.backend);
      return { artifact: draft, deduplicated };
    } catch (e) {
      internals.reopenAfterFailedLog();
      throw e;
    } finally {
      if (committed) await internals.staging?.discard();
    }
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
  async folderManifest(folder: string, opts: { signal?: AbortSignal; onProgress?: (p: HashProgress & { totalFiles: number }) => void } = {}): Promise<Manifest> {
    const st = await fsp.stat(folder).catch(() => undefined);
    if (!st?.isDirectory()) throw new NotFoundError(l10n.t('No such folder: {0}', folder));
    const records = await ChecksumRecords.load(recordsDir(this.transfer), folder);
    // Files known from a download's records or from the log's hash cache are not read; what is
    // read is recorded, so that asking again (status, a diff with the folder) costs a stat a file.
    const hashCache = await HashCache.load(this.hashCacheDir, folder);
    const manifest = await snapshotFolder(folder, { records, hashCache, remember: true, signal: opts.signal, onProgress: opts.onProgress });
    await records.save();
    return manifest;
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
    const started = await this.startRun(name, opts);
    let result: T;
    try {
      result = await withinRun(started.info, () => fn(started.run));
    } catch (e) {
      await started.end({ endedAt: new Date().toISOString(), exitCode: 1, error: (e as Error)?.message ?? String(e) });
      throw e;
    }
    await started.end({ endedAt: new Date().toISOString(), exitCode: 0 });
    return result;
  }

  /**
   * Starts a named run and returns it with the function that records its end (`artifacts run` ends
   * it when its command exits). The record of the start is written now; a store that refuses it fails here.
   */
  async startRun(name: string, opts: RunOptions = {}): Promise<{ info: RunInfo; run: Run; end(end: RunEnd): Promise<void> }> {
    const info = describeNewRun(name, opts);
    await this.runs.start(info);
    const run = new Run(info, {
      get: (ref) => this.get(ref),
      recordUse: (a) => this.recordUse(a[INTERNAL].logged!),
      log: (draft, logOpts) => this.log(draft, logOpts),
    });
    return {
      info,
      run,
      end: async (end) => {
        await this.runs.end(info.id, end).catch((e) => warn(l10n.t('Could not record the end of run {0} in {1}: {2}', info.id, this.location, (e as NodeJS.ErrnoException).code ?? (e as Error).message)));
      },
    };
  }

  /** A run recorded in this registry, with its end when it has one (null: no such run). */
  runRecord(id: string): Promise<RunRecord | null> {
    return this.runs.readRecord(id);
  }

  /** The refs of the source versions a run used (`inputs`) or logged (`outputs`). */
  async runVersions(id: string, edge: 'inputs' | 'outputs'): Promise<string[]> {
    return (await this.runs.edges(id, edge)).map((v) => `${v.entity}/${v.project}/${v.collection}:v${v.index}`);
  }

  /** Reads lineage from this registry's store, each collection document once per graph. */
  private lineageSource(): LineageSource {
    const docs = new Map<string, Promise<CollectionDoc | undefined>>();
    const doc = (v: VersionKey) => {
      const key = `${v.entity}/${v.project}/${v.collection}`;
      let p = docs.get(key);
      if (!p) {
        p = this.collectionStore.load(v).then((l) => l?.doc);
        docs.set(key, p);
      }
      return p;
    };
    return {
      version: async (v) => {
        const d = await doc(v);
        const found = d && findVersion(d, v.index);
        if (!d || !found) return undefined;
        const aliases = Object.entries(d.aliases)
          .filter(([, i]) => i === v.index)
          .map(([a]) => a);
        return { type: d.type, aliases, digest: found.digest ?? null, createdAt: found.createdAt, state: found.state, loggedBy: found.loggedBy ?? null };
      },
      run: (id) => this.runs.readRecord(id),
      usedBy: (v) => this.runs.usedByIds(v),
      inputs: (id) => this.runs.edges(id, 'inputs'),
      outputs: (id) => this.runs.edges(id, 'outputs'),
    };
  }

  /**
   * The lineage graph of a version (a link: of its source version): the runs that made and used it
   * and the versions they used and made, `depth` runs away in each direction (lineage-graph.ts).
   */
  async lineage(ref: string, opts: LineageOptions = {}): Promise<LineageGraph> {
    const state = await this.versions.resolve(parseRef(ref, { entity: this.entity, project: this.project }), ref);
    return buildLineageGraph(this.lineageSource(), state.source, {
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

  /** Blobs the local cache must keep: those of live versions, when this registry is the local one. */
  private async cacheLiveSet(): Promise<Set<string>> {
    return this.store.local ? blobKeysOf(this.store, await liveManifestKeys(this.collectionStore)) : new Set();
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
    return cacheInfo(this.localRoot, await this.cacheLiveSet());
  }

  /**
   * Shrinks the local cache to `maxBytes`, least recently used first: never a live version's blob,
   * a pinned one, or one younger than `graceMs` (default: gc's grace period).
   */
  async cacheCleanup(maxBytes: number, { graceMs }: { graceMs?: number } = {}): Promise<CleanupReport> {
    const owner = this.cacheOwner();
    if (owner) return owner.cacheCleanup(maxBytes, { graceMs });
    return cacheCleanup(this.localRoot, await this.cacheLiveSet(), maxBytes, {
      graceMs,
      owner: this.store.local ? { store: this.store, pins: this.pins, live: () => liveKeys(this.store, this.collectionStore) } : undefined,
    });
  }
}
