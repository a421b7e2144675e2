/**
 * Garbage collection: expiring versions whose TTL passed, and removing manifests and blobs that no
 * live version needs. The live set is computed from a fresh, complete read of every collection
 * document; if any of them cannot be read, nothing is deleted (fail closed). The store is listed
 * once per run. What is unreachable is deleted only when it is older than the grace period and not
 * pinned, in announced batches (see pins.ts for why that is safe beside concurrent logs).
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { processAlive } from '../core/atomic-file';
import { isMd5B64 } from '../core/digest';
import { ConflictError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { Manifest } from '../core/manifest';
import { warn } from '../core/warnings';
import { listAll, type ObjectInfo, type ObjectStore } from '../store/object-store';
import { deleteVersion, type VersionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { blobKey } from './layout';
import { deleteSafely, type Pins } from './pins';
import { formatRef } from './refs';

/** Objects younger than this are never collected: an in-flight log may be about to reference them. */
export const GC_GRACE_MS = 60 * 60 * 1000;

export interface GcReport {
  expired: string[];
  deletedBlobs: number;
  freedBytes: number;
  deletedManifests: number;
  removedTemp: number;
  /** Collection documents that could not be read: while any exists, nothing is deleted. */
  unreadable: string[];
}

/** A collection document could not be read, so the live set is unknown and nothing may be deleted. */
export class UnreadableRoot extends ConflictError {
  constructor(readonly unreadable: string[]) {
    const list = unreadable.join('; ');
    super(
      unreadable.length === 1
        ? l10n.t('1 collection document could not be read, so nothing was deleted: {0}', list)
        : l10n.t('{0} collection documents could not be read, so nothing was deleted: {1}', formatNumber(unreadable.length), list),
    );
  }
}

/** Manifests of every committed source version; throws UnreadableRoot listing what it could not read. */
export async function liveManifestKeys(collections: CollectionStore): Promise<Set<string>> {
  const keys = new Set<string>();
  const unreadable: string[] = [];
  for await (const c of collections.walk()) {
    try {
      for (const v of (await collections.load(c))?.doc.versions ?? []) if (v.state === 'COMMITTED' && v.manifest) keys.add(v.manifest);
    } catch (e) {
      unreadable.push(`${c.entity}/${c.project}/${c.collection} (${(e as Error).message})`);
    }
  }
  if (unreadable.length > 0) throw new UnreadableRoot(unreadable);
  return keys;
}

/** Blob keys per manifest key: manifests never change, so each is read once per process. */
const blobsOfManifest = new Map<string, string[]>();

/** The stored blobs these manifests reference (a manifest that cannot be read makes the set unusable). */
export async function blobKeysOf(store: ObjectStore, manifestKeys: Iterable<string>): Promise<Set<string>> {
  const blobs = new Set<string>();
  for (const key of manifestKeys) {
    let keys = blobsOfManifest.get(`${store.location}\0${key}`);
    if (!keys) {
      const obj = await store.get(key);
      if (!obj) continue; // a young manifest that a log has not finished writing, or one already gone
      keys = [...Manifest.parse(obj.body).entries()].filter((e) => e.ref === undefined && isMd5B64(e.digest)).map((e) => blobKey(e.digest));
      blobsOfManifest.set(`${store.location}\0${key}`, keys);
    }
    for (const k of keys) blobs.add(k);
  }
  return blobs;
}

/** Every key live versions need right now: their manifests and the blobs those name. */
export async function liveKeys(store: ObjectStore, collections: CollectionStore): Promise<Set<string>> {
  const manifests = await liveManifestKeys(collections);
  const blobs = await blobKeysOf(store, manifests);
  for (const m of manifests) blobs.add(m);
  return blobs;
}

export async function collectGarbage(store: ObjectStore, collections: CollectionStore, pins: Pins, { at = Date.now(), graceMs = GC_GRACE_MS } = {}): Promise<GcReport> {
  const report: GcReport = { expired: [], deletedBlobs: 0, freedBytes: 0, deletedManifests: 0, removedTemp: 0, unreadable: [] };
  const isExpired = (v: VersionDoc) => v.state === 'COMMITTED' && typeof v.ttl === 'number' && Date.parse(v.createdAt) + v.ttl * 1000 <= at;
  for await (const c of collections.walk()) {
    const doc = await collections.load(c).then((l) => l?.doc, () => undefined);
    if (!doc?.versions.some(isExpired)) continue;
    await collections.mutate(c, (d) => {
      for (const v of d!.versions.filter(isExpired)) {
        deleteVersion(d!, v.index, true, new Date().toISOString());
        report.expired.push(formatRef({ ...c, index: v.index }));
      }
      return { doc: d!, result: null };
    });
  }
  const cutoff = at - graceMs;
  // One listing of each kind of object, taken before the live set is read: whatever a log adds
  // after this listing is not a candidate at all.
  const manifests: ObjectInfo[] = [];
  for await (const m of listAll(store, 'manifests/')) manifests.push(m);
  const blobs: ObjectInfo[] = [];
  for await (const b of listAll(store, 'objects/md5/')) blobs.push(b);
  let live: Set<string>;
  try {
    live = await liveManifestKeys(collections);
  } catch (e) {
    if (!(e instanceof UnreadableRoot)) throw e;
    report.unreadable = e.unreadable;
    warn(`gc: ${e.message}`);
    return report;
  }
  for (const m of manifests) if (m.lastModified >= cutoff) live.add(m.key); // possibly an in-flight log's
  const liveBlobs = await blobKeysOf(store, live);
  const doomedManifests = manifests.filter((m) => !live.has(m.key));
  const doomedBlobs = blobs.filter((b) => !liveBlobs.has(b.key) && b.lastModified < cutoff);
  // Each batch re-reads the live set after the pins (pins.ts says why). Blobs first: a manifest
  // goes only after the blobs it named.
  const fresh = () => liveKeys(store, collections);
  for (const b of await deleteSafely(store, pins, doomedBlobs, fresh)) {
    report.deletedBlobs += 1;
    report.freedBytes += b.size;
  }
  report.deletedManifests = (await deleteSafely(store, pins, doomedManifests, fresh)).length;
  await pins.sweep(at);
  if (store.local) report.removedTemp = await removeOldFiles(store.local.tmpDir, cutoff);
  return report;
}

/** Temp files (named `<kind>-<pid>-…` or `<pid>-…`) of processes that are gone, older than the cutoff. */
async function removeOldFiles(dir: string, cutoff: number): Promise<number> {
  let removed = 0;
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const pid = /^(?:[a-z]+-)?(\d+)-/.exec(name)?.[1];
    if (pid && processAlive(Number(pid)) && cutoff > Date.now() - 24 * 3600_000) continue;
    const file = `${dir}/${name}`;
    const st = await fsp.stat(file).catch(() => undefined);
    if (st && st.mtimeMs < cutoff) {
      await fsp.rm(file, { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}

/** Blobs a local registry's cache must keep: those of its live versions (none for a remote store, whose cache is another registry's). */
export async function liveBlobKeys(store: ObjectStore, collections: CollectionStore): Promise<Set<string>> {
  return store.local ? blobKeysOf(store, await liveManifestKeys(collections)) : new Set();
}
