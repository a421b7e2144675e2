/**
 * Garbage collection and the live set: expiring versions whose TTL passed, and removing manifests
 * and blobs that no committed version needs. Works through the registry's own document operations
 * (a GcHost), so it follows the same compare-and-swap discipline as every other change.
 */
import { promises as fsp } from 'node:fs';
import { isMd5B64 } from '../core/digest';
import { Manifest } from '../core/manifest';
import { listAll, type ObjectStore } from '../store/object-store';
import { deleteVersion, type CollectionDoc, type VersionDoc } from './collection-doc';
import { blobKey } from './layout';
import { formatRef, type CollectionPath } from './refs';

/** Objects younger than this are never collected: an in-flight log may be about to reference them. */
export const GC_GRACE_MS = 60 * 60 * 1000;

export interface GcReport {
  expired: string[];
  deletedBlobs: number;
  freedBytes: number;
  deletedManifests: number;
  removedTemp: number;
}

/** What gc needs from the registry. */
export interface GcHost {
  store: ObjectStore;
  /** The store's temp folder when it is a local folder. */
  tmpDir?: string;
  allCollections(): Promise<CollectionPath[]>;
  load(c: CollectionPath): Promise<CollectionDoc | undefined>;
  mutate<T>(c: CollectionPath, change: (doc: CollectionDoc | undefined) => { doc: CollectionDoc; result: T }): Promise<T>;
}

/** Manifests of every committed source version. */
export async function liveManifestKeys(host: GcHost): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const c of await host.allCollections()) {
    for (const v of (await host.load(c))?.versions ?? []) if (v.state === 'COMMITTED' && v.manifest) keys.add(v.manifest);
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
export async function collectGarbage(host: GcHost, { at = Date.now(), graceMs = GC_GRACE_MS } = {}): Promise<GcReport> {
  const report: GcReport = { expired: [], deletedBlobs: 0, freedBytes: 0, deletedManifests: 0, removedTemp: 0 };
  const isExpired = (v: VersionDoc) => v.state === 'COMMITTED' && typeof v.ttl === 'number' && Date.parse(v.createdAt) + v.ttl * 1000 <= at;
  for (const c of await host.allCollections()) {
    const doc = await host.load(c);
    if (!doc?.versions.some(isExpired)) continue;
    await host.mutate(c, (d) => {
      for (const v of d!.versions.filter(isExpired)) {
        deleteVersion(d!, v.index, true, new Date().toISOString());
        report.expired.push(formatRef({ ...c, index: v.index }));
      }
      return { doc: d!, result: null };
    });
  }
  const recentCutoff = at - graceMs;
  const live = await liveManifestKeys(host);
  for await (const m of listAll(host.store, 'manifests/')) {
    if (live.has(m.key)) continue;
    if (m.lastModified < recentCutoff) {
      await host.store.delete(m.key);
      report.deletedManifests += 1;
    } else {
      live.add(m.key); // possibly an in-flight log's
    }
  }
  const liveBlobs = await blobKeysOf(host.store, live);
  for await (const b of listAll(host.store, 'objects/md5/')) {
    if (!liveBlobs.has(b.key) && b.lastModified < recentCutoff) {
      await host.store.delete(b.key);
      report.deletedBlobs += 1;
      report.freedBytes += b.size;
    }
  }
  if (host.tmpDir) report.removedTemp = await removeOldFiles(host.tmpDir, recentCutoff);
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
