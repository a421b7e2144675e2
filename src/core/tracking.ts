/**
 * Tracked folders: a folder that was downloaded or checked out from a version remembers which one
 * in a small file at its root, `.artifact.json`, which the CLI and the extension both read and
 * write (so `artifacts status` in a terminal and the Source Control view agree), and which moves
 * with the folder (copy, rename, another machine). It holds the version's coordinates and manifest
 * digest, the registry's location when it is not the built-in default, and when it was tracked;
 * never a credential (a location with one is refused before anything is written).
 *
 * The file is not part of the folder's contents: a log of the folder, its digest, verify, status,
 * diff with a folder and checkout's list of files to delete all leave it out (and the temp files of
 * its atomic writes). Written through a temp file and a rename, so a reader sees the old or the new
 * file, never half of one.
 */
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { writeFileAtomically } from './atomic-file';
import { ValidationError } from './errors';
import { validateExistingName, validateProjectName } from './validate';

/** The file's name, at the tracked folder's root. */
export const TRACKING_FILE = '.artifact.json';

/** What `format` says: this file's schema (a later one is refused rather than misread). */
export const TRACKING_FORMAT = 'artifacts-tracking-v1';

const TEMP_RE = /^\.artifact\.json\.tmp-\d+-[0-9a-f]{8}$/;

/** True for the tracking file and its writes' temp files, at a folder's root (relative path, `/` separators). */
export function isTrackingFile(relPath: string): boolean {
  return relPath === TRACKING_FILE || TEMP_RE.test(relPath);
}

/** What `.artifact.json` holds. */
export interface TrackingState {
  format: typeof TRACKING_FORMAT;
  entity: string;
  project: string;
  collection: string;
  /** `vN` in the collection (a link is tracked as its source version). */
  version: string;
  /** The version's manifest digest (W&B's artifact digest). */
  digest: string;
  /** The registry's location (a folder or a bucket URI); absent: the default, `~/.artifacts`. */
  registry?: string;
  /** When the folder was last made to track this version (ISO 8601). */
  trackedAt: string;
}

/** The coordinates of a version, as tracking needs them. */
export interface TrackedVersion {
  entity: string;
  project: string;
  collection: string;
  index: number;
  digest: string;
}

/** `entity/project/collection:vN` of a tracking state. */
export function trackedRef(t: Pick<TrackingState, 'entity' | 'project' | 'collection' | 'version'>): string {
  return `${t.entity}/${t.project}/${t.collection}:${t.version}`;
}

/** `collection:vN`, the short form the status bar shows. */
export function trackedShortRef(t: Pick<TrackingState, 'collection' | 'version'>): string {
  return `${t.collection}:${t.version}`;
}

/** The registry that has no configuration at all; a tracking file records any other. */
export function builtInRegistryLocation(): string {
  return path.join(homedir(), '.artifacts');
}

/** The state to write for a version of the registry at `location`. */
export function trackingState(v: TrackedVersion, location: string, at = new Date()): TrackingState {
  const state: TrackingState = {
    format: TRACKING_FORMAT,
    entity: v.entity,
    project: v.project,
    collection: v.collection,
    version: `v${v.index}`,
    digest: v.digest,
    trackedAt: at.toISOString(),
  };
  const isUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !/^file:\/\//i.test(location);
  if (isUri) state.registry = location;
  else if (path.resolve(location) !== builtInRegistryLocation()) state.registry = path.resolve(location);
  return state;
}

function damaged(file: string, why: string): ValidationError {
  return new ValidationError(l10n.t('The tracking file {0} is damaged: {1}', file, why));
}

/** Checks a parsed tracking file field by field (it is user-editable). */
export function parseTrackingState(text: string, file: string): TrackingState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw damaged(file, l10n.t('not JSON'));
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw damaged(file, l10n.t('not a JSON object'));
  const o = raw as Record<string, unknown>;
  if (o.format !== TRACKING_FORMAT) {
    throw new ValidationError(l10n.t('{0} is not a tracking file of this tool (format {1}; expected {2})', file, JSON.stringify(o.format ?? null), TRACKING_FORMAT));
  }
  for (const key of ['entity', 'project', 'collection', 'version', 'digest', 'trackedAt'] as const) {
    if (typeof o[key] !== 'string' || o[key] === '') throw damaged(file, l10n.t('{0} is missing or not a string', key));
  }
  if (o.registry !== undefined && (typeof o.registry !== 'string' || o.registry === '')) throw damaged(file, l10n.t('{0} is missing or not a string', 'registry'));
  if (!/^v\d+$/.test(o.version as string)) throw damaged(file, l10n.t('version {0} is not vN', JSON.stringify(o.version)));
  try {
    validateProjectName(o.entity as string, 'entity');
    validateProjectName(o.project as string);
    validateExistingName(o.collection as string);
  } catch (e) {
    throw damaged(file, (e as Error).message);
  }
  const state: TrackingState = {
    format: TRACKING_FORMAT,
    entity: o.entity as string,
    project: o.project as string,
    collection: o.collection as string,
    version: o.version as string,
    digest: o.digest as string,
    trackedAt: o.trackedAt as string,
  };
  if (o.registry !== undefined) state.registry = o.registry as string;
  return state;
}

/** The tracking state of `root`, or undefined when the folder is not tracked; a damaged file throws. */
export async function readTracking(root: string): Promise<TrackingState | undefined> {
  const file = path.join(root, TRACKING_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
  return parseTrackingState(text, file);
}

/** Writes `root`'s tracking file atomically (stable key order, a trailing newline, readable in a diff). */
export async function writeTracking(root: string, state: TrackingState): Promise<void> {
  const ordered: Record<string, string> = {
    format: state.format,
    entity: state.entity,
    project: state.project,
    collection: state.collection,
    version: state.version,
    digest: state.digest,
  };
  if (state.registry !== undefined) ordered.registry = state.registry;
  ordered.trackedAt = state.trackedAt;
  await writeFileAtomically(path.join(root, TRACKING_FILE), `${JSON.stringify(ordered, null, 2)}\n`);
}

/** Stops tracking `root` (no error when it was not tracked). */
export async function untrack(root: string): Promise<void> {
  await fsp.rm(path.join(root, TRACKING_FILE), { force: true });
}

/**
 * The tracked folder that holds `start` (itself or its nearest ancestor with a tracking file, like
 * git finds its repository), or undefined. `stopAt` bounds the search (a workspace folder).
 */
export async function findTrackedRoot(start: string, { stopAt }: { stopAt?: string } = {}): Promise<string | undefined> {
  let dir = path.resolve(start);
  const limit = stopAt === undefined ? undefined : path.resolve(stopAt);
  for (;;) {
    const st = await fsp.stat(path.join(dir, TRACKING_FILE)).catch(() => undefined);
    if (st?.isFile()) return dir;
    if (dir === limit) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
