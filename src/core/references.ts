/**
 * Reference entries (W&B storage handlers): bytes that stay where they are, recorded by URI.
 * Supported: `file://` (content MD5, or the MD5 of the resolved file URI without checksum),
 * `http(s)://` (ETag and Content-Length from one GET whose body is not read), and any other scheme
 * as a tracked URI whose digest is the URI itself.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import fetch from 'node-fetch';
import { md5B64 } from './digest';
import { NotFoundError, ValidationError } from './errors';
import { hashPool } from './hashing/pool';
import type { ManifestEntry } from './manifest';
import { validateLogicalPath } from './validate';
import { walkFiles } from './walk';
import { warn } from './warnings';

export const DEFAULT_MAX_OBJECTS = 10_000_000;

export interface ReferenceOptions {
  name?: string;
  checksum?: boolean;
  maxObjects?: number;
}

const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

export function uriScheme(uri: string): string | undefined {
  return SCHEME_RE.exec(uri)?.[1]?.toLowerCase();
}

/** The local path of a `file://` URI (`file:///abs` or W&B's lenient `file://relative`). */
export function fileUriToPath(uri: string): string {
  const rest = uri.slice('file://'.length);
  return rest.startsWith('/') ? decodeURIComponent(rest) : rest;
}

/** Python's `Path.as_uri()`: every byte outside `A-Za-z0-9_.-~/` percent-encoded. */
export function pythonFileUri(absPath: string): string {
  let out = '';
  for (const byte of Buffer.from(absPath, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~/]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `file://${out}`;
}

export async function referenceEntries(uri: string, opts: ReferenceOptions = {}): Promise<ManifestEntry[]> {
  const scheme = uriScheme(uri);
  if (!scheme) throw new ValidationError(`References must be URIs. To reference a local file, use file:// (got '${uri}')`);
  if (scheme === 'file') return fileReference(uri, opts);
  if (scheme === 'http' || scheme === 'https') return [await httpReference(uri, opts)];
  if (!opts.name) {
    throw new ValidationError(`A reference with the unsupported scheme '${scheme}://' needs a name (--reference URI=NAME)`);
  }
  warn(`Artifact references with unsupported schemes cannot be checksummed: ${uri}`);
  return [{ path: validateLogicalPath(opts.name), digest: uri, ref: uri }];
}

async function fileReference(uri: string, { name, checksum = true, maxObjects = DEFAULT_MAX_OBJECTS }: ReferenceOptions) {
  const local = fileUriToPath(uri);
  const st = await fsp.stat(local).catch(() => undefined);
  if (!st) throw new NotFoundError(`Reference target does not exist: ${uri}`);
  const targets = st.isDirectory()
    ? (await walkFiles(local, { followSymlinks: false })).map((f) => ({
        abs: f.absPath,
        logical: name ? `${name}/${f.relPath}` : f.relPath,
        ref: `${uri.replace(/\/+$/, '')}/${f.relPath}`,
      }))
    : [{ abs: local, logical: name ?? path.basename(local), ref: uri }];
  if (targets.length > maxObjects) {
    throw new ValidationError(`Exceeded max_objects (${maxObjects}) while adding the reference ${uri}: it holds ${targets.length} files`);
  }
  const results = checksum
    ? await hashPool().hashAll(targets.map((t) => ({ file: t.abs })))
    : await Promise.all(
        targets.map(async (t) => ({ digest: md5B64(pythonFileUri(path.resolve(t.abs))), size: (await fsp.stat(t.abs)).size })),
      );
  return targets.map((t, i) => ({
    path: validateLogicalPath(t.logical),
    digest: results[i]!.digest,
    size: results[i]!.size,
    ref: t.ref,
  }));
}

async function httpReference(uri: string, { name, checksum = true }: ReferenceOptions): Promise<ManifestEntry> {
  const logical = validateLogicalPath(name ?? (path.posix.basename(new URL(uri).pathname) || new URL(uri).hostname));
  if (!checksum) return { path: logical, digest: uri, ref: uri };
  let res;
  try {
    res = await fetch(uri, { redirect: 'follow' });
  } catch (e) {
    throw new NotFoundError(`Could not reach the reference ${uri}: ${(e as Error).message}`);
  }
  // Only the headers are needed; the body is never read.
  (res.body as unknown as { destroy?: () => void } | null)?.destroy?.();
  if (!res.ok) throw new NotFoundError(`Reference ${uri} answered HTTP ${res.status} ${res.statusText}`);
  const etag = res.headers.get('etag');
  const length = res.headers.get('content-length');
  const entry: ManifestEntry = {
    path: logical,
    digest: etag ? etag.replace(/^"(.*)"$/, '$1') : res.url,
    ref: res.url,
  };
  if (length !== null && /^\d+$/.test(length)) entry.size = Number(length);
  if (etag) entry.extra = { etag };
  return entry;
}
