/**
 * The registry: versions, aliases, tags, links, TTL and lineage, written once against ObjectStore.
 *
 * Commit protocol of a log: put the manifest (content-addressed) → put the blobs the store lacks →
 * record the run → compare-and-swap the collection document to append `vN` and move the aliases.
 * Until that last single write nothing is visible; after it everything is. Concurrent writers retry
 * the swap on a fresh document, so each gets its own version number and no change is lost.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import pLimit from 'p-limit';
import {
  Artifact,
  type ArtifactBackend,
  type ArtifactOptions,
  type ArtifactUpdate,
  type LoggedState,
  type RunInfo,
  type VersionRef,
} from '../core/artifact';
import { ChecksumRecords } from '../core/checksum-records';
import { DEFAULT_PROJECT, defaultEntity, defaultRegistryRoot } from '../core/config';
import { diffManifests, type ManifestDiff } from '../core/diff';
import { snapshotFolder, verifyFolder, type VerifyResult } from '../core/folder';
import { isMd5B64 } from '../core/digest';
import { ConflictError, CorruptObjectError, NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import { Manifest } from '../core/manifest';
import { TTL_INHERIT, validateTtl } from '../core/ttl';
import { validateAliases, validateMetadata, validateProjectName, validateTags } from '../core/validate';
import { warn } from '../core/warnings';
import { LocalObjectStore } from '../store/local-store';
import type { ObjectStore } from '../store/object-store';
import {
  aliasesOf,
  appendVersion,
  deleteVersion,
  findVersion,
  newCollection,
  parseCollection,
  resolveAlias,
  sameRef,
  updateVersion,
  type CollectionDoc,
  type VersionDoc,
} from './collection-doc';
import { blobKey, collectionKey, collectionsPrefix, entitiesPrefix, manifestKey, projectsPrefix } from './layout';
import { crashPoint } from './crash-points';
import { blobKeysOf, collectGarbage, GC_GRACE_MS, liveManifestKeys, type GcHost, type GcReport } from './gc';
import { RunLog } from './lineage';
import { formatRef, parseCollectionPath, parseRef, type CollectionPath } from './refs';
import { cacheCleanup, cacheInfo, type CacheInfo, type CleanupReport } from './cache';
import { checkoutManifest, checkoutPlan, downloadManifest, recordsDir, type DownloadOptions, type DownloadResult, type TransferContext } from './transfer';

export interface RegistryOptions {
  /** Folder of a local registry (default: ARTIFACTS_REGISTRY or ~/.artifacts). */
  root?: string;
  /** Any other ObjectStore (tests, team registries). */
  store?: ObjectStore;
  entity?: string;
  project?: string;
  /** Where drafts made by newArtifact() stage their copies (default: `<root>/staging`). */
  stagingRoot?: string;
}

export interface LogProgress {
  phase: 'store' | 'commit';
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface LogOptions {
  aliases?: string[];
  tags?: string[];
  entity?: string;
  project?: string;
  signal?: AbortSignal;
  onProgress?: (p: LogProgress) => void;
}

export type { GcReport } from './gc';

export interface LogResult {
  artifact: Artifact;
  /** True when the content equalled `latest` and no new version was made. */
  deduplicated: boolean;
}

export interface CollectionSummary extends CollectionPath {
  type: string;
  kind: 'sequence' | 'portfolio';
  description: string | null;
  versionCount: number;
  latest: number | undefined;
  createdAt: string;
  updatedAt: string;
}


interface Loaded {
  doc: CollectionDoc;
  etag: string;
}

const BLOB_CONCURRENCY = 16;
const CAS_ATTEMPTS = 2000;

function now(): string {
  return new Date().toISOString();
}

function newId(): string {
  return randomBytes(8).toString('hex');
}

function safeEntityName(name: string): string {
  const cleaned = name.replace(/[/\\#?%:\r\n]/g, '-');
  return cleaned === '.' || cleaned === '..' || cleaned === '' ? 'user' : cleaned;
}

export class Registry implements ArtifactBackend {
  readonly store: ObjectStore;
  readonly entity: string;
  readonly project: string;
  readonly stagingRoot: string;
  private readonly manifestKeys = new WeakMap<Artifact, string>();
  private readonly runs: RunLog;

  constructor(opts: RegistryOptions = {}) {
    const root = opts.root ?? defaultRegistryRoot();
    this.store = opts.store ?? new LocalObjectStore(root);
    this.entity = validateProjectName(opts.entity ?? safeEntityName(defaultEntity()), 'Entity name');
    this.project = validateProjectName(opts.project ?? DEFAULT_PROJECT);
    this.stagingRoot = opts.stagingRoot ?? `${this.store instanceof LocalObjectStore ? this.store.root : defaultRegistryRoot()}/staging`;
    this.runs = new RunLog(this.store);
  }

  get location(): string {
    return this.store.location;
  }

  private get defaults() {
    return { entity: this.entity, project: this.project };
  }

  /**
   * A draft that stages next to this registry: for a local folder its copies are written straight
   * into the object store (staging a file is storing it), otherwise into `<root>/staging`.
   */
  newArtifact(name: string, type: string, opts: ArtifactOptions = {}): Artifact {
    const blobDir = this.store instanceof LocalObjectStore ? `${this.store.root}/objects` : undefined;
    return new Artifact(name, type, { stagingDir: this.stagingRoot, blobDir, ...opts });
  }

  // ---- collection documents ------------------------------------------------------------------------

  private async load(c: CollectionPath): Promise<Loaded | undefined> {
    const key = collectionKey(c);
    const obj = await this.store.get(key);
    return obj && { doc: parseCollection(obj.body, key), etag: obj.etag };
  }

  private async loadOrThrow(c: CollectionPath): Promise<CollectionDoc> {
    const loaded = await this.load(c);
    if (!loaded) throw new NotFoundError(`Collection ${c.entity}/${c.project}/${c.collection} does not exist`);
    return loaded.doc;
  }

  /**
   * Applies `change` to the freshest document until the swap succeeds. `change` gets a private copy
   * (or undefined when the collection does not exist yet) and returns the next document.
   */
  private async mutate<T>(c: CollectionPath, change: (doc: CollectionDoc | undefined) => { doc: CollectionDoc; result: T }): Promise<T> {
    const key = collectionKey(c);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const loaded = await this.load(c);
      const { doc, result } = change(loaded ? structuredClone(loaded.doc) : undefined);
      if (await this.store.compareAndSwap(key, loaded?.etag ?? null, JSON.stringify(doc))) return result;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt)));
    }
    throw new ConflictError(`Could not update ${key}: too many concurrent writers`);
  }

  // ---- reading -------------------------------------------------------------------------------------

  /** The state of a version as seen through `doc` (for portfolio members, merged with the source). */
  private async stateOf(doc: CollectionDoc, v: VersionDoc, sources?: Map<string, CollectionDoc | undefined>): Promise<{ state: LoggedState; manifest?: string }> {
    const here = { entity: doc.entity, project: doc.project, collection: doc.name };
    let src = v;
    let srcRef: VersionRef = { ...here, index: v.index };
    let state = v.state;
    if (v.source) {
      srcRef = v.source;
      const key = collectionKey(srcRef);
      let srcDoc = sources?.get(key);
      if (!sources?.has(key)) {
        srcDoc = (await this.load(srcRef))?.doc;
        sources?.set(key, srcDoc);
      }
      const found = srcDoc && findVersion(srcDoc, srcRef.index);
      if (!found) throw new NotFoundError(`The source ${formatRef(srcRef)} of ${formatRef({ ...here, index: v.index })} is gone`);
      src = found;
      if (found.state !== 'COMMITTED') state = 'DELETED';
    }
    return {
      manifest: src.manifest,
      state: {
        id: v.id,
        ...here,
        index: v.index,
        isLink: doc.kind === 'portfolio',
        source: srcRef,
        type: doc.type,
        digest: src.digest!,
        size: src.size ?? 0,
        fileCount: src.fileCount ?? 0,
        state,
        aliases: aliasesOf(doc, v.index),
        tags: src.tags ?? [],
        description: src.description ?? null,
        metadata: src.metadata ?? {},
        ttl: src.ttl === undefined ? TTL_INHERIT : src.ttl,
        createdAt: v.createdAt,
        updatedAt: v.updatedAt > src.updatedAt ? v.updatedAt : src.updatedAt,
      },
    };
  }

  private wrap(state: LoggedState, manifestKeyOfVersion: string | undefined, manifest?: Manifest): Artifact {
    const artifact = Artifact.fromLogged(state, this, manifest);
    if (manifestKeyOfVersion) this.manifestKeys.set(artifact, manifestKeyOfVersion);
    return artifact;
  }

  /** Fetches a version by `[entity/][project/]collection[:alias|vN]`. */
  async get(ref: string, { manifest = true } = {}): Promise<Artifact> {
    const r = parseRef(ref, this.defaults);
    const doc = await this.loadOrThrow(r);
    const v = resolveAlias(doc, r.alias, `${r.entity}/${r.project}/${r.collection}`);
    const { state, manifest: key } = await this.stateOf(doc, v);
    if (state.state !== 'COMMITTED') throw new NotFoundError(`${ref}: its source version ${formatRef(state.source)} was deleted`);
    const artifact = this.wrap(state, key);
    if (manifest) await artifact.loadManifest();
    return artifact;
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

  /**
   * Reads a manifest. Its key is the MD5 of its bytes, checked here, so a changed manifest is caught
   * without recomputing the artifact digest (which would sort every path again).
   */
  private async readManifest(key: string): Promise<Manifest> {
    const obj = await this.store.get(key);
    if (!obj) throw new NotFoundError(`The manifest ${key} is missing from ${this.store.location}`);
    const bytesMd5 = createHash('md5').update(obj.body).digest('hex');
    if (key !== manifestKey(bytesMd5)) throw new CorruptObjectError(key, key, manifestKey(bytesMd5));
    return Manifest.parse(obj.body);
  }

  async loadManifest(artifact: Artifact): Promise<Manifest> {
    let key = this.manifestKeys.get(artifact);
    if (!key) {
      const doc = await this.loadOrThrow(artifact.isLink ? { entity: artifact.sourceEntity, project: artifact.sourceProject, collection: artifact.sourceCollection } : { entity: artifact.entity, project: artifact.project, collection: artifact.collectionName });
      key = findVersion(doc, Number(artifact.sourceVersion.slice(1)))?.manifest;
      if (!key) throw new NotFoundError(`${artifact.qualifiedName} has no manifest`);
    }
    return this.readManifest(key);
  }

  async listEntities(): Promise<string[]> {
    const page = await this.store.list(entitiesPrefix(), { delimiter: '/' });
    return page.prefixes.map((p) => p.slice(entitiesPrefix().length, -1));
  }

  async listProjects(entity = this.entity): Promise<string[]> {
    const prefix = projectsPrefix(entity);
    return (await this.store.list(prefix, { delimiter: '/' })).prefixes.map((p) => p.slice(prefix.length, -1));
  }

  async listCollections(entity = this.entity, project = this.project): Promise<CollectionSummary[]> {
    const prefix = collectionsPrefix(entity, project);
    const names = (await this.store.list(prefix, { delimiter: '/' })).prefixes.map((p) => p.slice(prefix.length, -1));
    const docs = await Promise.all(names.map((collection) => this.load({ entity, project, collection })));
    return docs
      .filter((l): l is Loaded => l !== undefined)
      .map(({ doc }) => ({
        entity: doc.entity,
        project: doc.project,
        collection: doc.name,
        type: doc.type,
        kind: doc.kind,
        description: doc.description,
        versionCount: doc.versions.filter((v) => v.state === 'COMMITTED').length,
        latest: doc.aliases.latest,
        createdAt: doc.createdAt,
        updatedAt: doc.updatedAt,
      }));
  }

  /** Versions of a collection, newest first (committed only unless asked). */
  async listVersions(c: CollectionPath, { includeDeleted = false } = {}): Promise<Artifact[]> {
    const doc = await this.loadOrThrow(c);
    const sources = new Map<string, CollectionDoc | undefined>();
    const out: Artifact[] = [];
    for (const v of [...doc.versions].reverse()) {
      if (v.state !== 'COMMITTED' && !includeDeleted) continue;
      const { state, manifest } = await this.stateOf(doc, v, sources);
      if (state.state !== 'COMMITTED' && !includeDeleted) continue;
      out.push(this.wrap(state, manifest));
    }
    return out;
  }

  // ---- logging -------------------------------------------------------------------------------------

  async log(artifact: Artifact, opts: LogOptions = {}): Promise<LogResult> {
    try {
      return await this.logDraft(artifact, opts);
    } catch (e) {
      artifact.reopenAfterFailedLog();
      throw e;
    }
  }

  private async logDraft(artifact: Artifact, opts: LogOptions): Promise<LogResult> {
    if (!artifact.isDraft()) throw new ValidationError(`${artifact.name} is already logged; use newDraft() to make a new version`);
    artifact.validateForLog();
    const aliases = validateAliases([...artifact.aliases, ...(opts.aliases ?? [])]);
    const tags = validateTags([...artifact.tags, ...(opts.tags ?? [])]);
    const target: CollectionPath = {
      entity: validateProjectName(opts.entity ?? artifact.targetEntity ?? this.entity, 'Entity name'),
      project: validateProjectName(opts.project ?? artifact.targetProject ?? this.project),
      collection: artifact.name,
    };
    const checkType = (doc: CollectionDoc | undefined) => {
      if (!doc) return;
      if (doc.kind !== 'sequence') {
        throw new ConflictError(`${target.entity}/${target.project}/${target.collection} is a link (portfolio) collection: log into a source collection and link the version instead`);
      }
      if (doc.type !== artifact.type) {
        throw new ConflictError(`Artifact ${target.collection} already exists with type '${doc.type}'; cannot log it with type '${artifact.type}'`);
      }
    };
    const existing = await this.load(target);
    checkType(existing?.doc);
    artifact.finalize();

    let manifest = artifact.manifest;
    const latest = existing && existing.doc.aliases.latest !== undefined ? findVersion(existing.doc, existing.doc.aliases.latest) : undefined;
    if (artifact.incremental && latest) {
      // W&B merges an incremental log onto the collection's latest version.
      const base = await this.readManifest(latest.manifest!);
      for (const e of manifest.entries()) base.add(e, { overwrite: true });
      manifest = base;
      await this.runs.recordUse({ ...target, index: latest.index });
    }
    const digest = manifest.digest;
    if (latest && latest.digest === digest) return this.dedupe(artifact, target, latest.index, aliases, tags);

    // 1. manifest, written (again) first so that gc sees it as in use while the blobs arrive.
    const manifestBytes = manifest.serialize();
    const mKey = manifestKey(createHash('md5').update(manifestBytes).digest('hex'));
    await this.store.put(mKey, manifestBytes);
    crashPoint('after-manifest');
    // 2. blobs the store lacks.
    await this.storeBlobs(artifact, manifest, opts);
    crashPoint('after-blobs');
    throwIfAborted(opts.signal);
    // 3. lineage, 4. the commit point.
    const runId = await this.runs.record();
    crashPoint('before-commit');
    opts.onProgress?.({ phase: 'commit', files: manifest.fileCount, totalFiles: manifest.fileCount, bytes: manifest.size, totalBytes: manifest.size });
    const outcome = await this.mutate<{ dedupeOf: number } | { index: number; doc: CollectionDoc }>(target, (doc) => {
      checkType(doc);
      const t = now();
      doc ??= newCollection({ entity: target.entity, project: target.project, name: target.collection, type: artifact.type, kind: 'sequence' }, t);
      const head = doc.aliases.latest !== undefined ? findVersion(doc, doc.aliases.latest) : undefined;
      if (head && head.digest === digest) return { doc, result: { dedupeOf: head.index } };
      const v = appendVersion(
        doc,
        {
          id: newId(),
          state: 'COMMITTED',
          createdAt: t,
          updatedAt: t,
          digest,
          manifest: mKey,
          size: manifest.size,
          fileCount: manifest.fileCount,
          description: artifact.description,
          metadata: artifact.metadata,
          tags,
          ttl: artifact.ttlSetting,
          loggedBy: runId,
          ...(artifact.baseId ? { baseId: artifact.baseId } : {}),
        },
        aliases,
        t,
      );
      return { doc, result: { index: v.index, doc } };
    });
    if ('dedupeOf' in outcome) return this.dedupe(artifact, target, outcome.dedupeOf, aliases, tags);
    crashPoint('after-commit');
    await artifact.discardStaging();
    const v = findVersion(outcome.doc, outcome.index)!;
    const { state } = await this.stateOf(outcome.doc, v);
    artifact.markLogged(state, this);
    this.manifestKeys.set(artifact, mKey);
    return { artifact, deduplicated: false };
  }

  private async storeBlobs(artifact: Artifact, manifest: Manifest, opts: LogOptions): Promise<void> {
    const stored = [...manifest.entries()].filter((e) => e.ref === undefined);
    const totalBytes = stored.reduce((s, e) => s + (e.size ?? 0), 0);
    const progress = { phase: 'store' as const, files: 0, totalFiles: stored.length, bytes: 0, totalBytes };
    const limit = pLimit(BLOB_CONCURRENCY);
    const seen = new Set<string>();
    const staged = artifact.ownsStagingDir ? `${artifact.stagingDir}/` : undefined;
    await Promise.all(
      stored.map((e) =>
        limit(async () => {
          throwIfAborted(opts.signal);
          if (!isMd5B64(e.digest)) throw new ValidationError(`Entry ${e.path} has a digest that is not a base64 MD5: ${e.digest}`);
          const key = blobKey(e.digest);
          if (!seen.has(key)) {
            seen.add(key);
            const inStore = this.store.local !== undefined && e.localPath === this.store.local.pathOf(key);
            const stamp = inStore ? artifact.stagedStamp(e.localPath!) : undefined;
            if (stamp && Date.now() - stamp.ctimeMs < GC_GRACE_MS / 2) {
              // Written (and sealed) straight into the store while hashing; young enough that gc
              // cannot have removed it (it keeps anything younger than its grace period).
            } else if (inStore || !e.localPath) {
              // Already stored (an older staging, or an entry inherited from the base version).
              if (!(await this.store.head(key))) {
                throw new NotFoundError(`The contents of ${e.path} (${e.digest}) are no longer in ${this.store.location} (removed by gc?): add the file to the draft again`);
              }
            } else {
              // Anything else is copied (or moved) in unsealed, and verified by its first download.
              await this.store.putFile(key, e.localPath, { move: staged !== undefined && e.localPath.startsWith(staged) });
            }
          }
          progress.files += 1;
          progress.bytes += e.size ?? 0;
          opts.onProgress?.(progress);
        }),
      ),
    );
  }

  private async dedupe(artifact: Artifact, target: CollectionPath, index: number, aliases: string[], tags: string[]): Promise<LogResult> {
    warn(`Artifact ${target.collection} already exists with the same content as v${index}. No new version was created.`);
    const doc = await this.mutate(target, (doc) => {
      updateVersion(doc!, index, { addAliases: aliases, addTags: tags }, now());
      return { doc: doc!, result: doc! };
    });
    await artifact.discardStaging();
    const { state, manifest } = await this.stateOf(doc, findVersion(doc, index)!);
    artifact.markLogged(state, this);
    if (manifest) this.manifestKeys.set(artifact, manifest);
    return { artifact, deduplicated: true };
  }

  // ---- updating logged versions -----------------------------------------------------------------------

  private whereFetched(a: Artifact): VersionRef {
    return { entity: a.entity, project: a.project, collection: a.collectionName, index: Number(a.version.slice(1)) };
  }

  private sourceOf(a: Artifact): VersionRef {
    return { entity: a.sourceEntity, project: a.sourceProject, collection: a.sourceCollection, index: Number(a.sourceVersion.slice(1)) };
  }

  async update(artifact: Artifact, changes: ArtifactUpdate): Promise<LoggedState> {
    const c: ArtifactUpdate = {
      addAliases: validateAliases(changes.addAliases ?? [], { allowLatest: false }),
      removeAliases: validateAliases(changes.removeAliases ?? [], { allowLatest: false }),
      addTags: validateTags(changes.addTags ?? []),
      removeTags: changes.removeTags ?? [],
    };
    if (changes.description !== undefined) c.description = changes.description;
    if (changes.metadata !== undefined) c.metadata = validateMetadata(changes.metadata);
    if (changes.ttl !== undefined) {
      if (artifact.isLink) throw new ValidationError(`Cannot set a TTL on the linked artifact ${artifact.qualifiedName}: set it on the source ${artifact.sourceQualifiedName}`);
      c.ttl = validateTtl(changes.ttl);
    }
    const here = this.whereFetched(artifact);
    if (artifact.isLink) {
      // Aliases belong to the portfolio; everything else is the source's.
      const { addAliases, removeAliases, ...rest } = c;
      await this.mutate(here, (doc) => {
        updateVersion(doc!, here.index, { addAliases, removeAliases }, now());
        return { doc: doc!, result: null };
      });
      const src = this.sourceOf(artifact);
      await this.mutate(src, (doc) => {
        updateVersion(doc!, src.index, rest, now());
        return { doc: doc!, result: null };
      });
    } else {
      await this.mutate(here, (doc) => {
        if (!doc) throw new NotFoundError(`Collection ${here.collection} does not exist`);
        updateVersion(doc, here.index, c, now());
        return { doc, result: null };
      });
    }
    const doc = await this.loadOrThrow(here);
    return (await this.stateOf(doc, findVersion(doc, here.index)!)).state;
  }

  async delete(artifact: Artifact, { deleteAliases }: { deleteAliases: boolean }): Promise<void> {
    if (artifact.isLink) {
      warn(`${artifact.qualifiedName} is a link: deleting it only unlinks it from ${artifact.collectionName}`);
      return this.unlink(artifact);
    }
    const here = this.whereFetched(artifact);
    const removed = await this.mutate(here, (doc) => ({ doc: doc!, result: deleteVersion(doc!, here.index, deleteAliases, now()) }));
    for (const link of removed.links ?? []) {
      await this.mutate(link, (doc) => {
        if (doc && findVersion(doc, link.index)?.state === 'COMMITTED') deleteVersion(doc, link.index, true, now());
        return { doc: doc!, result: null };
      }).catch(() => undefined); // a portfolio removed by hand must not block the delete
    }
  }

  async link(artifact: Artifact, target: string, aliases: string[]): Promise<Artifact> {
    const src = this.sourceOf(artifact);
    const t = parseCollectionPath(target, { entity: src.entity, project: src.project });
    if (t.entity === src.entity && t.project === src.project && t.collection === src.collection) {
      throw new ValidationError(`Cannot link ${formatRef(src)} into its own collection`);
    }
    const type = artifact.type;
    const index = await this.mutate(t, (doc) => {
      const ts = now();
      doc ??= newCollection({ entity: t.entity, project: t.project, name: t.collection, type, kind: 'portfolio' }, ts);
      if (doc.kind !== 'portfolio') throw new ConflictError(`${t.entity}/${t.project}/${t.collection} is a source collection: links go into their own (portfolio) collections`);
      if (doc.type !== type) throw new ConflictError(`Cannot link a '${type}' artifact into ${t.collection}, which holds type '${doc.type}'`);
      const member = doc.versions.find((v) => v.state === 'COMMITTED' && v.source && sameRef(v.source, src));
      if (member) {
        updateVersion(doc, member.index, { addAliases: aliases }, ts);
        return { doc, result: member.index };
      }
      const v = appendVersion(doc, { id: newId(), state: 'COMMITTED', createdAt: ts, updatedAt: ts, source: src }, aliases, ts);
      return { doc, result: v.index };
    });
    await this.mutate(src, (doc) => {
      const v = findVersion(doc!, src.index)!;
      const ref = { ...t, index };
      if (!(v.links ?? []).some((l) => sameRef(l, ref))) v.links = [...(v.links ?? []), ref];
      return { doc: doc!, result: null };
    });
    return this.get(`${t.entity}/${t.project}/${t.collection}:v${index}`, { manifest: false });
  }

  async unlink(artifact: Artifact): Promise<void> {
    const here = this.whereFetched(artifact);
    await this.mutate(here, (doc) => ({ doc: doc!, result: deleteVersion(doc!, here.index, true, now()) }));
    const src = this.sourceOf(artifact);
    await this.mutate(src, (doc) => {
      const v = doc && findVersion(doc, src.index);
      if (v?.links) v.links = v.links.filter((l) => !sameRef(l, here));
      return { doc: doc!, result: null };
    }).catch(() => undefined);
  }

  // ---- lineage ---------------------------------------------------------------------------------------

  async recordUse(artifact: Artifact): Promise<void> {
    await this.runs.recordUse(this.sourceOf(artifact));
  }

  async loggedBy(artifact: Artifact): Promise<RunInfo | null> {
    const src = this.sourceOf(artifact);
    const v = findVersion(await this.loadOrThrow(src), src.index);
    return v?.loggedBy ? this.runs.read(v.loggedBy) : null;
  }

  usedBy(artifact: Artifact): Promise<RunInfo[]> {
    return this.runs.usedBy(this.sourceOf(artifact));
  }

  // ---- files on disk: download, checkout, verify, diff -----------------------------------------------

  /** This machine's folder for cached blobs, reference downloads and download records. */
  get localRoot(): string {
    return this.store instanceof LocalObjectStore ? this.store.root : defaultRegistryRoot();
  }

  private get transfer(): TransferContext {
    return { store: this.store, localRoot: this.localRoot };
  }

  /**
   * `./artifacts/<collection>-vN` of the source version (ARTIFACTS_DIR replaces `./artifacts`).
   * W&B uses `name:vN`; a colon is not allowed in Windows paths, so it is `-` on every OS here.
   */
  defaultRoot(artifact: Artifact): string {
    return path.resolve(process.env.ARTIFACTS_DIR || 'artifacts', `${artifact.sourceCollection}-${artifact.sourceVersion}`);
  }

  async download(artifact: Artifact, root: string | undefined, opts: DownloadOptions = {}): Promise<DownloadResult> {
    const manifest = await artifact.loadManifest();
    const result = await downloadManifest(this.transfer, manifest, root ?? this.defaultRoot(artifact), opts);
    await this.recordUse(artifact);
    return result;
  }

  /** What checkout(root) would delete. */
  async checkoutPlan(artifact: Artifact, root?: string): Promise<string[]> {
    return checkoutPlan(await artifact.loadManifest(), root ?? this.defaultRoot(artifact));
  }

  async checkout(artifact: Artifact, root: string | undefined, opts: DownloadOptions = {}): Promise<DownloadResult & { deleted: string[] }> {
    const result = await checkoutManifest(this.transfer, await artifact.loadManifest(), root ?? this.defaultRoot(artifact), opts);
    await this.recordUse(artifact);
    return result;
  }

  async verify(artifact: Artifact, root: string | undefined, opts: { signal?: AbortSignal } = {}): Promise<VerifyResult> {
    return verifyFolder(await artifact.loadManifest(), root ?? this.defaultRoot(artifact), opts);
  }

  /** The manifest of a folder as it is now (files known from download records are not read again). */
  async folderManifest(folder: string, opts: { signal?: AbortSignal } = {}): Promise<Manifest> {
    const st = await fsp.stat(folder).catch(() => undefined);
    if (!st?.isDirectory()) throw new NotFoundError(`No such folder: ${folder}`);
    const records = await ChecksumRecords.load(recordsDir(this.transfer), folder);
    return snapshotFolder(folder, { records, signal: opts.signal });
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

  // ---- convenience for the CLI and the extension ---------------------------------------------------------

  async updateRef(ref: string, changes: ArtifactUpdate): Promise<Artifact> {
    const artifact = await this.get(ref, { manifest: false });
    const state = await this.update(artifact, changes);
    return this.wrap(state, undefined);
  }

  // ---- garbage collection and the cache --------------------------------------------------------------------------------

  private async allCollections(): Promise<CollectionPath[]> {
    const out: CollectionPath[] = [];
    for (const entity of await this.listEntities()) {
      for (const project of await this.listProjects(entity)) {
        const prefix = collectionsPrefix(entity, project);
        for (const p of (await this.store.list(prefix, { delimiter: '/' })).prefixes) out.push({ entity, project, collection: p.slice(prefix.length, -1) });
      }
    }
    return out;
  }

  private get gcHost(): GcHost {
    return {
      store: this.store,
      tmpDir: this.store instanceof LocalObjectStore ? `${this.store.root}/tmp` : undefined,
      allCollections: () => this.allCollections(),
      load: async (c) => (await this.load(c))?.doc,
      mutate: (c, change) => this.mutate(c, change),
    };
  }

  /**
   * Expires versions whose TTL has passed, then removes manifests and blobs that no live version
   * needs (older than a grace period, so in-flight logs are safe) and stale temp files.
   */
  gc(opts: { at?: number; graceMs?: number } = {}): Promise<GcReport> {
    return collectGarbage(this.gcHost, opts);
  }

  /** Blobs the local cache must keep: those of live versions, when this registry is the local one. */
  private async cacheLiveSet(): Promise<Set<string>> {
    return this.store instanceof LocalObjectStore ? blobKeysOf(this.store, await liveManifestKeys(this.gcHost)) : new Set();
  }

  async cacheInfo(): Promise<CacheInfo> {
    return cacheInfo(this.localRoot, await this.cacheLiveSet());
  }

  /** Shrinks the local cache to `maxBytes`, least recently used first, never a live version's blob. */
  async cacheCleanup(maxBytes: number): Promise<CleanupReport> {
    return cacheCleanup(this.localRoot, await this.cacheLiveSet(), maxBytes);
  }
}
