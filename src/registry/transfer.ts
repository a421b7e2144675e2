/**
 * Moving a version's files onto the user's disk: download (only what is missing or changed, each
 * file written atomically; a blob is hashed on the way unless its seal shows it is untouched since it
 * was verified, see blob-seal.ts), checkout (download + remove
 * foreign files) and the single-file shortcut. Blobs come from the store's own folder when it is
 * local, otherwise through the local cache (`<local root>/objects`).
 */
import { createHash } from 'node:crypto';
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import fetch from 'node-fetch';
import pLimit from 'p-limit';
import { isSealed, sealTimes } from '../core/blob-seal';
import { ChecksumRecords } from '../core/checksum-records';
import { isMd5B64, md5B64 } from '../core/digest';
import { CorruptObjectError, NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool } from '../core/hashing/pool';
import type { Manifest, ManifestEntry } from '../core/manifest';
import { fileUriToPath, pythonFileUri, uriScheme } from '../core/references';
import { SafeRoot } from '../core/safe-path';
import type { DownloadOptions, DownloadResult, TransferProgress } from '../core/transfer-types';
import { walkFiles } from '../core/walk';
import { warn } from '../core/warnings';
import type { ObjectStore } from '../store/object-store';
import { blobKey } from './layout';

export type { DownloadOptions, DownloadResult, TransferProgress } from '../core/transfer-types';

/** Where a transfer finds things: the store, and this machine's cache and records folder. */
export interface TransferContext {
  store: ObjectStore;
  /** Folder holding `objects/` (cache of blobs and references) and `checksums/` (download records). */
  localRoot: string;
}

export function recordsDir(ctx: TransferContext): string {
  return path.join(ctx.localRoot, 'checksums');
}


/** W&B's reference cache key: sha256( sha256(url) || sha256(etag) ). */
export function etagCacheKey(url: string, etag: string): string {
  const h = createHash('sha256')
    .update(createHash('sha256').update(url).digest())
    .update(createHash('sha256').update(etag).digest())
    .digest('hex');
  return `objects/etag/${h.slice(0, 2)}/${h.slice(2)}`;
}

function isErrno(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException)?.code === code;
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  return fsp.lstat(p).catch(() => undefined);
}

class Downloader {
  readonly result: DownloadResult;
  private readonly progress: TransferProgress;

  constructor(
    private readonly ctx: TransferContext,
    private readonly safe: SafeRoot,
    private readonly records: ChecksumRecords,
    private readonly opts: DownloadOptions,
    entries: ManifestEntry[],
  ) {
    this.result = { root: safe.root, written: [], unchanged: 0, skipped: [], bytesWritten: 0 };
    this.progress = { files: 0, totalFiles: entries.length, bytes: 0, totalBytes: entries.reduce((s, e) => s + (e.size ?? 0), 0) };
  }

  private done(e: ManifestEntry): void {
    this.progress.files += 1;
    this.progress.bytes += e.size ?? 0;
    this.opts.onProgress?.(this.progress);
  }

  /** True (and counted) when the destination's stat matches its record: nothing to read or write. */
  settledByStat(e: ManifestEntry, st: Stats | undefined): boolean {
    if (!st?.isFile() || this.records.digestIfUnchanged(e.path, st) !== e.digest) return false;
    this.result.unchanged += 1;
    this.done(e);
    return true;
  }

  async entry(e: ManifestEntry): Promise<void> {
    throwIfAborted(this.opts.signal);
    const dest = this.safe.destination(e.path);
    const st = await lstatOrUndefined(dest);
    if (st?.isDirectory()) {
      warn(`Skipping ${e.path}: a folder is in the way at ${dest}`);
      this.result.skipped.push(e.path);
      return this.done(e);
    }
    if (st?.isFile() && (await this.alreadyThere(e, st))) {
      this.result.unchanged += 1;
      return this.done(e);
    }
    const wrote = e.ref === undefined ? await this.copyBlob(e, dest) : await this.fetchReference(e, dest);
    if (wrote) {
      this.records.set(e.path, await fsp.stat(dest), e.digest);
      this.result.written.push(e.path);
      this.result.bytesWritten += e.size ?? 0;
    } else {
      this.result.skipped.push(e.path);
    }
    this.done(e);
  }

  /** Known from the records (a stat), or, for stored files of the right size, by hashing it once. */
  private async alreadyThere(e: ManifestEntry, st: Stats): Promise<boolean> {
    const recorded = this.records.digestIfUnchanged(e.path, st);
    if (recorded !== undefined) return recorded === e.digest;
    if (e.ref !== undefined || !isMd5B64(e.digest) || (e.size !== undefined && e.size !== null && st.size !== e.size)) return false;
    const { digest } = await hashPool().hash({ file: this.safe.destination(e.path) });
    if (digest !== e.digest) return false;
    this.records.set(e.path, st, digest);
    return true;
  }

  /**
   * Copies a stored file to `dest`. A blob whose seal still matches is copied by the kernel; any
   * other is hashed while it is copied and written only if its bytes match the digest.
   */
  private async copyBlob(e: ManifestEntry, dest: string): Promise<boolean> {
    const key = blobKey(e.digest);
    const src = await this.blobPath(key, e);
    const blob = await fsp.stat(src).catch(() => undefined);
    if (!blob) throw new NotFoundError(`The contents of ${e.path} (${key}) are missing from ${this.ctx.store.location}`);
    const sealed = isSealed(blob) && (e.size === undefined || e.size === null || e.size === blob.size);
    if (sealed) {
      const tmp = path.join(path.dirname(dest), `.artifacts-tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
      try {
        await fsp.copyFile(src, tmp);
        await fsp.chmod(tmp, 0o644);
        await fsp.utimes(tmp, Date.now() / 1000, blob.mtimeMs / 1000);
        await fsp.rename(tmp, dest);
      } finally {
        await fsp.rm(tmp, { force: true });
      }
    } else {
      try {
        await hashPool().copy({ op: 'copy', src, dest, expect: e.digest, mtimeMs: blob.mtimeMs });
      } catch (err) {
        if (err instanceof CopyDigestError) throw new CorruptObjectError(key, err.expected, err.actual);
        throw err;
      }
    }
    // (Re-)seal: the bytes are known good now, and the seal's atime records this use for cleanup.
    const { atime, mtime } = sealTimes();
    await fsp.utimes(src, atime, mtime).catch(() => undefined);
    return true;
  }

  /** A path to read the blob from: the local store itself, or the cache (filled from the store). */
  private async blobPath(key: string, e: ManifestEntry): Promise<string> {
    if (this.ctx.store.local) return this.ctx.store.local.pathOf(key);
    const cached = path.join(this.ctx.localRoot, ...key.split('/'));
    const st = await fsp.stat(cached).catch(() => undefined);
    if (st && (e.size === undefined || e.size === null || st.size === e.size)) return cached;
    const stream = await this.ctx.store.getStream(key);
    if (!stream) throw new NotFoundError(`The contents of ${e.path} (${key}) are missing from ${this.ctx.store.location}`);
    const tmp = path.join(this.ctx.localRoot, 'tmp', `fetch-${process.pid}-${Math.random().toString(36).slice(2)}`);
    await fsp.mkdir(path.dirname(tmp), { recursive: true });
    await pipeline(stream, createWriteStream(tmp, { mode: 0o444 }));
    await fsp.mkdir(path.dirname(cached), { recursive: true });
    await fsp.rename(tmp, cached); // verified when copied to the destination
    return cached;
  }

  private missingReference(e: ManifestEntry, why: string): false {
    if (!this.opts.allowMissingReferences) {
      throw new NotFoundError(`Reference ${e.path} (${e.ref}) ${why} (pass allowMissingReferences / --allow-missing-references to skip it)`);
    }
    warn(`Skipping the reference ${e.path}: ${e.ref} ${why}`);
    return false;
  }

  private async fetchReference(e: ManifestEntry, dest: string): Promise<boolean> {
    const ref = e.ref!;
    const scheme = uriScheme(ref);
    if (scheme === 'file') {
      const local = fileUriToPath(ref);
      const st = await fsp.stat(local).catch(() => undefined);
      if (!st?.isFile()) return this.missingReference(e, 'does not exist');
      // With checksum=false the digest names the path, not the content: nothing to check.
      const contentDigest = e.digest !== md5B64(pythonFileUri(path.resolve(local)));
      try {
        await hashPool().copy({ op: 'copy', src: local, dest, expect: contentDigest ? e.digest : undefined });
      } catch (err) {
        if (err instanceof CopyDigestError) throw new ValidationError(`Reference ${e.path} changed since it was logged: ${ref} now has digest ${err.actual}, not ${e.digest}`);
        throw err;
      }
      return true;
    }
    if (scheme === 'http' || scheme === 'https') return this.fetchHttp(e, dest);
    return this.missingReference(e, `uses the scheme '${scheme}', which cannot be downloaded`);
  }

  private async fetchHttp(e: ManifestEntry, dest: string): Promise<boolean> {
    const ref = e.ref!;
    const recordedEtag = typeof e.extra?.etag === 'string' ? e.extra.etag : undefined;
    const cacheKey = recordedEtag ? etagCacheKey(ref, recordedEtag) : undefined;
    const cached = cacheKey && path.join(this.ctx.localRoot, ...cacheKey.split('/'));
    if (cached && (await fsp.stat(cached).then((s) => e.size === undefined || e.size === null || s.size === e.size, () => false))) {
      await hashPool().copy({ op: 'copy', src: cached, dest });
      return true;
    }
    let res;
    try {
      res = await fetch(ref, { signal: this.opts.signal as never });
    } catch (err) {
      return this.missingReference(e, `could not be fetched (${(err as Error).message})`);
    }
    if (res.status === 404 || res.status === 410) return this.missingReference(e, `answered HTTP ${res.status}`);
    if (!res.ok || !res.body) throw new NotFoundError(`Reference ${e.path}: ${ref} answered HTTP ${res.status} ${res.statusText}`);
    const etag = res.headers.get('etag');
    if (recordedEtag !== undefined && etag?.replace(/^"(.*)"$/, '$1') !== e.digest) {
      (res.body as unknown as { destroy(): void }).destroy();
      throw new ValidationError(`Reference ${e.path} changed since it was logged: ${ref} has ETag ${etag ?? '(none)'}, expected ${recordedEtag}`);
    }
    const tmp = path.join(path.dirname(dest), `.artifacts-tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
    try {
      await pipeline(res.body as unknown as NodeJS.ReadableStream, createWriteStream(tmp, { mode: 0o644 }));
      if (cached && !this.opts.skipCache) {
        await fsp.mkdir(path.dirname(cached), { recursive: true });
        await fsp.copyFile(tmp, `${cached}.${process.pid}`);
        await fsp.rename(`${cached}.${process.pid}`, cached);
      }
      await fsp.rename(tmp, dest);
    } finally {
      await fsp.rm(tmp, { force: true });
    }
    return true;
  }
}

const STAT_BATCH = 10_000;

function selectEntries(manifest: Manifest, pathPrefix: string | undefined): ManifestEntry[] {
  const entries = [...manifest.entries()].filter((e) => !pathPrefix || e.path.startsWith(pathPrefix));
  for (const e of entries) SafeRoot.check(e.path); // refuse a bad manifest before touching the disk
  return entries;
}

export async function downloadManifest(ctx: TransferContext, manifest: Manifest, root: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const entries = selectEntries(manifest, opts.pathPrefix);
  const safe = new SafeRoot(root);
  const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
  const downloader = new Downloader(ctx, safe, records, opts, entries);
  const limit = pLimit(64);
  try {
    for (let i = 0; i < entries.length; i += STAT_BATCH) {
      const batch = entries.slice(i, i + STAT_BATCH);
      // Stat every destination at once: an unchanged file is settled by its stat and its record,
      // which makes a second download of the same version cost one stat per file.
      const stats = await Promise.all(batch.map((e) => lstatOrUndefined(safe.destination(e.path, { create: false }))));
      const rest = batch.filter((e, j) => !downloader.settledByStat(e, stats[j]));
      await Promise.all(rest.map((e) => limit(() => downloader.entry(e))));
    }
  } finally {
    await records.save();
  }
  return downloader.result;
}

/** Files under `root` that are not in the manifest: what checkout would delete. */
export async function checkoutPlan(manifest: Manifest, root: string): Promise<string[]> {
  const exists = await fsp.stat(root).then((s) => s.isDirectory(), () => false);
  if (!exists) return [];
  const files = await walkFiles(root, { followSymlinks: false });
  return files.map((f) => f.relPath).filter((p) => !manifest.has(p)).sort();
}

/** Makes `root` equal to the manifest: removes foreign files (empty folders stay), then downloads. */
export async function checkoutManifest(ctx: TransferContext, manifest: Manifest, root: string, opts: DownloadOptions = {}): Promise<DownloadResult & { deleted: string[] }> {
  for (const e of manifest.entries()) SafeRoot.check(e.path);
  const deleted = await checkoutPlan(manifest, root);
  const safe = new SafeRoot(root);
  const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
  for (const rel of deleted) {
    await fsp.rm(safe.destination(rel, { create: false }), { force: true }).catch((e) => {
      if (!isErrno(e, 'ENOENT')) throw e;
    });
    records.delete(rel);
  }
  await records.save();
  const result = await downloadManifest(ctx, manifest, root, { ...opts, pathPrefix: undefined });
  return { ...result, deleted };
}
