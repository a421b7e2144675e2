/**
 * The Artifact: a draft you build (files, folders, references) and then log, or a logged version
 * you read and update. Mirrors wandb.Artifact in TypeScript style. Where the bytes end up is not
 * this module's concern: a logged artifact talks to its registry through `ArtifactBackend`.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultStagingRoot } from './config';
import { b64ToHex } from './digest';
import { ArtifactFinalizedError, ArtifactNotLoggedError, ArtifactsError, NotFoundError, ValidationError } from './errors';
import type { VerifyResult } from './folder';
import type { DownloadOptions, DownloadResult } from './transfer-types';
import { hashPool, type FileStamp, type HashProgress, type HashResult } from './hashing/pool';
import { Manifest, type ManifestEntry } from './manifest';
import { referenceEntries } from './references';
import { TTL_INHERIT, validateTtl, type Ttl } from './ttl';
import {
  validateAliases,
  validateArtifactName,
  validateLogicalPath,
  validateMetadata,
  validateTags,
  validateType,
  type Metadata,
} from './validate';
import { walkFiles } from './walk';

export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED';
export type Policy = 'mutable' | 'immutable';

/** A version in its source collection (a sequence). */
export interface VersionRef {
  entity: string;
  project: string;
  collection: string;
  index: number;
}

/** What a registry knows about a logged version, as seen through the collection it was fetched from. */
export interface LoggedState {
  id: string;
  entity: string;
  project: string;
  collection: string;
  index: number;
  isLink: boolean;
  source: VersionRef;
  type: string;
  digest: string;
  size: number;
  fileCount: number;
  state: ArtifactState;
  aliases: string[];
  tags: string[];
  description: string | null;
  metadata: Metadata;
  /** The setting as stored: seconds, null (no TTL) or 'inherit'. */
  ttl: Ttl;
  createdAt: string;
  updatedAt: string;
}

/** Changes to a logged version, applied atomically by the registry. */
export interface ArtifactUpdate {
  addAliases?: string[];
  removeAliases?: string[];
  addTags?: string[];
  removeTags?: string[];
  description?: string | null;
  metadata?: Metadata;
  ttl?: Ttl;
}

/** A process that logged or used a version (W&B's Run, reduced to what a local tool can know). */
export interface RunInfo {
  id: string;
  command: string;
  user: string;
  host: string;
  cwd: string;
  gitCommit: string | null;
  startedAt: string;
}

export type { DownloadOptions, DownloadResult, TransferProgress } from './transfer-types';

/** The registry side of a logged artifact. Implemented by src/registry. */
export interface ArtifactBackend {
  /** A draft set up to be logged into this backend (staging next to it). */
  newArtifact(name: string, type: string, opts?: ArtifactOptions): Artifact;
  download(artifact: Artifact, root: string | undefined, opts: DownloadOptions): Promise<DownloadResult>;
  checkout(artifact: Artifact, root: string | undefined, opts: DownloadOptions): Promise<DownloadResult & { deleted: string[] }>;
  verify(artifact: Artifact, root: string | undefined, opts: { signal?: AbortSignal }): Promise<VerifyResult>;
  update(artifact: Artifact, changes: ArtifactUpdate): Promise<LoggedState>;
  delete(artifact: Artifact, opts: { deleteAliases: boolean }): Promise<void>;
  link(artifact: Artifact, target: string, aliases: string[]): Promise<Artifact>;
  unlink(artifact: Artifact): Promise<void>;
  loadManifest(artifact: Artifact): Promise<Manifest>;
  loggedBy(artifact: Artifact): Promise<RunInfo | null>;
  usedBy(artifact: Artifact): Promise<RunInfo[]>;
  recordUse(artifact: Artifact): Promise<void>;
}

export interface ArtifactOptions {
  description?: string | null;
  metadata?: Metadata | string | null;
  incremental?: boolean;
  /** Folder under which this draft keeps its own staging copies (default: `<registry>/staging`). */
  stagingDir?: string;
  /**
   * A shared content-addressed folder (`md5/<2 hex>/<30 hex>`) to write the copies into instead: a
   * local registry's own objects folder, so that staging a file is storing it.
   */
  blobDir?: string;
}

export interface AddFileOptions {
  name?: string;
  isTmp?: boolean;
  skipCache?: boolean;
  policy?: Policy;
  overwrite?: boolean;
}

export interface AddDirOptions {
  name?: string;
  skipCache?: boolean;
  policy?: Policy;
  merge?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: HashProgress & { totalFiles: number }) => void;
}

export interface AddReferenceOptions {
  name?: string;
  checksum?: boolean;
  maxObjects?: number;
}

export interface NewFileHandle {
  /** Where the file is being written on disk. */
  readonly path: string;
  write(data: string | Uint8Array): Promise<void>;
  /** Closes the file and adds it to the artifact. */
  close(): Promise<ManifestEntry>;
}

function checkPolicy(policy: string): Policy {
  if (policy !== 'mutable' && policy !== 'immutable') {
    throw new ValidationError(`Invalid upload policy '${policy}': use 'mutable' or 'immutable'`);
  }
  return policy;
}

/** `file1.txt` with MD5 5d41… → `5d41402abc4b2a76b971.txt` (W&B's is_tmp naming). */
function tmpName(name: string, digest: string): string {
  const dir = path.posix.dirname(name);
  const parts = path.posix.basename(name).split('.');
  parts[0] = b64ToHex(digest).slice(0, 20);
  return dir === '.' ? parts.join('.') : `${dir}/${parts.join('.')}`;
}

export class Artifact {
  private _name: string;
  readonly type: string;
  private _description: string | null;
  private _metadata: Metadata;
  private _aliases: string[] = [];
  private _tags: string[] = [];
  private _ttl: Ttl = TTL_INHERIT;
  readonly incremental: boolean;
  private _manifest: Manifest | undefined;
  private final = false;
  private readonly addedLocalPaths = new Map<string, ManifestEntry>();
  private readonly newFiles = new Set<string>();
  /** Staged copy → its stat right after it was written (what a blob seal records). */
  private readonly stagedStamps = new Map<string, FileStamp>();
  private readonly stagingRoot: string;
  private readonly blobDir: string | undefined;
  private readonly draftId = randomBytes(6).toString('hex');
  private logged: LoggedState | undefined;
  private backend: ArtifactBackend | undefined;
  /** For drafts made by newDraft(): the version they start from and where they will be logged. */
  baseId: string | undefined;
  targetEntity: string | undefined;
  targetProject: string | undefined;

  constructor(name: string, type: string, opts: ArtifactOptions = {}) {
    this._name = validateArtifactName(name);
    this.type = validateType(type, name);
    this._description = opts.description ?? null;
    this._metadata = validateMetadata(opts.metadata);
    this.incremental = opts.incremental ?? false;
    this.stagingRoot = opts.stagingDir ?? defaultStagingRoot();
    this.blobDir = opts.blobDir;
    this._manifest = new Manifest();
  }

  /** Builds the artifact object of a logged version (registry use). */
  static fromLogged(state: LoggedState, backend: ArtifactBackend, manifest?: Manifest): Artifact {
    const a = Object.create(Artifact.prototype) as Artifact;
    Object.assign(a, {
      addedLocalPaths: new Map(),
      newFiles: new Set(),
      stagedStamps: new Map(),
      stagingRoot: defaultStagingRoot(),
      draftId: randomBytes(6).toString('hex'),
      incremental: false,
      type: state.type,
      final: true,
      backend,
      _manifest: manifest,
    });
    a.applyLogged(state);
    return a;
  }

  private applyLogged(state: LoggedState): void {
    this.logged = state;
    this._name = `${state.collection}:v${state.index}`;
    this._description = state.description;
    this._metadata = state.metadata;
    this._aliases = [...state.aliases];
    this._tags = [...state.tags];
    this._ttl = state.ttl;
  }

  // ---- identity -------------------------------------------------------------------------------

  /** Draft: the collection name. Logged: `collection:vN` of the collection it was fetched from. */
  get name(): string {
    return this._name;
  }

  get state(): ArtifactState {
    return this.logged?.state ?? 'PENDING';
  }

  isDraft(): boolean {
    return this.state === 'PENDING';
  }

  private loggedState(what: string): LoggedState {
    if (!this.logged) throw new ArtifactNotLoggedError(what, this._name);
    return this.logged;
  }

  get id(): string {
    return this.loggedState('id').id;
  }
  get entity(): string {
    return this.loggedState('entity').entity;
  }
  get project(): string {
    return this.loggedState('project').project;
  }
  /** The collection this artifact was fetched from (a portfolio for links). */
  get collectionName(): string {
    return this.logged?.collection ?? this._name;
  }
  get version(): string {
    return `v${this.loggedState('version').index}`;
  }
  get qualifiedName(): string {
    const s = this.loggedState('qualifiedName');
    return `${s.entity}/${s.project}/${s.collection}:v${s.index}`;
  }
  get isLink(): boolean {
    return this.loggedState('isLink').isLink;
  }
  get sourceEntity(): string {
    return this.loggedState('sourceEntity').source.entity;
  }
  get sourceProject(): string {
    return this.loggedState('sourceProject').source.project;
  }
  get sourceCollection(): string {
    return this.loggedState('sourceCollection').source.collection;
  }
  get sourceName(): string {
    const s = this.loggedState('sourceName').source;
    return `${s.collection}:v${s.index}`;
  }
  get sourceVersion(): string {
    return `v${this.loggedState('sourceVersion').source.index}`;
  }
  get sourceQualifiedName(): string {
    const s = this.loggedState('sourceQualifiedName').source;
    return `${s.entity}/${s.project}/${s.collection}:v${s.index}`;
  }
  get createdAt(): string {
    return this.loggedState('createdAt').createdAt;
  }
  get updatedAt(): string {
    return this.loggedState('updatedAt').updatedAt;
  }

  // ---- contents ---------------------------------------------------------------------------------

  get manifest(): Manifest {
    if (!this._manifest) {
      throw new ArtifactsError(`The manifest of ${this._name} is not loaded: call await artifact.loadManifest()`);
    }
    return this._manifest;
  }

  async loadManifest(): Promise<Manifest> {
    if (!this._manifest) this._manifest = await this.requireBackend('loadManifest').loadManifest(this);
    return this._manifest;
  }

  get digest(): string {
    return this._manifest ? this._manifest.digest : this.loggedState('digest').digest;
  }

  /** Sum of the entry sizes, references included. */
  get size(): number {
    return this._manifest ? this._manifest.size : this.loggedState('size').size;
  }

  get fileCount(): number {
    return this._manifest ? this._manifest.fileCount : this.loggedState('fileCount').fileCount;
  }

  // ---- editable attributes -----------------------------------------------------------------------

  get description(): string | null {
    return this._description;
  }
  set description(value: string | null) {
    this._description = value ?? null;
  }

  get metadata(): Metadata {
    return this._metadata;
  }
  set metadata(value: Metadata | string | null) {
    this._metadata = validateMetadata(value);
  }

  /** Aliases without the managed `vN` ones. On a draft: the aliases to apply when it is logged. */
  get aliases(): string[] {
    return this._aliases;
  }
  set aliases(value: string[]) {
    this._aliases = validateAliases(value);
  }

  get tags(): string[] {
    return this._tags;
  }
  set tags(value: string[]) {
    this._tags = validateTags(value);
  }

  /** Seconds, or null for no TTL. Inherited TTLs are known only once logged (W&B raises too). */
  get ttl(): number | null {
    if (this._ttl === TTL_INHERIT) {
      if (!this.logged || this.logged.ttl !== TTL_INHERIT) throw new ArtifactNotLoggedError('ttl (inherited)', this._name);
      return null; // the local registry has no default TTL to inherit
    }
    return this._ttl;
  }
  set ttl(value: Ttl) {
    if (this.logged?.isLink) {
      throw new ValidationError(`Cannot set a TTL on the linked artifact ${this._name}: unlink it, then set the TTL for the source ${this.sourceName}`);
    }
    this._ttl = validateTtl(value);
  }

  /** The raw TTL setting (including 'inherit'), for registries. */
  get ttlSetting(): Ttl {
    return this._ttl;
  }

  // ---- building a draft -----------------------------------------------------------------------------

  private ensureNotFinalized(what: string): Manifest {
    if (this.final) throw new ArtifactFinalizedError(what, this._name);
    return this._manifest!;
  }

  /** Where policy "mutable" copies go: the shared blob folder, or this draft's own staging folder. */
  get stagingDir(): string {
    return this.blobDir ?? path.join(this.stagingRoot, this.draftId);
  }

  /** Where copies are written before being renamed into the staging folder (a registry's tmp/). */
  private get stagingTmpDir(): string {
    return this.blobDir ? path.join(this.blobDir, '..', 'tmp') : path.join(this.stagingDir, 'tmp');
  }

  private stageTask(file: string, policy: Policy): { file: string; stageDir?: string; tmpDir?: string } {
    return policy === 'mutable' ? { file, stageDir: this.stagingDir, tmpDir: this.stagingTmpDir } : { file };
  }

  private noteStaged(r: HashResult): void {
    if (r.stagedPath && r.stagedStamp) this.stagedStamps.set(r.stagedPath, r.stagedStamp);
  }

  /** The stat a staged copy had right after this draft wrote it, if it did. */
  stagedStamp(localPath: string): FileStamp | undefined {
    return this.stagedStamps.get(localPath);
  }

  /** True when the staging folder belongs to this draft alone (its copies can be moved or removed). */
  get ownsStagingDir(): boolean {
    return this.blobDir === undefined;
  }

  /** Removes this draft's own staging copies (never a shared blob folder). */
  async discardStaging(): Promise<void> {
    if (this.ownsStagingDir) await fsp.rm(this.stagingDir, { recursive: true, force: true });
  }

  async addFile(localPath: string, opts: AddFileOptions = {}): Promise<ManifestEntry> {
    const manifest = this.ensureNotFinalized('addFile');
    const policy = checkPolicy(opts.policy ?? 'mutable');
    const st = await fsp.stat(localPath).catch(() => undefined);
    if (!st?.isFile()) throw new ValidationError(`Path is not a file: ${localPath}`);
    let name = validateLogicalPath(opts.name ?? path.basename(localPath));
    const result = await hashPool().hash(this.stageTask(localPath, policy));
    this.noteStaged(result);
    if (opts.isTmp) name = tmpName(name, result.digest);
    const entry: ManifestEntry = {
      path: name,
      digest: result.digest,
      size: result.size,
      localPath: result.stagedPath ?? path.resolve(localPath),
    };
    if (opts.skipCache) entry.skipCache = true;
    manifest.add(entry, { overwrite: opts.overwrite ?? false });
    this.addedLocalPaths.set(localPath, entry);
    return entry;
  }

  /**
   * Adds every file under `localPath` at `name/relative/path` (symlinked folders are followed).
   * Nothing is added when a conflict is found (`merge` lets changed files overwrite).
   */
  async addDir(localPath: string, opts: AddDirOptions = {}): Promise<ManifestEntry[]> {
    const manifest = this.ensureNotFinalized('addDir');
    const policy = checkPolicy(opts.policy ?? 'mutable');
    const st = await fsp.stat(localPath).catch(() => undefined);
    if (!st?.isDirectory()) throw new ValidationError(`Path is not a directory: ${localPath}`);
    const prefix = opts.name === undefined ? '' : validateLogicalPath(opts.name);
    const files = await walkFiles(localPath, { followSymlinks: true });
    const logical = files.map((f) => validateLogicalPath(prefix ? `${prefix}/${f.relPath}` : f.relPath));
    const totalFiles = files.length;
    const results = await hashPool().hashAll(
      files.map((f) => this.stageTask(f.absPath, policy)),
      { signal: opts.signal, onProgress: opts.onProgress && ((p) => opts.onProgress!({ ...p, totalFiles })) },
    );
    results.forEach((r) => this.noteStaged(r));
    const entries: ManifestEntry[] = results.map((r, i) => {
      const entry: ManifestEntry = { path: logical[i]!, digest: r.digest, size: r.size, localPath: r.stagedPath ?? files[i]!.absPath };
      if (opts.skipCache) entry.skipCache = true;
      return entry;
    });
    if (!opts.merge) {
      const clash = entries.find((e) => {
        const existing = manifest.get(e.path);
        return existing !== undefined && existing.digest !== e.digest;
      });
      if (clash) {
        throw new ValidationError(`Cannot add the same path twice: ${clash.path} (use merge to let changed files overwrite)`);
      }
    }
    entries.forEach((e, i) => {
      manifest.add(e, { overwrite: true });
      this.addedLocalPaths.set(path.join(localPath, files[i]!.relPath), e);
    });
    return entries;
  }

  async addReference(uri: string | ManifestEntry, opts: AddReferenceOptions = {}): Promise<ManifestEntry[]> {
    const manifest = this.ensureNotFinalized('addReference');
    if (typeof uri !== 'string') {
      if (!uri.ref) throw new ValidationError(`Entry ${uri.path} is not a reference; add the file itself instead`);
      uri = uri.ref;
    }
    const entries = await referenceEntries(uri, opts);
    for (const e of entries) {
      const existing = manifest.get(e.path);
      if (existing && existing.digest !== e.digest) throw new ValidationError(`Cannot add the same path twice: ${e.path}`);
    }
    for (const e of entries) manifest.add(e);
    return entries;
  }

  /** Opens a new file to write inside the artifact; `close()` adds it. Mode 'x' refuses a name twice. */
  async newFile(name: string, { mode = 'x', encoding = 'utf8' }: { mode?: string; encoding?: BufferEncoding } = {}): Promise<NewFileHandle> {
    this.ensureNotFinalized('newFile');
    const logical = validateLogicalPath(name);
    if (!/^[xwa]b?\+?$/.test(mode)) throw new ValidationError(`Invalid mode '${mode}' for newFile: use 'x', 'w' or 'a'`);
    const exclusive = mode.includes('x');
    if (exclusive && this.newFiles.has(logical)) throw new ValidationError(`File with name ${logical} already exists`);
    const dir = path.join(tmpdir(), `artifacts-newfile-${this.draftId}`);
    const file = path.join(dir, ...logical.split('/'));
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const handle = await fsp.open(file, mode.startsWith('a') ? 'a' : 'w');
    this.newFiles.add(logical);
    let closed = false;
    return {
      path: file,
      write: async (data) => {
        await handle.write(typeof data === 'string' ? Buffer.from(data, encoding) : data);
      },
      close: async () => {
        if (closed) throw new ArtifactsError(`${logical} is already closed`);
        closed = true;
        await handle.close();
        return this.addFile(file, { name: logical, skipCache: true, overwrite: !exclusive });
      },
    };
  }

  /** Removes an entry, or every entry under a folder path. */
  remove(item: string | ManifestEntry): void {
    const manifest = this.ensureNotFinalized('remove');
    if (typeof item !== 'string') {
      if (!manifest.delete(item.path)) throw new NotFoundError(`No such file or directory: ${item.path}`);
      return;
    }
    const p = validateLogicalPath(item);
    if (manifest.delete(p)) return;
    const under = manifest.entriesUnder(p);
    if (under.length === 0) throw new NotFoundError(`No such file or directory: ${item}`);
    for (const e of under) manifest.delete(e.path);
  }

  /** The entry at `name`, or W&B's media-object form `name.<type>.json`. */
  getEntry(name: string): ManifestEntry {
    const manifest = this.manifest;
    const p = validateLogicalPath(name);
    const exact = manifest.get(p);
    if (exact) return exact;
    const suffixed = new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[a-z0-9-]+\\.json$`);
    for (const candidate of manifest.paths()) if (suffixed.test(candidate)) return manifest.get(candidate)!;
    throw new NotFoundError(`Path not contained in artifact: ${name}`);
  }

  /** The logical path a local file was added under (exact string lookup, as in W&B), or null. */
  getAddedLocalPathName(localPath: string): string | null {
    return this.addedLocalPaths.get(localPath)?.path ?? null;
  }

  finalize(): void {
    this.final = true;
  }

  /** Registry use: a log that failed before its commit leaves the draft editable and loggable again. */
  reopenAfterFailedLog(): void {
    if (!this.logged) this.final = false;
  }

  /** W&B's json_encode of a logged artifact (how runs and tables refer to it). */
  jsonEncode(): Record<string, unknown> {
    const s = this.loggedState('jsonEncode');
    return { _type: 'artifactVersion', _version: 'v0', id: s.id, version: `v${s.source.index}`, sequenceName: s.source.collection, usedAs: null };
  }

  /** Validates what log() will send: aliases, tags and metadata (again, to catch in-place edits). */
  validateForLog(): void {
    this._aliases = validateAliases(this._aliases);
    this._tags = validateTags(this._tags);
    this._metadata = validateMetadata(this._metadata);
  }

  // ---- logged-version operations (delegated to the registry) ---------------------------------------

  private requireBackend(what: string): ArtifactBackend {
    if (!this.backend || !this.logged) throw new ArtifactNotLoggedError(what, this._name);
    return this.backend;
  }

  /** Called by the registry once a draft is logged. */
  markLogged(state: LoggedState, backend: ArtifactBackend): void {
    this.final = true;
    this.backend = backend;
    this.applyLogged(state);
  }

  /** Sends the changed aliases, tags, description, metadata and TTL of a logged version. */
  async save(): Promise<this> {
    const backend = this.requireBackend('save (drafts are saved with registry.log)');
    const before = this.logged!;
    const changes: ArtifactUpdate = {
      addAliases: this._aliases.filter((a) => !before.aliases.includes(a)),
      removeAliases: before.aliases.filter((a) => !this._aliases.includes(a)),
      addTags: this._tags.filter((t) => !before.tags.includes(t)),
      removeTags: before.tags.filter((t) => !this._tags.includes(t)),
    };
    if (this._description !== before.description) changes.description = this._description;
    if (JSON.stringify(this._metadata) !== JSON.stringify(before.metadata)) changes.metadata = this._metadata;
    if (this._ttl !== before.ttl) changes.ttl = this._ttl;
    this.applyLogged(await backend.update(this, changes));
    return this;
  }

  async delete({ deleteAliases = false } = {}): Promise<void> {
    await this.requireBackend('delete').delete(this, { deleteAliases });
    this.logged = { ...this.logged!, state: 'DELETED' };
  }

  /** Links this version into a portfolio collection `[entity/][project/]collection`. */
  async link(target: string, aliases: string[] = []): Promise<Artifact> {
    return this.requireBackend('link').link(this, target, validateAliases(aliases));
  }

  async unlink(): Promise<void> {
    const backend = this.requireBackend('unlink');
    if (!this.logged!.isLink) {
      throw new ValidationError(`${this.qualifiedName} is not a linked artifact: use delete() to remove a source version`);
    }
    await backend.unlink(this);
  }

  loggedBy(): Promise<RunInfo | null> {
    return this.requireBackend('loggedBy').loggedBy(this);
  }

  usedBy(): Promise<RunInfo[]> {
    return this.requireBackend('usedBy').usedBy(this);
  }

  /**
   * Writes the version's files under `root` (default `./artifacts/<collection>-vN` of the source):
   * only missing or changed files are written. Returns what was done.
   */
  download(root?: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
    return this.requireBackend('download').download(this, root, opts);
  }

  /** Makes `root` equal to this version: downloads, and deletes files the version does not have. */
  checkout(root?: string, opts: DownloadOptions = {}): Promise<DownloadResult & { deleted: string[] }> {
    return this.requireBackend('checkout').checkout(this, root, opts);
  }

  /** Compares a folder with this version by content: missing, modified and extra files. */
  verify(root?: string, opts: { signal?: AbortSignal } = {}): Promise<VerifyResult> {
    return this.requireBackend('verify').verify(this, root, opts);
  }

  /** Downloads a single-file artifact and returns the file's path. */
  async file(root?: string): Promise<string> {
    const manifest = await this.loadManifest();
    if (manifest.fileCount !== 1) {
      throw new ValidationError(
        `${this._name} has ${manifest.fileCount} files: file() is for single-file artifacts; call download() (artifacts download REF) or download with pathPrefix to get one file`,
      );
    }
    const result = await this.download(root);
    return path.join(result.root, ...[...manifest.paths()][0]!.split('/'));
  }

  /** A new draft with this version's contents, logged into the same (source) collection. */
  async newDraft(): Promise<Artifact> {
    const backend = this.requireBackend('newDraft');
    const manifest = await this.loadManifest();
    const s = this.logged!;
    const draft = backend.newArtifact(s.source.collection, this.type, { description: this._description, metadata: this._metadata });
    draft._manifest = manifest.clone();
    for (const e of draft._manifest.entries()) {
      delete e.localPath;
      delete e.skipCache;
    }
    draft.baseId = s.id;
    draft.targetEntity = s.source.entity;
    draft.targetProject = s.source.project;
    await backend.recordUse(this);
    return draft;
  }
}
