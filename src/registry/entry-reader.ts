/**
 * Reading one entry of a version as a stream, for viewers (the extension's `artifact:` files, a
 * content diff): stored bytes are hashed as they pass and the stream ends with CorruptObjectError
 * when they do not match the manifest; a reference is fetched by its handler first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { CorruptObjectError, NotFoundError } from '../core/errors';
import type { Manifest, ManifestEntry } from '../core/manifest';
import { fetchReference } from '../references';
import { blobKey, etagCacheKey } from './layout';
import type { TransferContext } from './transfer';

export interface OpenedEntry {
  entry: ManifestEntry;
  /** Bytes the stream will give (the recorded size when known). */
  size: number | undefined;
  stream: Readable;
}

/** Passes bytes through and fails at the end when their MD5 is not `digest`. */
function checked(digest: string, key: string, where: string): Transform {
  const hash = createHash('md5');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = hash.digest('base64');
      done(actual === digest ? null : new CorruptObjectError(key, digest, actual, where));
    },
  });
}

export async function openEntry(ctx: TransferContext, manifest: Manifest, logicalPath: string, version: string, { signal }: { signal?: AbortSignal } = {}): Promise<OpenedEntry> {
  const entry = manifest.get(logicalPath);
  if (!entry) throw new NotFoundError(l10n.t('{0} has no file {1}', version, logicalPath));
  const size = typeof entry.size === 'number' ? entry.size : undefined;
  if (entry.ref === undefined) {
    const key = blobKey(entry.digest);
    const local = ctx.store.local?.pathOf(key) ?? path.join(ctx.localRoot, ...key.split('/'));
    const source = (await fsp.stat(local).then((s) => s.isFile(), () => false)) ? createReadStream(local) : await ctx.store.getStream(key);
    if (!source) throw new NotFoundError(l10n.t('The contents of {0} ({1}) are missing from {2}', logicalPath, key, ctx.store.location));
    const out = checked(entry.digest, key, `${version} ${logicalPath}`);
    source.on('error', (e: Error) => out.destroy(e));
    return { entry, size, stream: source.pipe(out) };
  }
  const tmp = path.join(ctx.localRoot, 'tmp', `open-${process.pid}-${randomBytes(6).toString('hex')}`);
  await fsp.mkdir(path.dirname(tmp), { recursive: true });
  const outcome = await fetchReference(entry, tmp, {
    cachePath: (uri, digest) => path.join(ctx.localRoot, ...etagCacheKey(uri, digest).split('/')),
    skipCache: false,
    signal,
  });
  // outcome.why: a translated predicate (`no longer exists`).
  if (outcome.status === 'missing') throw new NotFoundError(l10n.t('The reference {0} ({1}) {2}', logicalPath, entry.ref, outcome.why));
  const stream = createReadStream(tmp);
  stream.on('close', () => void fsp.rm(tmp, { force: true }));
  return { entry, size: size ?? (await fsp.stat(tmp)).size, stream };
}

/**
 * A local file with the bytes of one entry, for readers that need ranged reads (content diffs):
 * the stored object itself in a local registry (to read, never to write), else a copy made by
 * `spool` from `openEntry` (its digest checked on the way). Undefined when there is no such entry.
 */
export async function entryFile(
  ctx: TransferContext,
  manifest: Manifest,
  logicalPath: string,
  version: string,
  spool: (stream: Readable, name: string) => Promise<string>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const entry = manifest.get(logicalPath);
  if (!entry) return undefined;
  if (entry.ref === undefined && ctx.store.local) {
    const file = ctx.store.local.pathOf(blobKey(entry.digest));
    const st = await fsp.stat(file).catch(() => undefined);
    if (st?.isFile() && (typeof entry.size !== 'number' || st.size === entry.size)) return file;
  }
  const opened = await openEntry(ctx, manifest, logicalPath, version, { signal });
  return spool(opened.stream, logicalPath);
}
