/**
 * The local cache: the content-addressed files under `<local root>/objects` (blobs in `md5/`,
 * reference downloads in `etag/`). For a local registry that folder is also its object store, so
 * cleanup follows gc's rules there: never a blob a live version needs, nothing younger than the
 * grace period (an in-flight log may be about to use it), nothing pinned, and deletions announced
 * first (pins.ts). Everything else goes least recently used first (a blob's atime is its last use:
 * downloads refresh it).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import type { ObjectStore } from '../store/object-store';
import { GC_GRACE_MS } from './gc';
import { deleteSafely, type Pins } from './pins';

export interface CacheInfo {
  location: string;
  files: number;
  bytes: number;
  /** Part of the above that references (objects/etag) take. */
  referenceFiles: number;
  referenceBytes: number;
  /** Part of the above that live versions of the local registry need (never cleaned up). */
  liveFiles: number;
  liveBytes: number;
}

export interface CleanupReport {
  removedFiles: number;
  freedBytes: number;
  remainingBytes: number;
  /** False when what must stay (live, younger than the grace period, or pinned) takes more than the limit. */
  reachedTarget: boolean;
}

interface CachedFile {
  key: string;
  file: string;
  size: number;
  atimeMs: number;
  mtimeMs: number;
  version: string;
}

/** The registry whose object store the cache folder is (a local registry), with its pins. */
export interface CacheOwner {
  store: ObjectStore;
  pins: Pins;
  /** The keys live versions need, read afresh. */
  live(): Promise<ReadonlySet<string>>;
}

async function listCached(localRoot: string): Promise<CachedFile[]> {
  const out: CachedFile[] = [];
  for (const kind of ['md5', 'etag']) {
    const base = path.join(localRoot, 'objects', kind);
    for (const a of await fsp.readdir(base).catch(() => [] as string[])) {
      for (const b of await fsp.readdir(path.join(base, a)).catch(() => [] as string[])) {
        const file = path.join(base, a, b);
        const st = await fsp.stat(file).catch(() => undefined);
        if (st?.isFile()) out.push({ key: `objects/${kind}/${a}/${b}`, file, size: st.size, atimeMs: st.atimeMs, mtimeMs: st.mtimeMs, version: `${st.ino}-${st.mtimeMs}-${st.size}` });
      }
    }
  }
  return out;
}

export async function cacheInfo(localRoot: string, live: Set<string>): Promise<CacheInfo> {
  const files = await listCached(localRoot);
  const info: CacheInfo = { location: path.join(localRoot, 'objects'), files: 0, bytes: 0, referenceFiles: 0, referenceBytes: 0, liveFiles: 0, liveBytes: 0 };
  for (const f of files) {
    info.files += 1;
    info.bytes += f.size;
    if (f.key.startsWith('objects/etag/')) {
      info.referenceFiles += 1;
      info.referenceBytes += f.size;
    }
    if (live.has(f.key)) {
      info.liveFiles += 1;
      info.liveBytes += f.size;
    }
  }
  return info;
}

export async function cacheCleanup(localRoot: string, live: Set<string>, maxBytes: number, { owner, graceMs = GC_GRACE_MS, at = Date.now() }: { owner?: CacheOwner; graceMs?: number; at?: number } = {}): Promise<CleanupReport> {
  const files = await listCached(localRoot);
  let total = files.reduce((s, f) => s + f.size, 0);
  const report: CleanupReport = { removedFiles: 0, freedBytes: 0, remainingBytes: total, reachedTarget: total <= maxBytes };
  const candidates = files.filter((f) => !live.has(f.key) && f.mtimeMs < at - graceMs).sort((a, b) => a.atimeMs - b.atimeMs);
  // The least recently used files whose sizes cover the excess.
  const chosen: CachedFile[] = [];
  let excess = total - maxBytes;
  for (const f of candidates) {
    if (excess <= 0) break;
    chosen.push(f);
    excess -= f.size;
  }
  const inStore = owner ? chosen.filter((f) => f.key.startsWith('objects/md5/')) : [];
  const plain = chosen.filter((f) => !inStore.includes(f));
  const gone: Array<{ size: number }> = [];
  if (owner && inStore.length) {
    gone.push(...(await deleteSafely(owner.store, owner.pins, inStore.map((f) => ({ key: f.key, size: f.size, version: f.version, lastModified: f.mtimeMs })), owner.live)));
  }
  for (const f of plain) {
    await fsp.rm(f.file, { force: true });
    gone.push(f);
  }
  for (const f of gone) {
    total -= f.size;
    report.removedFiles += 1;
    report.freedBytes += f.size;
  }
  report.remainingBytes = total;
  report.reachedTarget = total <= maxBytes;
  return report;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** `10GB`, `500MiB`, `1.5g`, `0` → bytes. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m && SIZE_UNITS[m[2]!.toLowerCase()];
  if (!m || unit === undefined || unit === null) throw new ValidationError(l10n.t("Invalid size '{0}': use a number with an optional unit, like 10GB, 500MiB or 0", text));
  return Math.floor(Number(m[1]) * unit!);
}
