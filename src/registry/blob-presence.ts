/**
 * Which of a set of blob keys a store already holds, in few requests. A folder answers a stat per
 * key (synchronous: a stat is cheaper than a promise). A bucket is asked with one listing of `objects/md5/` (1,000 keys a request) when that is
 * cheaper than a HEAD per key; a listing that grows far past the keys asked about stops early and
 * the rest are asked one by one. Either way the answer is taken after the caller's pin is written
 * (pins.ts), so a key found here stays until the caller's commit.
 */
import { statSync } from 'node:fs';
import pLimit from 'p-limit';
import { throwIfAborted } from '../core/errors';
import type { ObjectStore } from '../store/object-store';

/** Below this many keys, HEAD requests (in parallel) beat a listing. */
const HEAD_BELOW = 64;
const HEAD_CONCURRENCY = 16;
/** A listing may read this many keys per key asked about before it gives way to HEADs. */
const LIST_PER_KEY = 20;
const LIST_MIN_BUDGET = 20_000;

async function headEach(store: ObjectStore, keys: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
  const present = new Set<string>();
  const limit = pLimit(HEAD_CONCURRENCY);
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        throwIfAborted(signal);
        if (await store.head(key)) present.add(key);
      }),
    ),
  );
  return present;
}

/** A folder: one synchronous stat per key, in chunks that yield (a blob is a plain file, never a document's states). */
async function statEach(local: NonNullable<ObjectStore['local']>, keys: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
  const present = new Set<string>();
  for (let i = 0; i < keys.length; i += 2000) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    throwIfAborted(signal);
    for (const key of keys.slice(i, i + 2000)) if (statSync(local.pathOf(key), { throwIfNoEntry: false })?.isFile()) present.add(key);
  }
  return present;
}

export async function presentBlobs(store: ObjectStore, keys: Iterable<string>, { signal }: { signal?: AbortSignal } = {}): Promise<Set<string>> {
  if (store.local) return statEach(store.local, [...keys], signal);
  const wanted = [...new Set(keys)].sort();
  if (wanted.length < HEAD_BELOW) return headEach(store, wanted, signal);
  const asked = new Set(wanted);
  const present = new Set<string>();
  const last = wanted[wanted.length - 1]!;
  const budget = Math.max(LIST_MIN_BUDGET, wanted.length * LIST_PER_KEY);
  let listed = 0;
  let lastListed = '';
  let cursor: string | undefined;
  do {
    throwIfAborted(signal);
    const page = await store.list('objects/md5/', { cursor, limit: 1000 });
    for (const o of page.objects) {
      if (asked.has(o.key)) present.add(o.key);
      lastListed = o.key;
    }
    listed += page.objects.length;
    cursor = page.cursor;
  } while (cursor && lastListed < last && listed < budget);
  // Keys after where the listing stopped (it ran over its budget) are asked one by one.
  const unknown = cursor ? wanted.filter((k) => k > lastListed) : [];
  for (const k of await headEach(store, unknown, signal)) present.add(k);
  return present;
}
