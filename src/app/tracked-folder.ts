/**
 * Tracked folders, written once for the CLI (`status`, `commit`, `download`, `checkout`) and the
 * extension (the Source Control view, the status bar): which folder tracks which version (the
 * `.artifact.json` of core/tracking.ts), what changed in it against that version, and committing
 * it as the next version of the collection, which the folder then tracks.
 *
 * Status reads the folder the way `log` re-reads an unchanged one: a file whose stat matches the
 * download's records or the log's hash cache is not read, and what is read is recorded, so a
 * second status of an unchanged folder costs one stat per file (Registry.folderManifest).
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import type { Artifact } from '../core/artifact';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors';
import type { Manifest } from '../core/manifest';
import { builtInRegistryLocation, findTrackedRoot, readTracking, trackedRef, trackingState, writeTracking, type TrackingState } from '../core/tracking';
import { Registry, type LogResult, type RegistryOptions } from '../registry/registry';
import { logVersion, type AddOptions } from './log-version';

export interface TrackedFolder {
  /** The tracked folder (absolute): where `.artifact.json` is. */
  root: string;
  tracking: TrackingState;
}

/** The tracked folder that holds `dir` (itself or an ancestor); NotFoundError when there is none. */
export async function trackedFolderOf(dir: string, opts: { stopAt?: string } = {}): Promise<TrackedFolder> {
  const st = await fsp.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new NotFoundError(l10n.t('No such folder: {0}', dir));
  const root = await findTrackedRoot(dir, opts);
  const tracking = root === undefined ? undefined : await readTracking(root);
  if (root === undefined || tracking === undefined) {
    throw new NotFoundError(l10n.t('{0} is not a tracked folder (nor inside one): download or check out a version into it first', dir));
  }
  return { root, tracking };
}

/**
 * The registry a tracked folder's version is in, with the version's entity and project as the
 * defaults (a commit logs there): `location` when the user named one (`--registry`), else the one
 * the tracking file records, else the built-in default (`~/.artifacts`).
 */
export function registryOfTracked(t: TrackingState, opts: Pick<RegistryOptions, 'localRoot' | 'stagingRoot'> & { location?: string } = {}): Registry {
  return new Registry({ root: opts.location ?? t.registry ?? builtInRegistryLocation(), entity: t.entity, project: t.project, localRoot: opts.localRoot, stagingRoot: opts.stagingRoot });
}

/** The same registry with the version's entity and project as its defaults (a commit logs there). */
export function withDefaults(registry: Registry, t: Pick<TrackingState, 'entity' | 'project'>): Registry {
  if (registry.entity === t.entity && registry.project === t.project) return registry;
  return new Registry({ store: registry.store, localRoot: registry.localRoot, stagingRoot: registry.stagingRoot, entity: t.entity, project: t.project });
}

/** The version a tracked folder tracks, checked against the digest it recorded. */
export async function trackedVersion(registry: Registry, t: TrackingState): Promise<Artifact> {
  const ref = trackedRef(t);
  let version: Artifact;
  try {
    version = await registry.get(ref);
  } catch (e) {
    if (e instanceof NotFoundError) throw new NotFoundError(l10n.t('The tracked version {0} is not in the registry {1} ({2})', ref, registry.location, e.message));
    throw e;
  }
  if (version.digest !== t.digest) {
    throw new ConflictError(l10n.t('The tracked version {0} has the digest {1} in {2}, not {3} as the tracking file says: check out a version again', ref, version.digest, registry.location, t.digest));
  }
  return version;
}

export interface FolderStatus {
  root: string;
  /** `entity/project/collection:vN` */
  ref: string;
  tracking: TrackingState;
  /** Paths whose content differs from the version's (sorted like a manifest). */
  modified: string[];
  /** Files the version does not have. */
  added: string[];
  /** The version's files that are not in the folder. */
  deleted: string[];
  /** Reference entries present in the folder: their bytes are not compared (as verify). */
  referencesSkipped: number;
  /** True when the folder equals the version. */
  clean: boolean;
}

/** What differs between the folder's files and a manifest: the core of status, without I/O. */
export function statusOf(version: Manifest, folder: Manifest): Pick<FolderStatus, 'modified' | 'added' | 'deleted' | 'referencesSkipped' | 'clean'> {
  const modified: string[] = [];
  const deleted: string[] = [];
  let referencesSkipped = 0;
  for (const e of version.entries()) {
    const found = folder.get(e.path);
    if (!found) deleted.push(e.path);
    else if (e.ref !== undefined) referencesSkipped += 1;
    else if (found.digest !== e.digest) modified.push(e.path);
  }
  const added = [...folder.paths()].filter((p) => !version.has(p));
  const sort = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  modified.sort(sort);
  added.sort(sort);
  deleted.sort(sort);
  return { modified, added, deleted, referencesSkipped, clean: modified.length + added.length + deleted.length === 0 };
}

export interface StatusOptions {
  signal?: AbortSignal;
  onProgress?: (p: { files: number; bytes: number; totalFiles: number }) => void;
}

/** The status of a tracked folder against its version. */
export async function folderStatus(registry: Registry, folder: TrackedFolder, opts: StatusOptions = {}): Promise<FolderStatus & { version: Artifact }> {
  const version = await trackedVersion(registry, folder.tracking);
  const manifest = await registry.folderManifest(folder.root, opts);
  return { root: folder.root, ref: trackedRef(folder.tracking), tracking: folder.tracking, version, ...statusOf(version.manifest, manifest) };
}

/** Makes `root` track a logged version of `registry` (its source, for a link). */
export async function trackVersion(registry: Registry, version: Artifact, root: string): Promise<TrackingState> {
  const state = trackingState(
    { entity: version.sourceEntity, project: version.sourceProject, collection: version.sourceCollectionName, index: Number(version.sourceVersion.slice(1)), digest: version.digest },
    registry.location,
  );
  await writeTracking(root, state);
  return state;
}

export interface CommitInput {
  aliases?: string[];
  tags?: string[];
  /** The message: the new version's description (absent: none). */
  message?: string | null;
}

export interface CommitResult extends LogResult {
  tracking: TrackingState;
  /** The version tracked before the commit. */
  previous: string;
}

/**
 * Logs a tracked folder as the next version of its collection (the type of the tracked version,
 * the message as the description; metadata is not carried over: it described the old contents),
 * then makes the folder track the new version. A folder equal to its version is refused (nothing
 * to commit). When the content equals the collection's latest
 * version, no version is made (as `log`): the folder tracks that one, and the aliases and tags go
 * to it.
 */
export async function commitTracked(registry: Registry, folder: TrackedFolder, input: CommitInput, opts: Omit<AddOptions, 'replace' | 'overwrite' | 'merge'> = {}): Promise<CommitResult> {
  const status = await folderStatus(registry, folder, { signal: opts.signal });
  if (status.clean) throw new ValidationError(l10n.t('Nothing to commit: {0} equals {1}', folder.root, status.ref));
  const base = status.version;
  const home = withDefaults(registry, folder.tracking);
  const message = input.message?.trim();
  if (input.message !== undefined && input.message !== null && !message) throw new ValidationError(l10n.t('The commit message is empty'));
  const result = await logVersion(
    home,
    {
      name: folder.tracking.collection,
      type: base.type,
      paths: [{ localPath: folder.root }],
      description: message || null,
      aliases: input.aliases,
      tags: input.tags,
    },
    opts,
  );
  const tracking = await trackVersion(home, result.artifact, folder.root);
  return { ...result, tracking, previous: trackedRef(folder.tracking) };
}
