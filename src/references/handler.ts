/**
 * One handler per reference scheme, as W&B's storage handlers: each knows how to describe a URI as
 * manifest entries (storing) and how to bring an entry's bytes back (loading). `index.ts` picks the
 * handler; nothing else looks at schemes.
 */
import type { ManifestEntry } from '../core/manifest';

export interface ReferenceOptions {
  /** Logical path (a file) or folder (a prefix) the reference goes under. */
  name?: string;
  /** false: record the URI instead of the content's digest (W&B's checksum=False). */
  checksum?: boolean;
  /** Refuse a prefix holding more objects than this. */
  maxObjects?: number;
}

export interface FetchContext {
  /** A cached copy's path for the bytes a URI had with this digest (written only when not skipping the cache). */
  cachePath(uri: string, digest: string): string;
  /** Bypass the cache entirely: neither read nor fill it. */
  skipCache: boolean;
  signal?: AbortSignal;
}

/**
 * `written`, or the target is gone (`missing`, with why): the caller decides whether that is an error.
 * `why` is a translated predicate of the reference (`does not exist`, `answered HTTP 404`): callers
 * place it after the reference, as in `Reference {path} ({uri}) {why}`.
 */
export type FetchOutcome = { status: 'written' } | { status: 'missing'; why: string };

export interface ReferenceHandler {
  /** For messages: `file`, `http(s)`, … */
  readonly name: string;
  canHandle(uri: string): boolean;
  /** The manifest entries a reference adds. */
  entries(uri: string, opts: ReferenceOptions): Promise<ManifestEntry[]>;
  /** Writes the entry's bytes to `dest` (atomically), checked against what was recorded. */
  fetch(entry: ManifestEntry, dest: string, ctx: FetchContext): Promise<FetchOutcome>;
}

const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

export function uriScheme(uri: string): string | undefined {
  return SCHEME_RE.exec(uri)?.[1]?.toLowerCase();
}
