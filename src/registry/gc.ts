/**
 * Garbage collection and the live set: expiring versions whose TTL passed, and removing manifests
 * and blobs that no committed version needs. Works through the CollectionStore, so it follows the
 * same compare-and-swap discipline as every other change.
 */
import { promises as fsp } from 'node:fs';
import { isMd5B64 } from '../core/digest';
import { Manifest } from '../core/manifest';
import { listAll, type ObjectStore } from '../store/object-store';
import { deleteVersion, type VersionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { blobKey } from './layout';
import { formatRef } from './refs';

/** Objects younger than this are never collected: an in-flight log may be about to reference them. */
export const GC_GRACE_MS = 60 * 60 * 1000;

export interface GcReport {
  expired: string[];
  deletedBlobs: number;
  freedBytes: number;
  deletedManifests: number;
  removedTemp: number;
}

/** Manifests of every committed source version. */
export async function liveManifestKeys(collections: CollectionStore): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const c of collections.walk()) {
    for (const v of (await collections.load(c))?.doc.versions ?? []) if (v.state === 'COMMITTED' && v.manifest) keys.add(v.manifest);
  }
  return keys;
}

/** The stored blobs these manifests reference. */
export async function blobKeysOf(store: ObjectStore, manifestKeys: Iterable<string>): Promise<Set<string>> {
  const blobs = new Set<string>();
  for (const key of manifestKeys) {
    const obj = await store.get(key);
    if (!obj) continue;
    for (const e of Manifest.parse(obj.body).entries()) if (e.ref === undefined && isMd5B64(e.digest)) blobs.add(blobKey(e.digest));
  }
  return blobs;
}

/**
 * Expires versions whose TTL has passed, then removes manifests and blobs that no live version
 * needs (older than a grace period, so in-flight logs are safe) and stale temp files.
 */
export async function collectGarbage(store: ObjectStore, collections: CollectionStore, { at = Date.now(), graceMs = GC_GRACE_MS } = {}): Promise<GcReport> {
  const report: GcReport = { expired: [], deletedBlobs: 0, freedBytes: 0, deletedManifests: 0, removedTemp: 0 };
  const isExpired = (v: VersionDoc) => v.state === 'COMMITTED' && typeof v.ttl === 'number' && Date.parse(v.createdAt) + v.ttl * 1000 <= at;
  for await (const c of collections.walk()) {
    const doc = (await collections.load(c))?.doc;
    if (!doc?.versions.some(isExpired)) continue;
    await collections.mutate(c, (d) => {
      for (const v of d!.versions.filter(isExpired)) {
        deleteVersion(d!, v.index, true, new Date().toISOString());
        report.expired.push(formatRef({ ...c, index: v.index }));
      }
      return { doc: d!, result: null };
    });
  }
  const recentCutoff = at - graceMs;
  const live = await liveManifestKeys(collections);
  for await (const m of listAll(store, 'manifests/')) {
    if (live.has(m.key)) continue;
    if (m.lastModified < recentCutoff) {
      await store.delete(m.key);
      report.deletedManifests += 1;
    } else {
      live.add(m.key); // possibly an in-flight log's
    }
  }
  const liveBlobs = await blobKeysOf(store, live);
  for await (const b of listAll(store, 'objects/md5/')) {
    if (!liveBlobs.has(b.key) && b.lastModified < recentCutoff) {
      await store.delete(b.key);
      report.deletedBlobs += 1;
      report.freedBytes += b.size;
    }
  }
  if (store.local) report.removedTemp = await removeOldFiles(store.local.tmpDir, recentCutoff);
  return report;
}

async function removeOldFiles(dir: string, cutoff: number): Promise<number> {
  let removed = 0;
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const file = `${dir}/${name}`;
    const st = await fsp.stat(file).catch(() => undefined);
    if (st && st.mtimeMs < cutoff) {
      await fsp.rm(file, { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}
