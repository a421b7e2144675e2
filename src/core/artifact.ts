/**
 * The Artifact: a draft you build (files, folders, references) and then log, or a logged version
 * you read and update. Mirrors wandb.Artifact in TypeScript style. A draft keeps its contents in a
 * DraftContents (manifest + staging); a logged artifact knows its coordinates (LoggedState) and
 * talks to its registry through ArtifactBackend. What only a registry may call lives behind the
 * INTERNAL symbol, which src/index.ts does not export.
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { defaultStagingRoot } from './config';
import { changesSince, type ArtifactBackend, type CheckoutPlan, type CheckoutResult, type DownloadOptions, type DownloadResult, type LoggedState, type RunInfo } from './artifact-backend';
import { DraftContents, type AddDirOptions, type AddFileOptions, type AddReferenceOptions, type NewFileHandle } from './draft-contents';
import { ArtifactFinalizedError, ArtifactNotLoggedError, ArtifactsError, NotFoundError, ValidationError } from './errors';
import { verifyMismatchError, type VerifyResult } from './folder';
import { formatNumber } from './l10n';
import { Manifest, type ManifestEntry } from './manifest';
import { ArtifactFiles } from './artifact-files';
import { Staging } from './staging';
import { VersionIdentity } from './version-identity';
import { INTERNAL, type ArtifactInternals, type InternalOptions } from './artifact-internals';
import { TTL_INHERIT, validateTtl, type Ttl } from './ttl';
import { validateAliases, validateArtifactName, validateLogicalPath, validateMetadata, validateTags, validateType, type Metadata } from './validate';

export type { ArtifactState, ArtifactUpdate, LoggedState, RunInfo, RunEnd, RunRecord, VersionRef, DownloadOptions, DownloadResult, TransferProgress, CheckoutPlan, CheckoutResult } from './artifact-backend';
export type { AddDirOptions, AddFileOptions, AddReferenceOptions, NewFileHandle } from './draft-contents';
export type { Policy } from './staging';
export { ArtifactCollection, type CollectionInfo } from './artifact-collection';
export { ArtifactFiles, type ArtifactFile } from './artifact-files';
export { INTERNAL, type ArtifactInternals, type DraftHome } from './artifact-internals';

export interface ArtifactOptions {
  description?: string | null;
  metadata?: Metadata | string | null;
  incremental?: boolean;
  /** Folder under which this draft keeps its own staging copies (default: `<registry>/staging`). */
  stagingDir?: string;
}

/** Builds the artifact of a logged version (registry use). */
export function loggedArtifact(state: LoggedState, backend: ArtifactBackend, manifest?: Manifest): Artifact {
  return new Artifact(state.collection, state.type, { [INTERNAL]: { logged: { state, backend, manifest } } } as ArtifactOptions);
}

/** Options that make a draft belong to a registry (registry use). */
export function draftOptions(opts: ArtifactOptions, internal: NonNullable<InternalOptions[typeof INTERNAL]>): ArtifactOptions {
  return { ...opts, [INTERNAL]: internal } as ArtifactOptions;
}

export class Artifact extends VersionIdentity {
  readonly type: string;
  private _description: string | null;
  private _metadata: Metadata;
  private _aliases: string[] = [];
  private _tags: string[] = [];
  private _ttl: Ttl = TTL_INHERIT;
  readonly incremental: boolean;
  private _manifest: Manifest | undefined;
  private final = false;
  private readonly draft: DraftContents | undefined;
  readonly [INTERNAL]: ArtifactInternals;

  constructor(name: string, type: string, opts: ArtifactOptions = {}) {
    super();
    const internal = (opts as InternalOptions)[INTERNAL] ?? {};
    this.incremental = opts.incremental ?? false;
    if (internal.logged) {
      // Names read back from a registry follow the registry's rules, not those of new names.
      this._name = name;
      this.type = type;
      this._description = null;
      this._metadata = {};
      this.final = true;
      this.backend = internal.logged.backend;
      this._manifest = internal.logged.manifest;
      this.applyLogged(internal.logged.state);
    } else {
      this._name = validateArtifactName(name);
      this.type = validateType(type, name);
      this._description = opts.description ?? null;
      this._metadata = validateMetadata(opts.metadata);
      const manifest = internal.base ? internal.base.manifest.clone({ clientFields: false }) : new Manifest();
      this._manifest = manifest;
      this.draft = new DraftContents(manifest, new Staging({ stagingRoot: opts.stagingDir ?? defaultStagingRoot(), blobDir: internal.blobDir, guard: internal.stagingGuard, hashCacheDir: internal.hashCacheDir }));
    }
    const base = internal.base && { id: internal.base.id, entity: internal.base.entity, project: internal.base.project };
    const self = this;
    this[INTERNAL] = {
      get logged() { return self.logged; },
      staging: this.draft?.staging,
      home: internal.home,
      base,
      prepareLog: () => {
        this._aliases = validateAliases(this._aliases);
        this._tags = validateTags(this._tags);
        this._metadata = validateMetadata(this._metadata);
        this.final = true;
      },
      markLogged: (state, backend) => {
        this.final = true;
        this.backend = backend;
        this.applyLogged(state);
      },
      reopenAfterFailedLog: () => {
        if (!this.logged) this.final = false;
      },
    };
  }

  /** Takes a logged state; editable fields are private copies, so in-place edits show up in save(). */
  private applyLogged(state: LoggedState): void {
    this.logged = state;
    this._name = `${state.collection}:v${state.index}`;
    this._description = state.description;
    this._metadata = structuredClone(state.metadata);
    this._aliases = [...state.aliases];
    this._tags = [...state.tags];
    this._ttl = state.ttl;
  }

  // ---- contents ---------------------------------------------------------------------------------

  get manifest(): Manifest {
    if (!this._manifest) throw new ArtifactsError(l10n.t('The manifest of {0} is not loaded: call await artifact.loadManifest()', this._name));
    return this._manifest;
  }

  async loadManifest(): Promise<Manifest> {
    this._manifest ??= await this.requireBackend('loadManifest').loadManifest(this.logged!);
    return this._manifest;
  }

  get digest(): string { return this._manifest ? this._manifest.digest : this.loggedState('digest').digest; }

  /** Sum of the entry sizes, references included. */
  get size(): number { return this._manifest ? this._manifest.size : this.loggedState('size').size; }

  get fileCount(): number { return this._manifest ? this._manifest.fileCount : this.loggedState('fileCount').fileCount; }

  // ---- editable attributes -----------------------------------------------------------------------

  get description(): string | null { return this._description; }
  set description(value: string | null) { this._description = value ?? null; }

  get metadata(): Metadata { return this._metadata; }
  set metadata(value: Metadata | string | null) { this._metadata = validateMetadata(value); }

  /** Aliases without the managed `vN` ones. On a draft: the aliases to apply when it is logged. */
  get aliases(): string[] { return this._aliases; }
  set aliases(value: string[]) { this._aliases = validateAliases(value); }

  get tags(): string[] { return this._tags; }
  set tags(value: string[]) { this._tags = validateTags(value); }

  /** Seconds, or null for no TTL. Inherited TTLs are known only once logged (W&B raises too). */
  get ttl(): number | null {
    if (this._ttl === TTL_INHERIT) {
      if (!this.logged || this.logged.ttl !== TTL_INHERIT) {
        throw new ArtifactNotLoggedError('ttl', this._name, l10n.t("'ttl (inherited)' is not available on the draft artifact {0}: log it first", this._name));
      }
      return null; // the local registry has no default TTL to inherit
    }
    return this._ttl;
  }
  set ttl(value: Ttl) {
    if (this.logged?.isLink) {
      throw new ValidationError(l10n.t('Cannot set a TTL on the linked artifact {0}: unlink it, then set the TTL for the source {1}', this._name, this.sourceName));
    }
    this._ttl = validateTtl(value);
  }

  /** The raw TTL setting, including 'inherit'. */
  get ttlSetting(): Ttl { return this._ttl; }

  // ---- building a draft -----------------------------------------------------------------------------

  private open(what: string): DraftContents {
    if (this.final || !this.draft) throw new ArtifactFinalizedError(what, this._name);
    return this.draft;
  }

  async addFile(localPath: string, opts: AddFileOptions = {}): Promise<ManifestEntry> {
    return this.open('addFile').addFile(localPath, opts);
  }

  /** Adds every file under `localPath` at `name/relative/path` (symlinked folders are followed). */
  async addDir(localPath: string, opts: AddDirOptions = {}): Promise<ManifestEntry[]> {
    return this.open('addDir').addDir(localPath, opts);
  }

  async addReference(uri: string | ManifestEntry, opts: AddReferenceOptions = {}): Promise<ManifestEntry[]> {
    return this.open('addReference').addReference(uri, opts);
  }

  /** Opens a new file to write inside the artifact; `close()` adds it. Mode 'x' refuses a name twice. */
  async newFile(name: string, opts: { mode?: string; encoding?: BufferEncoding } = {}): Promise<NewFileHandle> {
    return this.open('newFile').newFile(name, opts);
  }

  /** Removes an entry, or every entry under a folder path. */
  remove(item: string | ManifestEntry): void {
    this.open('remove').remove(item);
  }

  /** The entry at `name`, or W&B's media-object form `name.<type>.json`. Works on drafts too. */
  getEntry(name: string): ManifestEntry {
    const entry = this.manifest.lookup(validateLogicalPath(name));
    if (!entry) throw new NotFoundError(l10n.t('Path not contained in artifact: {0}', name));
    return entry;
  }

  /** The logical path a local file was added under (exact string lookup, as in W&B), or null. */
  getAddedLocalPathName(localPath: string): string | null {
    return this.draft?.addedPathOf(localPath) ?? null;
  }

  finalize(): void {
    this.final = true;
  }

  /** Removes the staging copies of a draft that will not be logged (logging discards them itself). */
  async discard(): Promise<void> {
    if (this.isDraft()) await this.draft?.staging.discard();
  }

  /** W&B's json_encode of a logged artifact (how runs and tables refer to it). */
  jsonEncode(): Record<string, unknown> {
    const s = this.loggedState('jsonEncode');
    return { _type: 'artifactVersion', _version: 'v0', id: s.id, version: `v${s.source.index}`, sequenceName: s.source.collection, usedAs: null };
  }

  // ---- logged-version operations (delegated to the registry) ---------------------------------------

  /** `message` replaces ArtifactNotLoggedError's usual one. */
  private requireBackend(what: string, message?: () => string): ArtifactBackend {
    if (!this.backend || !this.logged) throw new ArtifactNotLoggedError(what, this._name, message?.());
    return this.backend;
  }

  /**
   * Logged: sends the changed aliases, tags, description, metadata and TTL (edits in place count).
   * Draft: logs it into the registry that made it (W&B's save() of a draft).
   */
  async save(): Promise<this> {
    const home = this[INTERNAL].home;
    if (!this.logged && home) {
      await home.log(this);
      return this;
    }
    const backend = this.requireBackend('save', () =>
      l10n.t("'save (a draft made with new Artifact() is logged with registry.log)' is not available on the draft artifact {0}: log it first", this._name),
    );
    const before = this.logged!;
    const changes = changesSince(before, { aliases: this._aliases, tags: this._tags, description: this._description, metadata: this._metadata, ttl: this._ttl });
    this.applyLogged(await backend.update(before, changes));
    return this;
  }

  async delete({ deleteAliases = false } = {}): Promise<void> {
    await this.requireBackend('delete').delete(this.logged!, { deleteAliases });
    this.logged = { ...this.logged!, state: 'DELETED' };
  }

  /** Links this version into a portfolio collection `[entity/][project/]collection`. */
  async link(target: string, aliases: string[] = []): Promise<Artifact> {
    return this.requireBackend('link').link(this.logged!, target, validateAliases(aliases));
  }

  async unlink(): Promise<void> {
    const backend = this.requireBackend('unlink');
    if (!this.logged!.isLink) throw new ValidationError(l10n.t('{0} is not a linked artifact: use delete() to remove a source version', this.qualifiedName));
    await backend.unlink(this.logged!);
  }

  /** The links of this source version in portfolio collections (empty for a link). */
  linkedArtifacts(): Promise<Artifact[]> {
    return this.requireBackend('linkedArtifacts').linkedArtifacts(this.logged!);
  }

  /** The source version: itself, unless this is a link. */
  async sourceArtifact(): Promise<Artifact> {
    return this.logged?.isLink ? this.requireBackend('sourceArtifact').sourceArtifact(this.logged) : (this.requireBackend('sourceArtifact'), this);
  }

  /** The version's files in pages of `perPage` (W&B's files()), each with its own download(). */
  async files({ names, perPage = 50 }: { names?: readonly string[]; perPage?: number } = {}): Promise<ArtifactFiles> {
    const manifest = await this.loadManifest();
    return new ArtifactFiles(manifest, names, perPage, async (name, root) => path.join((await this.download(root, { pathPrefix: name })).root, ...name.split('/')));
  }

  loggedBy(): Promise<RunInfo | null> {
    return this.requireBackend('loggedBy').loggedBy(this.logged!);
  }

  usedBy(): Promise<RunInfo[]> {
    return this.requireBackend('usedBy').usedBy(this.logged!);
  }

  /**
   * Writes the version's files under `root` (default `./artifacts/<collection>-vN` of the source):
   * only missing or changed files are written. Returns what was done.
   */
  download(root?: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
    return this.requireBackend('download').download(this.logged!, root, opts);
  }

  /** What checkout(root) would delete, as a plan that deletes exactly that when executed. */
  planCheckout(root?: string): Promise<CheckoutPlan> {
    return this.requireBackend('planCheckout').planCheckout(this.logged!, root);
  }

  /** Makes `root` equal to this version: downloads, and deletes files the version does not have. */
  async checkout(root?: string, opts: DownloadOptions = {}): Promise<CheckoutResult> {
    return (await this.planCheckout(root)).execute(opts);
  }

  /**
   * Compares a folder with this version by content and returns what differs (missing, modified and
   * extra files). With `throwOnMismatch` it raises on the first difference instead, as W&B's
   * verify() does, so a port of `try: artifact.verify() except ValueError` keeps its meaning.
   * `fast` trusts files whose stat still matches what a download by this tool recorded.
   */
  async verify(root?: string, opts: { signal?: AbortSignal; throwOnMismatch?: boolean; fast?: boolean } = {}): Promise<VerifyResult> {
    const result = await this.requireBackend('verify').verify(this.logged!, root, opts);
    if (opts.throwOnMismatch && !result.ok) throw verifyMismatchError(result, this.qualifiedName);
    return result;
  }

  /** Downloads a single-file artifact and returns the file's path. */
  async file(root?: string): Promise<string> {
    this.requireBackend('file');
    const manifest = await this.loadManifest();
    // fileCount is not 1 here: always the plural form.
    const many = () => l10n.t('{0} has {1} files: file() is for single-file artifacts; call download() (artifacts download REF) or download with pathPrefix to get one file', this._name, formatNumber(manifest.fileCount));
    if (manifest.fileCount !== 1) throw new ValidationError(many());
    const result = await this.download(root);
    return path.join(result.root, ...[...manifest.paths()][0]!.split('/'));
  }

  /** A new draft with this version's contents, logged into the same (source) collection. */
  async newDraft(): Promise<Artifact> {
    const backend = this.requireBackend('newDraft');
    const manifest = await this.loadManifest();
    const draft = backend.newDraft(this.logged!, { manifest, description: this._description, metadata: this._metadata });
    await backend.recordUse(this.logged!);
    return draft;
  }
}
