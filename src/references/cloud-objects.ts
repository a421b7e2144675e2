/**
 * What the S3, GCS and Azure reference handlers share, as W&B's storage handlers do it:
 *
 * - A URI names one object, or, when no object has that name (or it ends with `/`), every object
 *   under it as a folder: one entry per object (zero-size folder markers skipped), at its path
 *   relative to the folder, under `name` when given. More than `maxObjects` objects are refused
 *   with a message (W&B silently truncates: PR #12091).
 * - An entry's digest is the object's ETag without quotes, its size the object's, and
 *   `extra = {etag, versionID}` (versionID only when the bucket keeps versions). With
 *   `checksum: false`, one entry whose digest is the URI itself.
 * - A download fetches the recorded version, or, with none recorded, the object only if its ETag is
 *   still the digest (or, in a bucket that keeps versions, the older version that has it); anything
 *   else fails with a message saying the object changed. Fetched bytes are kept in the cache under
 *   W&B's key for (URI, ETag) unless skipCache.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import type { ManifestEntry } from '../core/manifest';
import { validateLogicalPath } from '../core/validate';
import { DEFAULT_MAX_OBJECTS } from './file';
import type { FetchContext, FetchOutcome, ReferenceHandler, ReferenceOptions } from './handler';

/** One object as a bucket lists it. */
export interface CloudObject {
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  /** Set when the bucket keeps versions (never the literal "null"). */
  versionId?: string;
}

/** The few reads a reference needs from one bucket or container. */
export interface ObjectSource {
  /** The object at `key` (that version, when given), or undefined when there is none. */
  head(key: string, versionId?: string): Promise<CloudObject | undefined>;
  /** Up to `limit` objects under `prefix` (their current versions), in key order, without empty ones (folder markers). */
  list(prefix: string, limit: number): Promise<CloudObject[]>;
  /**
   * Writes the object's bytes into `dest`: that version when given, else only while its ETag is
   * `etag`. `missing` when there is no such object, `changed` when its ETag is another.
   */
  download(key: string, opts: { versionId?: string; etag: string; dest: string; signal?: AbortSignal }): Promise<'written' | 'missing' | 'changed'>;
  /** In a bucket that keeps versions: the version of `key` whose ETag is `etag`. */
  versionWithEtag(key: string, etag: string): Promise<string | undefined>;
}

/** How a scheme's URIs name objects. */
export interface CloudScheme {
  /** For messages: `s3`, `gs`, `azure`. */
  name: string;
  canHandle(uri: string): boolean;
  /** The bucket (container) part, the object key, and a version named in the URI. */
  parse(uri: string): { bucket: string; key: string; versionId?: string };
  /** The URI of an object, without any version query (what entries keep as `ref`). */
  uriOf(bucket: string, key: string): string;
  /** The source for a bucket (loads its SDK); throws a one-line error when it cannot be configured. */
  source(bucket: string): Promise<ObjectSource>;
}

const lastSegment = (key: string) => key.replace(/\/+$/, '').split('/').pop() || key;

function entryOf(scheme: CloudScheme, bucket: string, o: CloudObject, logical: string): ManifestEntry {
  const entry: ManifestEntry = { path: validateLogicalPath(logical), digest: o.etag, ref: scheme.uriOf(bucket, o.key), size: o.size, extra: { etag: o.etag } };
  if (o.versionId && o.versionId !== 'null') entry.extra!.versionID = o.versionId;
  return entry;
}

async function writeViaTemp(dest: string, write: (tmp: string) => Promise<'written' | 'missing' | 'changed'>): Promise<'written' | 'missing' | 'changed'> {
  const tmp = path.join(path.dirname(dest), `.artifacts-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    const outcome = await write(tmp);
    if (outcome === 'written') await fsp.rename(tmp, dest);
    return outcome;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

export function cloudReferences(scheme: CloudScheme): ReferenceHandler {
  return {
    name: scheme.name,
    canHandle: (uri) => scheme.canHandle(uri),

    async entries(uri: string, { name, checksum = true, maxObjects = DEFAULT_MAX_OBJECTS }: ReferenceOptions): Promise<ManifestEntry[]> {
      const { bucket, key, versionId } = scheme.parse(uri);
      const plain = scheme.uriOf(bucket, key);
      if (!checksum) return [{ path: validateLogicalPath(name ?? (key ? lastSegment(key) : bucket)), digest: plain, ref: plain }];
      const source = await scheme.source(bucket);
      const single = key && !key.endsWith('/') ? await source.head(key, versionId) : undefined;
      if (single) return [entryOf(scheme, bucket, single, name ?? lastSegment(key))];
      if (versionId) throw new ValidationError(l10n.t('Reference {0}: no object {1} with version {2}', uri, key, versionId));
      // A folder: everything under `key/` (a key without the slash would also match `key2/…`).
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const objects = await source.list(prefix, maxObjects + 1);
      if (objects.length === 0) {
        throw new ValidationError(
          key
            ? l10n.t('Reference target does not exist: {0} (no object {1} or under {2})', uri, key, prefix)
            : l10n.t('Reference target does not exist: {0} (no object in {1})', uri, bucket),
        );
      }
      if (objects.length > maxObjects) {
        throw new ValidationError(l10n.t('Exceeded max_objects ({0}) while adding the reference {1}: it holds more objects than that (raise maxObjects to add it)', maxObjects, uri));
      }
      return objects.map((o) => {
        const rel = o.key.slice(prefix.length);
        return entryOf(scheme, bucket, o, name ? `${name}/${rel}` : rel);
      });
    },

    async fetch(e: ManifestEntry, dest: string, ctx: FetchContext): Promise<FetchOutcome> {
      const ref = e.ref!;
      const { bucket, key } = scheme.parse(ref);
      if (e.digest === ref) return { status: 'missing', why: l10n.t('was logged without a checksum (checksum=false), so there is no recorded content to fetch') };
      const cached = ctx.skipCache ? undefined : ctx.cachePath(ref, e.digest);
      const size = typeof e.size === 'number' ? e.size : undefined;
      if (cached && (await fsp.stat(cached).then((s) => size === undefined || s.size === size, () => false))) {
        await writeViaTemp(dest, async (tmp) => {
          await fsp.copyFile(cached, tmp);
          await fsp.chmod(tmp, 0o644);
          return 'written';
        });
        return { status: 'written' };
      }
      const source = await scheme.source(bucket);
      let versionId = typeof e.extra?.versionID === 'string' ? e.extra.versionID : undefined;
      const outcome = await writeViaTemp(dest, async (tmp) => {
        let got = await source.download(key, { versionId, etag: e.digest, dest: tmp, signal: ctx.signal });
        if (got === 'changed' && !versionId) {
          // Overwritten since it was logged: a bucket that keeps versions still has the old bytes.
          versionId = await source.versionWithEtag(key, e.digest);
          if (versionId) got = await source.download(key, { versionId, etag: e.digest, dest: tmp, signal: ctx.signal });
        }
        if (got === 'written' && size !== undefined && (await fsp.stat(tmp)).size !== size) {
          const got = (await fsp.stat(tmp)).size;
          throw new ValidationError(l10n.t('Reference {0}: {1} has {2} bytes, {3} were logged; nothing was written', e.path, ref, formatNumber(got), formatNumber(size)));
        }
        if (got === 'written' && cached) {
          await fsp.mkdir(path.dirname(cached), { recursive: true });
          const part = `${cached}.${process.pid}-${randomBytes(4).toString('hex')}`;
          await fsp.copyFile(tmp, part);
          await fsp.rename(part, cached);
        }
        return got;
      });
      if (outcome === 'missing') return { status: 'missing', why: versionId ? l10n.t('has no version {0} any more', versionId) : l10n.t('no longer exists') };
      if (outcome === 'changed') {
        throw new ValidationError(
          versionId
            ? l10n.t('Reference {0} changed since it was logged: {1} no longer has ETag {2} (version {3}) and no older version of it does', e.path, ref, e.digest, versionId)
            : l10n.t('Reference {0} changed since it was logged: {1} no longer has ETag {2} and no older version of it does', e.path, ref, e.digest),
        );
      }
      return { status: 'written' };
    },
  };
}
