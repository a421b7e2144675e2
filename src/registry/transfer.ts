/**
 * Moving a version's files onto the user's disk: download (only what is missing or changed, each
 * file written atomically; a blob is hashed on the way unless its seal shows it is untouched since it
 * was verified, see blob-seal.ts), checkout (download + remove
 * foreign files) and the single-file shortcut. Blobs come from the store's own folder when it is
 * local, otherwise through the local cache (`<local root>/objects`).
 */
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import pLimit from 'p-limit';
import type { CheckoutPlan, CheckoutResult, DownloadOptions, DownloadResult, TransferProgress } from '../core/artifact-backend';
import { isSealed, sealTimes } from '../core/blob-seal';
import { ChecksumRecords } from '../core/checksum-records';
import { isMd5B64 } from '../core/digest';
import { CorruptObjectError, NotFoundError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool } from '../core/hashing/pool';
import type { Manifest, ManifestEntry } from '../core/manifest';
import { SafeRoot } from '../core/safe-path';
import { walkFiles } from '../core/walk';
import { warn } from '../core/warnings';
import { fetchReference, type FetchContext } from '../references';
import type { ObjectStore } from '../store/object-store';
import { blobKey, etagCacheKey } from './layout';

/** Where a transfer finds things: the store, and this machine's cache and records folder. */
export interface TransferContext {
  store: ObjectStore;
  /** Folder holding `objects/` (cache of blobs and references) and `checksums/` (download records). */
  localRoot: string;
}

export function recordsDir(ctx: TransferContext): string {
  return path.join(ctx.localRoot, 'checksums');
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
    const tmp = path.join(this.ctx.localRoot, 'tmp', `fetch-${process.pid}-${Math.random().toString(36).slice(2)}`);
    await fsp.mkdir(path.dirname(tmp), { recursive: true });
    try {
      if (!(await this.ctx.store.getFile(key, tmp, { signal: this.opts.signal }))) {
        throw new NotFoundError(`The contents of ${e.path} (${key}) are missing from ${this.ctx.store.location}`);
      }
      await fsp.chmod(tmp, 0o444);
      await fsp.mkdir(path.dirname(cached), { recursive: true });
      await fsp.rename(tmp, cached); // verified when copied to the destination
    } finally {
      await fsp.rm(tmp, { force: true });
    }
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
    const ctx: FetchContext = {
      cachePath: (uri, digest) => path.join(this.ctx.localRoot, ...etagCacheKey(uri, digest).split('/')),
      skipCache: this.opts.skipCache ?? false,
      signal: this.opts.signal,
    };
    const outcome = await fetchReference(e, dest, ctx);
    return outcome.status === 'written' || this.missingReference(e, outcome.why);
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

/** Files under `root` that are not in the manifest (sorted). */
async function foreignFiles(manifest: Manifest, root: string): Promise<string[]> {
  const exists = await fsp.stat(root).then((s) => s.isDirectory(), () => false);
  if (!exists) return [];
  const files = await walkFiles(root, { followSymlinks: false });
  return files.map((f) => f.relPath).filter((p) => !manifest.has(p)).sort();
}

/**
 * Checkout as a plan: the files it will delete are listed first; `execute` deletes exactly those
 * (a file that appeared in between is kept and reported in `keptUnplanned`), then downloads.
 */
export async function planCheckout(ctx: TransferContext, manifest: Manifest, root: string): Promise<CheckoutPlan> {
  for (const e of manifest.entries()) SafeRoot.check(e.path);
  const deletions = await foreignFiles(manifest, root);
  const absRoot = path.resolve(root);
  return {
    root: absRoot,
    deletions,
    async execute(opts: DownloadOptions = {}): Promise<CheckoutResult> {
      const listed = new Set(deletions);
      const keptUnplanned = (await foreignFiles(manifest, absRoot)).filter((p) => !listed.has(p));
      if (keptUnplanned.length > 0) warn(`${keptUnplanned.length} file(s) appeared in ${absRoot} after the checkout was planned and were kept: ${keptUnplanned.slice(0, 5).join(', ')}${keptUnplanned.length > 5 ? ', …' : ''}`);
      const safe = new SafeRoot(absRoot);
      const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
      const deleted: string[] = [];
      for (const rel of deletions) {
        throwIfAborted(opts.signal);
        await fsp.rm(safe.destination(rel, { create: false }), { force: true }).catch((e) => {
          if (!isErrno(e, 'ENOENT')) throw e;
        });
        records.delete(rel);
        deleted.push(rel);
      }
      await records.save();
      const result = await downloadManifest(ctx, manifest, absRoot, { ...opts, pathPrefix: undefined });
      return { ...result, deleted, keptUnplanned };
    },
  };
}
