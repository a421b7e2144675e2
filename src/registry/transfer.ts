/**
 * Moving a version's files onto the user's disk: download (only what is missing or changed) and
 * checkout (a plan that deletes exactly what it listed, then a download). Every blob is hashed as it
 * is copied out and moved into place only if its bytes match the manifest; a file already at the
 * destination is known by its stat against the records of the last download (size, mtime, ctime,
 * inode). Blobs come from the store's own folder when it is local, otherwise through the local cache
 * (`<local root>/objects`). References are fetched by their handler (references/).
 */
import { lstatSync, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import pLimit from 'p-limit';
import { processAlive } from '../core/atomic-file';
import type { CheckoutPlan, CheckoutResult, DownloadOptions, DownloadResult, TransferProgress } from '../core/artifact-backend';
import { ChecksumRecords } from '../core/checksum-records';
import { snapshotFolder } from '../core/folder';
import { HashCache } from '../core/hash-cache';
import { isMd5B64 } from '../core/digest';
import { formatNumber } from '../core/l10n';
import { ArtifactsError, CancelledError, CorruptObjectError, NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool, type HashProgress, type TaskError, type WrittenStat } from '../core/hashing/pool';
import type { Manifest, ManifestEntry } from '../core/manifest';
import { SafeRoot } from '../core/safe-path';
import { isTrackingFile } from '../core/tracking';
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

/**
 * The manifest of a folder as it is now. Files known from a download's records or from the log's
 * hash cache are not read; what is read is recorded, so that asking again (status, a diff with the
 * folder) costs a stat a file.
 */
export async function folderManifest(ctx: TransferContext, hashCacheDir: string, folder: string, opts: { signal?: AbortSignal; onProgress?: (p: HashProgress & { totalFiles: number }) => void } = {}): Promise<Manifest> {
  const st = await fsp.stat(folder).catch(() => undefined);
  if (!st?.isDirectory()) throw new NotFoundError(l10n.t('No such folder: {0}', folder));
  const records = await ChecksumRecords.load(recordsDir(ctx), folder);
  const hashCache = await HashCache.load(hashCacheDir, folder);
  const manifest = await snapshotFolder(folder, { records, hashCache, remember: true, signal: opts.signal, onProgress: opts.onProgress });
  await records.save();
  return manifest;
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR and the like: nothing to keep there
  }
}

/** A file-system error while writing `what`, as one line a person can act on. */
function writeError(e: unknown, what: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'ENAMETOOLONG', 'EEXIST', 'ENOTEMPTY'].includes(code)) {
    return new ValidationError(l10n.t('Cannot write {0}: {1}', what, code));
  }
  return e as Error;
}

/**
 * One download, in phases so that the per-file work is batched: stat every destination (a file
 * settled by its record costs that stat only), hash the files that are there without a record (one
 * pool job), then write: the blobs of a local store as one pool job of verified copies, those of a
 * remote store fetched into the cache and copied as they arrive, references through their handlers.
 */
class Downloader {
  readonly result: DownloadResult;
  private readonly progress: TransferProgress;
  /** Writes in flight, so that a failure waits for them before it sweeps temp files. */
  readonly limit = pLimit(64);

  constructor(
    private readonly ctx: TransferContext,
    private readonly safe: SafeRoot,
    private readonly records: ChecksumRecords,
    private readonly opts: DownloadOptions,
    entries: ManifestEntry[],
    /** The version, for messages (`entity/project/name:v3`). */
    private readonly version: string | undefined,
  ) {
    this.result = { root: safe.root, written: [], unchanged: 0, skipped: [], bytesWritten: 0 };
    this.progress = { files: 0, totalFiles: entries.length, bytes: 0, totalBytes: entries.reduce((s, e) => s + (e.size ?? 0), 0) };
  }

  private done(e: ManifestEntry): void {
    this.progress.files += 1;
    this.progress.bytes += e.size ?? 0;
    this.opts.onProgress?.(this.progress);
  }

  private unchanged(e: ManifestEntry): void {
    this.result.unchanged += 1;
    this.done(e);
  }

  /** Records a file written (its progress is counted by the caller). */
  private record(e: ManifestEntry, st: WrittenStat | Stats): void {
    this.records.set(e.path, st, e.digest);
    this.result.written.push(e.path);
    this.result.bytesWritten += e.size ?? 0;
  }

  private wrote(e: ManifestEntry, st: WrittenStat | Stats): void {
    this.record(e, st);
    this.done(e);
  }

  /** Reports a pool job's progress on top of what was done before it started. */
  private jobProgress(): (p: HashProgress) => void {
    const base = { files: this.progress.files, bytes: this.progress.bytes };
    return (p) => {
      this.progress.files = base.files + p.files;
      this.progress.bytes = base.bytes + p.bytes;
      this.opts.onProgress?.(this.progress);
    };
  }

  async run(entries: ManifestEntry[]): Promise<void> {
    const unknown: { e: ManifestEntry; st: Stats }[] = [];
    const toWrite: ManifestEntry[] = [];
    for (const e of entries) {
      const st = lstatOrUndefined(this.safe.destination(e.path, { create: false }));
      if (st?.isDirectory()) throw new ValidationError(l10n.t('Cannot write {0}: a folder is in the way at {1} (checkout replaces it)', e.path, this.safe.pathOf(e.path)));
      const recorded = st?.isFile() ? this.records.digestIfUnchanged(e.path, st) : undefined;
      if (recorded === e.digest) this.unchanged(e);
      else if (st?.isFile() && recorded === undefined && this.worthHashing(e, st)) unknown.push({ e, st: st });
      else toWrite.push(e);
    }
    throwIfAborted(this.opts.signal);
    toWrite.push(...(await this.hashUnknown(unknown)));
    const blobs = toWrite.filter((e) => e.ref === undefined);
    const refs = toWrite.filter((e) => e.ref !== undefined);
    await Promise.all([this.ctx.store.local ? this.copyLocalBlobs(blobs) : this.copyRemoteBlobs(blobs), ...refs.map((e) => this.limit(() => this.fetchReference(e)))]);
  }

  /** A file there without a record is worth hashing when it could be the stored file (a blob of the right size). */
  private worthHashing(e: ManifestEntry, st: Stats): boolean {
    return e.ref === undefined && isMd5B64(e.digest) && (e.size === undefined || e.size === null || st.size === e.size);
  }

  /** Hashes the files that are there without a record; returns those that are not the version's. */
  private async hashUnknown(unknown: { e: ManifestEntry; st: Stats }[]): Promise<ManifestEntry[]> {
    if (unknown.length === 0) return [];
    let hashed;
    try {
      hashed = await hashPool().hashAll(
        unknown.map(({ e }) => ({ file: this.safe.pathOf(e.path) })),
        { signal: this.opts.signal },
      );
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      return unknown.map(({ e }) => e); // one could not be read (gone, unreadable): write them all
    }
    const rest: ManifestEntry[] = [];
    unknown.forEach(({ e, st }, i) => {
      if (hashed[i]!.digest !== e.digest) return rest.push(e);
      this.records.set(e.path, st, e.digest);
      this.unchanged(e);
    });
    return rest;
  }

  /**
   * Copies stored blobs out of a local store through a hash, as one pool job: a blob whose bytes do
   * not match is never written. The blob's atime (its last use, for cache cleanup) is the kernel's.
   */
  private async copyLocalBlobs(blobs: ManifestEntry[]): Promise<void> {
    const local = this.ctx.store.local!;
    const tasks = blobs.map((e) => ({ op: 'copy' as const, src: local.pathOf(blobKey(e.digest)), dest: this.destination(e), expect: e.digest, keepMtime: true }));
    let results;
    try {
      results = await hashPool().copyAll(tasks, { signal: this.opts.signal, onProgress: this.jobProgress() });
    } catch (err) {
      const e = blobs[(err as TaskError).index ?? 0];
      throw e ? this.copyError(err, e) : err;
    }
    blobs.forEach((e, i) => this.record(e, results[i]!.stat!)); // progress came from the job
  }

  /** Blobs of a remote store: each fetched into the cache, then copied out like a local one. */
  private async copyRemoteBlobs(blobs: ManifestEntry[]): Promise<void> {
    await Promise.all(
      blobs.map((e) =>
        this.limit(async () => {
          throwIfAborted(this.opts.signal);
          const src = await this.cachedBlob(e);
          const dest = this.destination(e);
          try {
            this.wrote(e, (await hashPool().copy({ op: 'copy', src, dest, expect: e.digest, keepMtime: true })).stat!);
          } catch (err) {
            throw this.copyError(err, e);
          }
        }),
      ),
    );
  }

  private destination(e: ManifestEntry): string {
    try {
      return this.safe.destination(e.path);
    } catch (err) {
      throw writeError(err, this.safe.pathOf(e.path));
    }
  }

  /** Where an entry is needed, for CorruptObjectError: `version path`, or the path alone. */
  private where(e: ManifestEntry): string {
    return this.version ? `${this.version} ${e.path}` : e.path;
  }

  /** A copy's failure as the entry's: a damaged or missing blob, or the destination's error. */
  private copyError(err: unknown, e: ManifestEntry): Error {
    const key = blobKey(e.digest);
    if (err instanceof CopyDigestError) return new CorruptObjectError(key, err.expected, err.actual, this.where(e));
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new NotFoundError(l10n.t('The contents of {0} ({1}) are missing from {2}', e.path, key, this.ctx.store.location));
    if (code === 'ENOTFILE' || code === 'EISDIR') return new CorruptObjectError(key, e.digest, l10n.t('a folder or other non-file in the store'), this.where(e));
    return writeError(err, this.safe.pathOf(e.path));
  }

  /** The blob in the cache (`<local root>/objects`), fetched from the store unless it is there already. */
  private async cachedBlob(e: ManifestEntry): Promise<string> {
    const key = blobKey(e.digest);
    const cached = path.join(this.ctx.localRoot, ...key.split('/'));
    const st = await fsp.stat(cached).catch(() => undefined);
    if (st?.isFile() && (e.size === undefined || e.size === null || st.size === e.size)) return cached;
    const tmp = path.join(this.ctx.localRoot, 'tmp', `fetch-${process.pid}-${Math.random().toString(36).slice(2)}`);
    await fsp.mkdir(path.dirname(tmp), { recursive: true });
    try {
      if (!(await this.ctx.store.getFile(key, tmp, { signal: this.opts.signal }))) {
        throw new NotFoundError(l10n.t('The contents of {0} ({1}) are missing from {2}', e.path, key, this.ctx.store.location));
      }
      await fsp.chmod(tmp, 0o444);
      await fsp.mkdir(path.dirname(cached), { recursive: true });
      await fsp.rename(tmp, cached); // verified when copied to the destination
    } finally {
      await fsp.rm(tmp, { force: true });
    }
    return cached;
  }

  /** `why`: a translated predicate of the reference (`no longer exists`). */
  private missingReference(e: ManifestEntry, why: string): void {
    if (!this.opts.allowMissingReferences) {
      throw new NotFoundError(l10n.t('Reference {0} ({1}) {2} (pass allowMissingReferences / --allow-missing-references to skip it)', e.path, e.ref!, why));
    }
    warn(l10n.t('Skipping the reference {0}: {1} {2}', e.path, e.ref!, why));
    this.result.skipped.push(e.path);
    this.done(e);
  }

  private async fetchReference(e: ManifestEntry): Promise<void> {
    throwIfAborted(this.opts.signal);
    const dest = this.destination(e);
    const ctx: FetchContext = {
      cachePath: (uri, digest) => path.join(this.ctx.localRoot, ...etagCacheKey(uri, digest).split('/')),
      skipCache: this.opts.skipCache ?? false,
      signal: this.opts.signal,
    };
    let outcome;
    try {
      outcome = await fetchReference(e, dest, ctx);
    } catch (err) {
      throw writeError(err, dest);
    }
    if (outcome.status === 'written') this.wrote(e, await fsp.stat(dest));
    else this.missingReference(e, outcome.why);
  }
}

/** The entries to write, refused as a whole before anything touches the disk if one cannot be. */
function selectEntries(manifest: Manifest, pathPrefix: string | undefined): ManifestEntry[] {
  const entries = [...manifest.entries()].filter((e) => !pathPrefix || e.path === pathPrefix || e.path.startsWith(`${pathPrefix.replace(/\/+$/, '')}/`));
  for (const e of entries) {
    SafeRoot.check(e.path);
    if (e.ref === undefined && !isMd5B64(e.digest)) throw new ValidationError(l10n.t('Entry {0} has a digest that is not a base64 MD5: {1}', JSON.stringify(e.path), JSON.stringify(e.digest).slice(0, 60)));
  }
  const paths = new Set(entries.map((e) => e.path));
  for (const e of entries) {
    for (let i = e.path.indexOf('/'); i > 0; i = e.path.indexOf('/', i + 1)) {
      if (paths.has(e.path.slice(0, i))) {
        throw new ValidationError(l10n.t('The manifest holds both {0} and {1}: a path cannot be a file and a folder at once', e.path.slice(0, i), e.path));
      }
    }
  }
  return entries;
}

/** `version`: the version's name, for messages. */
export async function downloadManifest(ctx: TransferContext, manifest: Manifest, root: string, opts: DownloadOptions = {}, version?: string): Promise<DownloadResult> {
  const entries = selectEntries(manifest, opts.pathPrefix);
  const safe = new SafeRoot(root);
  const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
  const downloader = new Downloader(ctx, safe, records, opts, entries, version);
  try {
    await sweepTemps(safe.root, false);
    await downloader.run(entries);
  } catch (e) {
    // Stop: nothing more starts, what runs finishes (or fails; a pool job settles only when its
    // threads are done), then the copies that were being written when it stopped are removed.
    downloader.limit.clearQueue();
    while (downloader.limit.activeCount > 0) await new Promise((r) => setTimeout(r, 10));
    for (const dir of new Set(entries.map((x) => path.dirname(safe.pathOf(x.path))))) await sweepTemps(dir, true);
    throw e;
  } finally {
    await records.save();
  }
  return downloader.result;
}

const TEMP_RE = /^\.artifacts-tmp-(\d+)-/;

/**
 * Removes `.artifacts-tmp-<pid>-…` files in `dir`: those of processes that are gone (a run killed
 * with SIGKILL cannot clean up after itself), and with `own`, this process's.
 */
async function sweepTemps(dir: string, own: boolean): Promise<void> {
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const pid = Number(TEMP_RE.exec(name)?.[1] ?? NaN);
    if (Number.isNaN(pid)) continue;
    if (pid === process.pid ? own : !processAlive(pid)) await fsp.rm(path.join(dir, name), { force: true });
  }
}

/**
 * What stands in the folder that the version does not have: files and symlinks not in the manifest
 * (a symlink is removed itself, never what it points to), sorted. The folder's tracking file is
 * never one of them (tracking.ts).
 */
async function foreignEntries(manifest: Manifest, root: string): Promise<string[]> {
  const { entries } = await scanTree(root);
  return entries.filter((p) => !manifest.has(p) && !isTrackingFile(p)).sort();
}

/**
 * Checkout as a plan: the files it will delete are listed first; `execute` deletes exactly those
 * (a file that appeared in between is kept and reported in `keptUnplanned`), removes folders that
 * stand where the version has a file, then downloads. It ends with the folder equal to the version
 * or with an error naming what it could not make equal.
 */
export async function planCheckout(ctx: TransferContext, manifest: Manifest, root: string, version?: string): Promise<CheckoutPlan> {
  selectEntries(manifest, undefined);
  const absRoot = new SafeRoot(root, { create: false }).root;
  const deletions = await foreignEntries(manifest, absRoot);
  return {
    root: absRoot,
    deletions,
    async execute(opts: DownloadOptions = {}): Promise<CheckoutResult> {
      const listed = new Set(deletions);
      const keptUnplanned = (await foreignEntries(manifest, absRoot)).filter((p) => !listed.has(p));
      if (keptUnplanned.length > 0) {
        const names = `${keptUnplanned.slice(0, 5).join(', ')}${keptUnplanned.length > 5 ? ', …' : ''}`;
        warn(
          keptUnplanned.length === 1
            ? l10n.t('1 file appeared in {0} after the checkout was planned and was kept: {1}', absRoot, names)
            : l10n.t('{0} files appeared in {1} after the checkout was planned and were kept: {2}', formatNumber(keptUnplanned.length), absRoot, names),
        );
      }
      const safe = new SafeRoot(absRoot);
      const records = await ChecksumRecords.load(recordsDir(ctx), safe.root);
      const deleted: string[] = [];
      try {
        for (const rel of deletions) {
          throwIfAborted(opts.signal);
          const file = safe.pathOf(rel);
          const st = lstatOrUndefined(file);
          if (st && !st.isDirectory()) {
            await fsp.unlink(file).catch((e) => {
              if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ArtifactsError(l10n.t('Cannot delete {0} in {1}: {2}', rel, absRoot, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
            });
          }
          records.delete(rel);
          deleted.push(rel);
        }
        // Folders where the version has a file: empty now, unless something appeared in them.
        const { folders } = await scanTree(absRoot);
        for (const f of folders.filter((d) => manifest.has(d)).sort((a, b) => b.length - a.length)) {
          const left = (await scanTree(safe.pathOf(f))).entries;
          if (left.length > 0) {
            const names = left.slice(0, 3).join(', ');
            throw new ValidationError(
              left.length === 1
                ? l10n.t('Cannot check out {0}: a folder stands there and still holds 1 file that was not in the plan ({1})', f, names)
                : l10n.t('Cannot check out {0}: a folder stands there and still holds {1} files that were not in the plan ({2})', f, formatNumber(left.length), names),
            );
          }
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
