/**
 * W&B's client-side validation rules (wandb/sdk/artifacts/_validators.py), with the messages a user
 * can act on. Every function either returns the normalised value or throws a ValidationError.
 */
import { ValidationError } from './errors';

export const NAME_MAXLEN = 128;
export const METADATA_MAX_KEYS = 100;

const NAME_RE = /^[a-zA-Z0-9_\-.]+$/;
/** Python's Unicode `\w` is letters, numbers and `_` (no combining marks). */
const TAG_RE = /^[-\p{L}\p{N}_]+(?: +[-\p{L}\p{N}_]+)*$/u;
const VERSION_ALIAS_RE = /^v\d+$/;
const PROJECT_FORBIDDEN = ['/', '\\', '#', '?', '%', ':', '\r', '\n'];

function cut(name: string): string {
  return name.length > NAME_MAXLEN ? `${name.slice(0, NAME_MAXLEN)} ...` : name;
}

/** Names of new artifacts (collections): `[A-Za-z0-9_.-]`, at most 128 characters. */
export function validateArtifactName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new ValidationError('Artifact name must not be empty');
  if (name.length > NAME_MAXLEN) {
    throw new ValidationError(`Artifact name is longer than ${NAME_MAXLEN} characters: ${cut(name)}`);
  }
  if (!NAME_RE.test(name)) {
    throw new ValidationError(
      `Artifact name may only contain alphanumeric characters, dashes, underscores, and dots. Invalid name: ${name}`,
    );
  }
  // `.` and `..` pass W&B's regex but would be directory traversal in a registry key or download root.
  if (name === '.' || name === '..') throw new ValidationError(`Artifact name cannot be '${name}'`);
  return name;
}

/** Names read back from a registry: anything but `/` and `:` (W&B's server rule). */
export function validateExistingName(name: string, what = 'Collection name'): string {
  if (!name || name.length > NAME_MAXLEN || /[/:]/.test(name) || name === '.' || name === '..') {
    throw new ValidationError(`${what} is invalid: ${cut(name)}`);
  }
  return name;
}

/** Types of new artifacts: the name rules (letters, digits, `_`, `-`, `.`, at most 128), and not reserved. */
export function validateType(type: string, artifactName: string): string {
  if (typeof type !== 'string' || type.length === 0) throw new ValidationError('Artifact type must not be empty');
  if (type.length > NAME_MAXLEN || !NAME_RE.test(type)) {
    throw new ValidationError(`Artifact type may only contain letters, digits, dashes, underscores and dots, at most ${NAME_MAXLEN} characters: ${cut(type)}`);
  }
  const reserved =
    type.startsWith('wandb-') ||
    type === 'job' ||
    (type === 'run_table' && artifactName.startsWith('run-')) ||
    (type === 'code' && artifactName.startsWith('source-'));
  if (reserved) throw new ValidationError(`Artifact type ${type} is reserved for internal use`);
  return type;
}

/** Project and entity names: not empty, at most 128 characters, none of `/ \ # ? % : CR LF`. */
export function validateProjectName(name: string, what = 'Project name'): string {
  if (typeof name !== 'string' || name.length === 0) throw new ValidationError(`${what} must not be empty`);
  if (name.length > NAME_MAXLEN) throw new ValidationError(`${what} is longer than ${NAME_MAXLEN} characters: ${cut(name)}`);
  const bad = PROJECT_FORBIDDEN.filter((c) => name.includes(c));
  if (bad.length > 0) {
    throw new ValidationError(`${what} may not contain ${bad.map((c) => JSON.stringify(c)).join(', ')}: ${name}`);
  }
  if (name === '.' || name === '..') throw new ValidationError(`${what} cannot be '${name}'`);
  return name;
}

export function isVersionAlias(alias: string): boolean {
  return VERSION_ALIAS_RE.test(alias);
}

/**
 * Aliases a user sets. `latest` and `vN` are managed by the registry: `latest` is accepted (it is
 * always applied anyway) when `allowLatest`, `vN` is refused instead of W&B's silent ignore.
 */
export function validateAliases(aliases: readonly string[], { allowLatest = true } = {}): string[] {
  const out: string[] = [];
  for (const alias of aliases) {
    if (typeof alias !== 'string' || alias.length === 0) throw new ValidationError('Aliases must not be empty');
    if (alias.length > NAME_MAXLEN) throw new ValidationError(`Alias is longer than ${NAME_MAXLEN} characters: ${cut(alias)}`);
    if (/[/:]/.test(alias)) {
      throw new ValidationError(`Aliases must not contain any of the following characters: '/', ':' (got '${alias}')`);
    }
    if (isVersionAlias(alias)) {
      throw new ValidationError(`Alias '${alias}' is reserved: every version is already addressed as name:${alias} (W&B ignores such an alias silently; here it is refused)`);
    }
    if (alias === 'latest' && !allowLatest) {
      throw new ValidationError(`Alias 'latest' is managed by the registry: it always names the newest version`);
    }
    if (!out.includes(alias)) out.push(alias);
  }
  return out;
}

/** Tags: W&B's `^[-\w]+( +[-\w]+)*$` (Unicode word characters), deduplicated in order. */
export function validateTags(tags: readonly string[]): string[] {
  const invalid = tags.filter((t) => typeof t !== 'string' || !TAG_RE.test(t));
  if (invalid.length > 0) {
    throw new ValidationError(
      `Invalid tag(s): ${invalid.map((t) => JSON.stringify(t)).join(', ')}. Tags are words of letters, digits, '_' or '-', separated by single spaces`,
    );
  }
  return [...new Set(tags)];
}

export type Metadata = Record<string, unknown>;

/**
 * Metadata: an object, a JSON string or null/"" (→ {}). Normalised through JSON: NaN becomes null,
 * ±Infinity is refused, at most 100 top-level keys.
 */
export function validateMetadata(input: unknown): Metadata {
  if (input === null || input === undefined || input === '') return {};
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new ValidationError(`Metadata is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('Metadata must be a JSON object (a dictionary of keys to values)');
  }
  let json: string;
  try {
    json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        if (Number.isNaN(v)) return null;
        throw new ValidationError('Metadata cannot contain Infinity or -Infinity (not valid JSON)');
      }
      if (typeof v === 'bigint') throw new ValidationError('Metadata cannot contain BigInt values');
      return v;
    });
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(`Metadata is not JSON-serializable: ${(e as Error).message}`);
  }
  const normalised = JSON.parse(json) as Metadata;
  const keys = Object.keys(normalised).length;
  if (keys > METADATA_MAX_KEYS) {
    throw new ValidationError(`Metadata has ${keys} top-level keys; at most ${METADATA_MAX_KEYS} are allowed`);
  }
  return normalised;
}

/** What a file system accepts: a name of at most 255 bytes, a path of at most 4,096, 256 levels deep. */
export const MAX_NAME_BYTES = 255;
export const MAX_PATH_BYTES = 4096;
export const MAX_PATH_DEPTH = 256;

/** Why a path exceeds the limits above, or undefined when it does not. */
export function pathLimitProblem(p: string): string | undefined {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a path this short has no part (and is not) too long or deep.
  if (p.length * 3 <= MAX_NAME_BYTES) return undefined;
  if (Buffer.byteLength(p) > MAX_PATH_BYTES) return `it is longer than ${MAX_PATH_BYTES} bytes`;
  const segments = p.split('/');
  if (segments.length > MAX_PATH_DEPTH) return `it is more than ${MAX_PATH_DEPTH} folders deep`;
  const long = segments.find((s) => Buffer.byteLength(s) > MAX_NAME_BYTES);
  return long === undefined ? undefined : `its part ${JSON.stringify(long.slice(0, 40))}… is longer than ${MAX_NAME_BYTES} bytes`;
}

/**
 * A logical path inside an artifact: POSIX, relative, no `..`. Backslashes count as separators when
 * looking for traversal, so a manifest written on one OS cannot escape on another.
 * Returns the normalised path (`a//b/./c` → `a/b/c`, trailing `/` dropped).
 */
export function validateLogicalPath(input: string, { windows = process.platform === 'win32' } = {}): string {
  if (typeof input !== 'string') throw new ValidationError('Artifact path must be a string');
  let p = windows ? input.replace(/\\/g, '/') : input;
  const reject = (why: string) => new ValidationError(`Invalid artifact path ${JSON.stringify(input)}: ${why}`);
  if (p.length === 0) throw reject('it is empty');
  if (p.includes('\0')) throw reject('it contains a NUL character');
  if (p.startsWith('/') || p.startsWith('\\')) throw reject('it is absolute');
  if (/^[A-Za-z]:/.test(p)) throw reject('it starts with a drive letter');
  if (p.split(/[/\\]/).some((seg) => seg === '..')) throw reject("it contains a '..' segment");
  p = p
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
  if (p.length === 0) throw reject("it names the artifact root ('.')");
  const limit = pathLimitProblem(p);
  if (limit) throw reject(limit);
  return p;
}

/** Segments without `/ \ : NUL`, none of them `.` or `..`: the common case, checked in one pass. */
const PLAIN_PATH = /^(?!\.\.?(?:\/|$))[^/\\:\0]+(?:\/(?!\.\.?(?:\/|$))[^/\\:\0]+)*$/;

/** Whether a path is safe without normalising it (used on manifests read from storage). */
export function isSafeLogicalPath(p: string): boolean {
  if (PLAIN_PATH.test(p)) return p.length < MAX_NAME_BYTES / 4 || pathLimitProblem(p) === undefined;
  try {
    return validateLogicalPath(p, { windows: true }) === p.replace(/\\/g, '/');
  } catch {
    return false;
  }
}
