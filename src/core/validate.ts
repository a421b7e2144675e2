/**
 * W&B's client-side validation rules (wandb/sdk/artifacts/_validators.py), with the messages a user
 * can act on. Every function either returns the normalised value or throws a ValidationError.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from './errors';
import { formatNumber } from './l10n';

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
  if (typeof name !== 'string' || name.length === 0) throw new ValidationError(l10n.t('Artifact name must not be empty'));
  if (name.length > NAME_MAXLEN) {
    throw new ValidationError(l10n.t('Artifact name is longer than {0} characters: {1}', formatNumber(NAME_MAXLEN), cut(name)));
  }
  if (!NAME_RE.test(name)) {
    throw new ValidationError(l10n.t('Artifact name may only contain alphanumeric characters, dashes, underscores, and dots. Invalid name: {0}', name));
  }
  // `.` and `..` pass W&B's regex but would be directory traversal in a registry key or download root.
  if (name === '.' || name === '..') throw new ValidationError(l10n.t("Artifact name cannot be '{0}'", name));
  return name;
}

/** Collection names read back from a registry: anything but `/` and `:` (W&B's server rule). */
export function validateExistingName(name: string): string {
  if (!name || name.length > NAME_MAXLEN || /[/:]/.test(name) || name === '.' || name === '..') {
    throw new ValidationError(l10n.t('Collection name is invalid: {0}', cut(name)));
  }
  return name;
}

/** Types of new artifacts: the name rules (letters, digits, `_`, `-`, `.`, at most 128), and not reserved. */
export function validateType(type: string, artifactName: string): string {
  if (typeof type !== 'string' || type.length === 0) throw new ValidationError(l10n.t('Artifact type must not be empty'));
  if (type.length > NAME_MAXLEN || !NAME_RE.test(type)) {
    throw new ValidationError(l10n.t('Artifact type may only contain letters, digits, dashes, underscores and dots, at most {0} characters: {1}', formatNumber(NAME_MAXLEN), cut(type)));
  }
  const reserved =
    type.startsWith('wandb-') ||
    type === 'job' ||
    (type === 'run_table' && artifactName.startsWith('run-')) ||
    (type === 'code' && artifactName.startsWith('source-'));
  if (reserved) throw new ValidationError(l10n.t('Artifact type {0} is reserved for internal use', type));
  return type;
}

/**
 * Which name `validateProjectName` checks: `project` or `entity`. `'Project name'` and `'Entity name'`
 * are the older spellings, still accepted.
 */
export type NameKind = 'project' | 'entity' | 'Project name' | 'Entity name';

/** Project and entity names: not empty, at most 128 characters, none of `/ \ # ? % : CR LF`. */
export function validateProjectName(name: string, what: NameKind = 'project'): string {
  const entity = /^entity/i.test(what);
  if (typeof name !== 'string' || name.length === 0) throw new ValidationError(entity ? l10n.t('Entity name must not be empty') : l10n.t('Project name must not be empty'));
  if (name.length > NAME_MAXLEN) {
    throw new ValidationError(
      entity
        ? l10n.t('Entity name is longer than {0} characters: {1}', formatNumber(NAME_MAXLEN), cut(name))
        : l10n.t('Project name is longer than {0} characters: {1}', formatNumber(NAME_MAXLEN), cut(name)),
    );
  }
  const bad = PROJECT_FORBIDDEN.filter((c) => name.includes(c));
  if (bad.length > 0) {
    const chars = bad.map((c) => JSON.stringify(c)).join(', ');
    throw new ValidationError(entity ? l10n.t('Entity name may not contain {0}: {1}', chars, name) : l10n.t('Project name may not contain {0}: {1}', chars, name));
  }
  if (name === '.' || name === '..') throw new ValidationError(entity ? l10n.t("Entity name cannot be '{0}'", name) : l10n.t("Project name cannot be '{0}'", name));
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
    if (typeof alias !== 'string' || alias.length === 0) throw new ValidationError(l10n.t('Aliases must not be empty'));
    if (alias.length > NAME_MAXLEN) throw new ValidationError(l10n.t('Alias is longer than {0} characters: {1}', formatNumber(NAME_MAXLEN), cut(alias)));
    if (/[/:]/.test(alias)) {
      throw new ValidationError(l10n.t("Aliases must not contain any of the following characters: '/', ':' (got '{0}')", alias));
    }
    if (isVersionAlias(alias)) {
      throw new ValidationError(l10n.t("Alias '{0}' is reserved: every version is already addressed as name:{0} (W&B ignores such an alias silently; here it is refused)", alias));
    }
    if (alias === 'latest' && !allowLatest) {
      throw new ValidationError(l10n.t("Alias 'latest' is managed by the registry: it always names the newest version"));
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
      l10n.t("Invalid tag(s): {0}. Tags are words of letters, digits, '_' or '-', separated by single spaces", invalid.map((t) => JSON.stringify(t)).join(', ')),
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
      throw new ValidationError(l10n.t('Metadata is not valid JSON: {0}', (e as Error).message));
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(l10n.t('Metadata must be a JSON object (a dictionary of keys to values)'));
  }
  let json: string;
  try {
    json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        if (Number.isNaN(v)) return null;
        throw new ValidationError(l10n.t('Metadata cannot contain Infinity or -Infinity (not valid JSON)'));
      }
      if (typeof v === 'bigint') throw new ValidationError(l10n.t('Metadata cannot contain BigInt values'));
      return v;
    });
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(l10n.t('Metadata is not JSON-serializable: {0}', (e as Error).message));
  }
  const normalised = JSON.parse(json) as Metadata;
  const keys = Object.keys(normalised).length;
  if (keys > METADATA_MAX_KEYS) {
    throw new ValidationError(l10n.t('Metadata has {0} top-level keys; at most {1} are allowed', formatNumber(keys), formatNumber(METADATA_MAX_KEYS)));
  }
  return normalised;
}

/** What a file system accepts: a name of at most 255 bytes, a path of at most 4,096, 256 levels deep. */
export const MAX_NAME_BYTES = 255;
export const MAX_PATH_BYTES = 4096;
export const MAX_PATH_DEPTH = 256;

/** How a path exceeds the limits above: too many bytes, too deep, or a part (`part`) too long. */
export type PathLimitProblem = { kind: 'length' } | { kind: 'depth' } | { kind: 'part'; part: string };

/** How a path exceeds the limits above, or undefined when it does not. */
export function pathLimitProblem(p: string): PathLimitProblem | undefined {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a path this short has no part (and is not) too long or deep.
  if (p.length * 3 <= MAX_NAME_BYTES) return undefined;
  if (Buffer.byteLength(p) > MAX_PATH_BYTES) return { kind: 'length' };
  const segments = p.split('/');
  if (segments.length > MAX_PATH_DEPTH) return { kind: 'depth' };
  const long = segments.find((s) => Buffer.byteLength(s) > MAX_NAME_BYTES);
  return long === undefined ? undefined : { kind: 'part', part: JSON.stringify(long.slice(0, 40)) };
}

/**
 * A logical path inside an artifact: POSIX, relative, no `..`. Backslashes count as separators when
 * looking for traversal, so a manifest written on one OS cannot escape on another.
 * Returns the normalised path (`a//b/./c` → `a/b/c`, trailing `/` dropped).
 */
export function validateLogicalPath(input: string, { windows = process.platform === 'win32' } = {}): string {
  if (typeof input !== 'string') throw new ValidationError(l10n.t('Artifact path must be a string'));
  let p = windows ? input.replace(/\\/g, '/') : input;
  const shown = JSON.stringify(input);
  if (p.length === 0) throw new ValidationError(l10n.t('Invalid artifact path {0}: it is empty', shown));
  if (p.includes('\0')) throw new ValidationError(l10n.t('Invalid artifact path {0}: it contains a NUL character', shown));
  if (p.startsWith('/') || p.startsWith('\\')) throw new ValidationError(l10n.t('Invalid artifact path {0}: it is absolute', shown));
  if (/^[A-Za-z]:/.test(p)) throw new ValidationError(l10n.t('Invalid artifact path {0}: it starts with a drive letter', shown));
  if (p.split(/[/\\]/).some((seg) => seg === '..')) throw new ValidationError(l10n.t("Invalid artifact path {0}: it contains a '..' segment", shown));
  p = p
    .split('/')
    .filter((seg) => seg !== '' && seg !== '.')
    .join('/');
  if (p.length === 0) throw new ValidationError(l10n.t("Invalid artifact path {0}: it names the artifact root ('.')", shown));
  const limit = pathLimitProblem(p);
  if (limit?.kind === 'length') throw new ValidationError(l10n.t('Invalid artifact path {0}: it is longer than {1} bytes', shown, MAX_PATH_BYTES));
  if (limit?.kind === 'depth') throw new ValidationError(l10n.t('Invalid artifact path {0}: it is more than {1} folders deep', shown, MAX_PATH_DEPTH));
  if (limit?.kind === 'part') throw new ValidationError(l10n.t('Invalid artifact path {0}: its part {1}… is longer than {2} bytes', shown, limit.part, MAX_NAME_BYTES));
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
