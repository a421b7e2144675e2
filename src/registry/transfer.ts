/**
 * Moving a version's files onto the user's disk: download (only what is missing or changed) and
 * checkout (a plan that deletes exactly what it listed, then a download). Every blob is hashed as it
 * is copied out and moved into place only if its bytes match the manifest; a file already at the
 * destination is known by its stat against the records of the last download (size, mtime, ctime,
 * inode). Blobs come from the store's own folder when it is local, otherwise through the local cache
 * (`<local root>/objects`). References are fetched by their handler (references/).
 */
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import pLimit from 'p-limit';
import type { CheckoutPlan, CheckoutResult, DownloadOptions, DownloadResult, TransferProgress } from '../core/artifact-backend';
import { ChecksumRecords } from '../core/checksum-records';
import { isMd5B64 } from '../core/digest';
import { ArtifactsError, CorruptObjectError, NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool, type WrittenStat } from '../core/hashing/pool';
import type { Manifest, ManifestEntry } from '../core/manifest';
import { SafeRoot } from '../core/safe-path';
import { scanTree } from '../core/walk';
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

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  return fsp.lstat(p).catch(() => undefined);
}

/** A file-system error while writing `what`, as one line a person can act on. */
function writeError(e: unknown, what: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'ENAMETOOLONG', 'EEXIST', 'ENOTEMPTY'].includes(code)) {
    return new ValidationError(`Cannot write ${what}: ${code}`);
  }
  return e as Error;
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
    /** The version, for messages. */
    private readonly version: string,
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
      throw new ValidationError(`Cannot write ${e.path}: a folder is in the way at ${dest} (checkout replaces it)`);
    }
    if (st?.isFile() && (await this.alreadyThere(e, st))) {
      this.result.unchanged += 1;
      return this.done(e);
    }
    let wrote: boolean | WrittenStat;
    try {
      wrote = e.ref === undefined ? await this.copyBlob(e, dest) : await this.fetchReference(e, dest);
    } catch (err) {
      throw writeError(err, dest);
    }
    if (wrote) {
      this.records.set(e.path, typeof wrote === 'object' ? wrote : await fsp.stat(dest), e.digest);
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
   * Copies a stored blob to `dest` through a hash: a blob whose bytes do not match is never written.
   * Returns the stat of the file in place. The blob's atime (its last use, for cache cleanup) is the
   * kernel's (relatime: at most a day old).
   */
  private async copyBlob(e: ManifestEntry, dest: string): Promise<WrittenStat> {
    const key = blobKey(e.digest);
    const src = await this.blobPath(key, e);
    try {
      return (await hashPool().copy({ op: 'copy', src, dest, expect: e.digest, keepMtime: true })).stat!;
    } catch (err) {
      if (err instanceof CopyDigestError) throw new CorruptObjectError(key, err.expected, err.actual, `${this.version} ${e.path}`);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new NotFoundError(`The contents of ${e.path} (${key}) are missing from ${this.ctx.store.location}`);
      if (code === 'ENOTFILE' || code === 'EISDIR') throw new CorruptObjectError(key, e.digest, 'a folder or other non-file in the store', `${this.version} ${e.path}`);
      throw err;
    }
  }

  /** A path to read the blob from: the local store itself, or the cache (filled from the store). */
  private async blobPath(key: string, e: ManifestEntry): Promise<string> {
    if (this.ctx.store.local) return this.ctx.store.local.pathOf(key);
    const cached = path.join(this.ctx.localRoot, ...key.split('/'));
    const st = await fsp.stat(cached).catch(() => undefined);
    if (st?.isFile() && (e.size === undefined || e.size === null || st.size === e.size)) return cached;
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

/** The entries to write, refused as a whole before anything touches the disk if one cannot be. */
function selectEntries(manifest: Manifest, pathPrefix: string | undefined): ManifestEntry[] {
  const entries = [...manifest.entries()].filter((e) => !pathPrefix || e.path === pathPrefix || e.path.startsWith(`${pathPrefix.replace(/\/+$/, '')}/`));
  for (const e of entries) {
    SafeRoot.check(e.path);
    if (e.ref === undefined && !isMd5B64(e.digest)) throw new ValidationError(`Entry ${JSON.stringify(e.path)} has a digest that is not a base64 MD5: ${JSON.stringify(e.digest).slice(0, 60)}`);
  }
  const paths = new Set(entries.map((e) => e.path));
  for (const e of entries) {
    for (let i = e.path.indexOf('/'); i > 0; i = e.path.indexOf('/', i + 1)) {
      if (paths.has(e.path.slice(0, i))) {
        throw new ValidationError(`The manifest holds both ${e.path.slice(0, i)} and ${e.path}: a path cannot be a file and a folder at once`);
      }
    }
  }
  return entries;
}

export async function downloadManifest(ctx: TransferContext, manifest: Manifest, root: string, opts: DownloadOptions = {}, version = 'the version'): Promise<DownloadResult> {
  const entries = selectEntries(manifest, opts.pathPrefix);
  const safe = new SafeRoot(root);
  const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
  const downloader = new Downloader(ctx, safe, records, opts, entries, version);
  const limit = pLimit(64);
  try {
    await sweepTemps(safe.root, false);
    for (let i = 0; i < entries.length; i += STAT_BATCH) {
      const batch = entries.slice(i, i + STAT_BATCH);
      // Stat every destination at once: an unchanged file is settled by its stat and its record,
      // which makes a second download of the same version cost one stat per file.
      const stats = await Promise.all(batch.map((e) => lstatOrUndefined(safe.destination(e.path, { create: false }))));
      const rest = batch.filter((e, j) => !downloader.settledByStat(e, stats[j]));
      await Promise.all(rest.map((e) => limit(() => downloader.entry(e))));
    }
  } catch (e) {
    // Stop: nothing more starts, what runs finishes (or fails), then the copies that hashing
    // threads were writing when they were stopped are removed.
    limit.clearQueue();
    while (limit.activeCount > 0) await new Promise((r) => setTimeout(r, 10));
    for (const dir of new Set(entries.map((x) => path.dirname(safe.pathOf(x.path))))) await sweepTemps(dir, true);
    throw e;
  } finally {
    await records.save();
  }
  return downloader.result;
}

const TEMP_RE = /^\.artifacts-tmp-(\d+)-/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `.artifacts-tmp-<pid>-…` files in `dir`: those of processes that are gone (a run killed
 * with SIGKILL cannot clean up after itself), and with `own`, this process's.
 */
async function sweepTemps(dir: string, own: boolean): Promise<void> {
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const pid = Number(TEMP_RE.exec(name)?.[1] ?? NaN);
    if (Number.isNaN(pid)) continue;
    if (pid === process.pid ? own : !alive(pid)) await fsp.rm(path.join(dir, name), { force: true });
  }
}

/**
 * What stands in the folder that the version does not have: files and symlinks not in the manifest
 * (a symlink is removed itself, never what it points to), sorted.
 */
async function foreignEntries(manifest: Manifest, root: string): Promise<string[]> {
  const { entries } = await scanTree(root);
  return entries.filter((p) => !manifest.has(p)).sort();
}

/**
 * Checkout as a plan: the files it will delete are listed first; `execute` deletes exactly those
 * (a file that appeared in between is kept and reported in `keptUnplanned`), removes folders that
 * stand where the version has a file, then downloads. It ends with the folder equal to the version
 * or with an error naming what it could not make equal.
 */
export async function planCheckout(ctx: TransferContext, manifest: Manifest, root: string, version = 'the version'): Promise<CheckoutPlan> {
  selectEntries(manifest, undefined);
  const absRoot = new SafeRoot(root, { create: false }).root;
  const deletions = await foreignEntries(manifest, absRoot);
  return {
    root: absRoot,
    deletions,
    async execute(opts: DownloadOptions = {}): Promise<CheckoutResult> {
      const listed = new Set(deletions);
      const keptUnplanned = (await foreignEntries(manifest, absRoot)).filter((p) => !listed.has(p));
      if (keptUnplanned.length > 0) warn(`${keptUnplanned.length} file(s) appeared in ${absRoot} after the checkout was planned and were kept: ${keptUnplanned.slice(0, 5).join(', ')}${keptUnplanned.length > 5 ? ', …' : ''}`);
      const safe = new SafeRoot(absRoot);
      const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
      const deleted: string[] = [];
      try {
        for (const rel of deletions) {
          throwIfAborted(opts.signal);
          const file = safe.pathOf(rel);
          const st = await lstatOrUndefined(file);
          if (st && !st.isDirectory()) {
            await fsp.unlink(file).catch((e) => {
              if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ArtifactsError(`Cannot delete ${rel} in ${absRoot}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
            });
          }
          records.delete(rel);
          deleted.push(rel);
        }
        // Folders where the version has a file: empty now, unless something appeared in them.
        const { folders } = await scanTree(absRoot);
        for (const f of folders.filter((d) => manifest.has(d)).sort((a, b) => b.length - a.length)) {
          const left = (await scanTree(safe.pathOf(f))).entries;
          if (left.length > 0) throw new ValidationError(`Cannot check out ${f}: a folder stands there and still holds ${left.length} file(s) that were not in the plan (${left.slice(0, 3).join(', ')})`);
          await fsp.rm(safe.pathOf(f), { recursive: true });
        }
      } finally {
        await records.save();
      }
      const result = await downloadManifest(ctx, manifest, absRoot, { ...opts, pathPrefix: undefined }, version);
      return { ...result, deleted, keptUnplanned };
    },
  };
}
