/**
 * What a logged artifact needs from the registry it came from, in the model's own terms. Core
 * defines this contract; src/registry implements it. Nothing here knows where bytes live.
 */
import type { CollectionBackend } from './artifact-collection';
import type { VerifyResult } from './folder';
import type { Manifest } from './manifest';
import type { Ttl } from './ttl';
import type { Metadata } from './validate';

export type ArtifactState = 'PENDING' | 'COMMITTED' | 'DELETED';

/** A version in its collection: where to find it, with the index as a number. */
export interface VersionRef {
  entity: string;
  project: string;
  collection: string;
  index: number;
}

/** `entity/project/collection:vN` (qualified) or `collection:vN`. */
export function refText(r: VersionRef, qualified: boolean): string {
  return qualified ? `${r.entity}/${r.project}/${r.collection}:v${r.index}` : `${r.collection}:v${r.index}`;
}

/** What a registry knows about a logged version, as seen through the collection it was fetched from. */
export interface LoggedState {
  id: string;
  entity: string;
  project: string;
  collection: string;
  index: number;
  isLink: boolean;
  /** The version in its source collection (itself, unless a link). */
  source: VersionRef;
  /** Key of the version's manifest in its store (content-addressed). */
  manifestKey: string;
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

/** What save() sends: the difference between the fetched state and the edited fields. */
export function changesSince(before: LoggedState, now: Pick<LoggedState, 'aliases' | 'tags' | 'description' | 'metadata' | 'ttl'>): ArtifactUpdate {
  const changes: ArtifactUpdate = {
    addAliases: now.aliases.filter((a) => !before.aliases.includes(a)),
    removeAliases: before.aliases.filter((a) => !now.aliases.includes(a)),
    addTags: now.tags.filter((t) => !before.tags.includes(t)),
    removeTags: before.tags.filter((t) => !now.tags.includes(t)),
  };
  if (now.description !== before.description) changes.description = now.description;
  if (JSON.stringify(now.metadata) !== JSON.stringify(before.metadata)) changes.metadata = now.metadata;
  if (now.ttl !== before.ttl) changes.ttl = now.ttl;
  return changes;
}

/**
 * A run: a unit of work that logged or used versions (W&B's Run, reduced to what a local tool can
 * know). A process is a run of its own unless it works inside a named one (`artifacts run`,
 * `ARTIFACTS_RUN`, `registry.run`).
 */
export interface RunInfo {
  id: string;
  /** The name given to `artifacts run --name` or `registry.run(name, …)`; absent for a process's own run. */
  name?: string | null;
  /** W&B's job type (`train`, `eval`…), when given. */
  type?: string | null;
  command: string;
  user: string;
  host: string;
  cwd: string;
  gitCommit: string | null;
  startedAt: string;
}

/** How a named run ended (written once, after it ended: `runs/<id>.end.json`). */
export interface RunEnd {
  endedAt: string;
  /** The command's exit code (`registry.run`: 0, or 1 when the callback threw); null when killed by a signal. */
  exitCode: number | null;
  /** The signal that ended the command (`SIGTERM`), if one did. */
  signal?: string | null;
  /** Why it failed, when known (the callback's error, a command that could not start). */
  error?: string | null;
}

/** A run with its end, when it has ended (null: still running, or it never recorded an end). */
export interface RunRecord extends RunInfo {
  end: RunEnd | null;
}

export interface TransferProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface DownloadOptions {
  /** Only this file, or the files under this folder (whole path segments: `images` is not `images2/`). */
  pathPrefix?: string;
  /** W&B's multipart: true or false forces ranged parallel GETs of large files from a remote store on or off (default: by size). */
  multipart?: boolean;
  /** Do not keep fetched bytes (remote blobs, references) in the local cache. */
  skipCache?: boolean;
  /** Warn about and skip references whose target is gone instead of failing. */
  allowMissingReferences?: boolean;
  /**
   * Record the version in the folder's `.artifact.json` once it is written, making it a tracked
   * folder (core/tracking.ts; the CLI and the extension do). Off by default, as W&B writes nothing
   * but the version's files. Never with `pathPrefix` (the folder then holds only part of it).
   */
  track?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
}

export interface DownloadResult {
  root: string;
  /** Paths written (new or changed). */
  written: string[];
  /** Entries already present with the right content. */
  unchanged: number;
  /** Entries not written: missing references, folder conflicts. */
  skipped: string[];
  bytesWritten: number;
}

export interface CheckoutResult extends DownloadResult {
  /** Files deleted because the version does not have them (exactly those the plan listed). */
  deleted: string[];
  /** Files that appeared after the plan was made: not in the version, not deleted. */
  keptUnplanned: string[];
}

/**
 * Checking out, in two steps, so that a front end can show what will be deleted and then delete
 * exactly that: files that appear after the plan was made are kept and reported.
 */
export interface CheckoutPlan {
  readonly root: string;
  /** Files not in the version, which `execute` deletes (sorted). */
  readonly deletions: readonly string[];
  execute(opts?: DownloadOptions): Promise<CheckoutResult>;
}

/** A version's contents, as a logged artifact asks for them. */
export interface ArtifactBackend extends CollectionBackend {
  /** Where the registry is (for `url`). */
  readonly location: string;
  linkedArtifacts(state: LoggedState): Promise<import('./artifact').Artifact[]>;
  sourceArtifact(state: LoggedState): Promise<import('./artifact').Artifact>;
  loadManifest(state: LoggedState): Promise<Manifest>;
  download(state: LoggedState, root: string | undefined, opts: DownloadOptions): Promise<DownloadResult>;
  planCheckout(state: LoggedState, root: string | undefined): Promise<CheckoutPlan>;
  verify(state: LoggedState, root: string | undefined, opts: { signal?: AbortSignal; fast?: boolean }): Promise<VerifyResult>;
  update(state: LoggedState, changes: ArtifactUpdate): Promise<LoggedState>;
  delete(state: LoggedState, opts: { deleteAliases: boolean }): Promise<void>;
  link(state: LoggedState, target: string, aliases: string[]): Promise<import('./artifact').Artifact>;
  unlink(state: LoggedState): Promise<void>;
  loggedBy(state: LoggedState): Promise<RunInfo | null>;
  usedBy(state: LoggedState): Promise<RunInfo[]>;
  recordUse(state: LoggedState): Promise<void>;
  /** A draft that starts from this version, set up to be logged into the same registry. */
  newDraft(state: LoggedState, base: { manifest: Manifest; description: string | null; metadata: Metadata }): import('./artifact').Artifact;
}
