/**
 * How deletion stays safe beside writers, on a folder and on a bucket alike, with no lock.
 *
 * A log **pins** what its version will need (`pins/<id>.json`: the manifest and blob keys, with a
 * lease it renews while it runs) before it writes or checks any of it, and removes the pin after
 * its commit point. gc and cache cleanup **announce** each batch of deletions first
 * (`gc/<id>.json`: the keys, with a deadline after which the announcer deletes nothing more), then
 * read the pins, then read the live set afresh (every committed version), and delete only keys
 * that are neither pinned nor live, each only if it is still the object they listed.
 *
 * Why that is enough: both sides write their record and then read the other's. Whichever writes
 * second sees the first one's record. If gc reads the pins after the log wrote its pin, gc either
 * sees the pin (the log has not committed yet) or, since the live set is read after the pins, the
 * committed version (the log committed and released its pin in between). Otherwise gc announced
 * before the log pinned, so the log sees the announcement: it waits until that batch is done (the
 * record is removed, or its deadline has passed) and only then checks those keys, storing again
 * whatever was deleted. Blobs a draft staged into a local
 * store before its log are protected by the grace period (gc never takes anything younger) and by
 * deleteIfUnchanged (a blob written again after gc listed it is put back, not deleted).
 */
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { CancelledError } from '../core/errors';
import { warn } from '../core/warnings';
import { listAll, type ObjectStore } from '../store/object-store';

/** How long a pin holds without renewal; a running log renews it every PIN_RENEW_MS. */
export const PIN_LEASE_MS = 60 * 60 * 1000;
const PIN_RENEW_MS = 10 * 60 * 1000;
/** How long an announced batch may take; the announcer stops deleting a minute before. */
export const INTENT_DEADLINE_MS = 5 * 60 * 1000;
export const INTENT_MARGIN_MS = 60 * 1000;

interface PinRecord {
  id: string;
  createdAt: number;
  expiresAt: number;
  keys: string[];
  /** A draft staging into a local store: every object written at or after this time is pinned. */
  since?: number;
}

/** What live pins hold: named keys, and everything written since the oldest staging pin. */
export interface Guards {
  keys: Set<string>;
  since: number | undefined;
}

interface IntentRecord {
  id: string;
  deadline: number;
  keys: string[];
}

export interface Pin {
  readonly createdAt: number;
  release(): Promise<void>;
}

export interface Intent {
  /** True while deleting is still allowed (before the deadline, with a margin). */
  inTime(): boolean;
  finish(): Promise<void>;
}

async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const obj = await store.get(key);
  if (!obj) return undefined;
  try {
    return JSON.parse(obj.body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

export class Pins {
  constructor(private readonly store: ObjectStore) {}

  /**
   * Pins every object written from now on (a draft staging copies straight into a local store):
   * gc and cleanup leave anything that new alone until it is released. The copies' own write times
   * carry the pin, so staging costs one record however many files it writes.
   */
  pinWritesSince(): Promise<Pin> {
    return this.pin([], Date.now() - 2000); // a margin for coarse file times
  }

  /** Pins `keys` until released (renewed while the process runs). */
  async pin(keys: Iterable<string>, since?: number): Promise<Pin> {
    const id = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const key = `pins/${id}.json`; // l10n-ignore: a store key
    const record: PinRecord = { id, createdAt: Date.now(), expiresAt: Date.now() + PIN_LEASE_MS, keys: [...new Set(keys)] };
    if (since !== undefined) record.since = since;
    await this.store.put(key, JSON.stringify(record));
    const timer = setInterval(() => {
      record.expiresAt = Date.now() + PIN_LEASE_MS;
      this.store.put(key, JSON.stringify(record)).catch((e) => warn(l10n.t('Could not renew the pin {0}: {1}', key, (e as Error).message)));
    }, PIN_RENEW_MS);
    timer.unref();
    return {
      createdAt: record.createdAt,
      release: async () => {
        clearInterval(timer);
        await this.store.delete(key);
      },
    };
  }

  /** What pins whose lease has not run out hold. */
  async guards(at = Date.now()): Promise<Guards> {
    const out: Guards = { keys: new Set(), since: undefined };
    for await (const o of listAll(this.store, 'pins/')) {
      const r = await readJson<PinRecord>(this.store, o.key);
      if (!r || r.expiresAt <= at) continue;
      for (const k of r.keys) out.keys.add(k);
      if (typeof r.since === 'number') out.since = Math.min(out.since ?? r.since, r.since);
    }
    return out;
  }

  /** Announces that `keys` are about to be deleted. */
  async announce(keys: readonly string[]): Promise<Intent> {
    const id = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const key = `gc/${id}.json`; // l10n-ignore: a store key
    const deadline = Date.now() + INTENT_DEADLINE_MS;
    await this.store.put(key, JSON.stringify({ id, deadline, keys: [...keys] } satisfies IntentRecord));
    return {
      inTime: () => Date.now() < deadline - INTENT_MARGIN_MS,
      finish: () => this.store.delete(key),
    };
  }

  /**
   * Waits until no announced batch that names one of `keys` can still delete anything, and returns
   * the keys that were named (they may be gone now: check them again).
   */
  async settle(keys: ReadonlySet<string>, { signal }: { signal?: AbortSignal } = {}): Promise<Set<string>> {
    const named = new Set<string>();
    const waitingOn = new Map<string, number>();
    for await (const o of listAll(this.store, 'gc/')) {
      const r = await readJson<IntentRecord>(this.store, o.key);
      if (!r || r.deadline + INTENT_MARGIN_MS < Date.now()) continue;
      const hits = r.keys.filter((k) => keys.has(k));
      if (hits.length === 0) continue;
      hits.forEach((k) => named.add(k));
      waitingOn.set(o.key, r.deadline + INTENT_MARGIN_MS);
    }
    for (const [key, until] of waitingOn) {
      while (Date.now() < until && (await this.store.head(key))) {
        if (signal?.aborted) throw new CancelledError();
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return named;
  }

  /** Removes pins whose lease ran out and announcements long past their deadline. */
  async sweep(at = Date.now()): Promise<void> {
    for await (const o of listAll(this.store, 'pins/')) {
      const r = await readJson<PinRecord>(this.store, o.key);
      if (r ? r.expiresAt < at : o.lastModified < at - PIN_LEASE_MS) await this.store.delete(o.key);
    }
    for await (const o of listAll(this.store, 'gc/')) {
      const r = await readJson<IntentRecord>(this.store, o.key);
      if (r ? r.deadline + INTENT_MARGIN_MS < at : o.lastModified < at - INTENT_DEADLINE_MS * 2) await this.store.delete(o.key);
    }
  }
}

export interface DeletionCandidate {
  key: string;
  size: number;
  /** From the listing: the object to delete only if it is still this one. */
  version?: string;
  lastModified: number;
}

/**
 * Deletes candidates in announced batches (see the top of this file): never a pinned or live key,
 * never an object written again since it was listed, nothing after a batch's deadline. Returns what
 * went.
 */
export async function deleteSafely(
  store: ObjectStore,
  pins: Pins,
  candidates: readonly DeletionCandidate[],
  /** The keys live versions need, read afresh (called after the pins are read). */
  live: () => Promise<ReadonlySet<string>>,
  batchSize = 5000,
): Promise<DeletionCandidate[]> {
  const deleted: DeletionCandidate[] = [];
  for (let i = 0; i < candidates.length; i += batchSize) {
    const batch = candidates.slice(i, i + batchSize);
    const intent = await pins.announce(batch.map((c) => c.key));
    try {
      const guards = await pins.guards();
      const needed = await live();
      for (const c of batch) {
        if (guards.keys.has(c.key) || needed.has(c.key)) continue;
        if (guards.since !== undefined && c.lastModified >= guards.since) continue;
        if (!intent.inTime()) return deleted; // too slow: what is left waits for the next run
        if (await deleteIfUnchanged(store, c)) deleted.push(c);
      }
    } finally {
      await intent.finish();
    }
  }
  return deleted;
}

async function deleteIfUnchanged(store: ObjectStore, c: DeletionCandidate): Promise<boolean> {
  if (c.version !== undefined && store.deleteIfUnchanged) return store.deleteIfUnchanged(c.key, c.version);
  const now = await store.head(c.key);
  if (!now || now.lastModified !== c.lastModified || (c.version !== undefined && now.version !== c.version)) return false;
  await store.delete(c.key);
  return true;
}
