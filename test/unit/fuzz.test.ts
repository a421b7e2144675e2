// Thousands of generated manifests and collection documents (wrong types, huge numbers, duplicate
// keys, traversal and over-long paths, NUL and control characters) fed to every reader and to
// download and checkout on a real folder: each is refused with a user error or handled, never a
// crash, never a write outside the destination.
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5B64 } from '../../src/core/digest';
import { isUserError } from '../../src/core/errors';
import { Manifest } from '../../src/core/manifest';
import { parseCollection } from '../../src/registry/collection-doc';
import { collectionKey } from '../../src/registry/layout';
import { Registry } from '../../src/registry/registry';
import { downloadManifest, planCheckout } from '../../src/registry/transfer';
import { LocalObjectStore } from '../../src/store/local-store';
import { tempDir, writeTree } from '../support/tmp';

/** A small seeded generator, so a failure can be replayed by its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, pick, int: (n: number) => Math.floor(next() * n) };
}

const PATHS = ['a.txt', 'dir/b.txt', 'dir', '..', '../x', 'a/../../x', '/etc/passwd', '//server/share', 'C:\\x', 'C:x', '\\x', 'a\\..\\b', '', '.', './a', 'a//b', 'a\u0000b',
  'x\u001b]0;t\u0007', 'ü/ñ.txt', 'x'.repeat(300), `${'d/'.repeat(300)}f`, `${'y'.repeat(200)}/${'z'.repeat(200)}`, 'trailing/', ' sp ace '];
const VALUES: unknown[] = [null, true, 0, -1, 1.5, 2 ** 60, Number.MAX_VALUE, '', 'str', [], {}, [1, 2], { digest: 1 }, '\u0000'];

function fuzzManifestText(r: ReturnType<typeof rng>): string {
  const kind = r.int(10);
  if (kind === 0) return r.pick(['', 'null', '[]', '{', '{"version":1}', '{"version":2,"contents":{}}', '"x"', '{"version":1,"contents":[]}']);
  const entries: string[] = [];
  for (let i = 0; i < 1 + r.int(5); i++) {
    const p = r.next() < 0.35 ? r.pick(PATHS) : `f${r.int(9)}.bin`;
    const entry: Record<string, unknown> = {};
    if (r.next() < 0.93) entry.digest = r.next() < 0.8 ? md5B64(String(r.int(5))) : r.pick(VALUES);
    if (r.next() < 0.6) entry.size = r.next() < 0.7 ? r.int(10) : r.pick(VALUES);
    if (r.next() < 0.2) entry.ref = r.pick(['file:///etc/passwd', 'http://[bad', 'weird://x', 'file://../x', 7]);
    if (r.next() < 0.1) entry.extra = r.pick(VALUES);
    entries.push(`${JSON.stringify(p)}:${JSON.stringify(entry)}`);
  }
  // Duplicate keys appear as they would in hand-edited JSON.
  if (r.next() < 0.2) entries.push(entries[0]!);
  return `{"version":1,"storagePolicy":${r.next() < 0.9 ? '"wandb-storage-policy-v1"' : '"other"'},"storagePolicyConfig":{},"contents":{${entries.join(',')}}}`;
}

function fuzzCollectionText(r: ReturnType<typeof rng>): string {
  if (r.int(8) === 0) return r.pick(['', 'null', '{', '[]', '{"format":1}', '{"format":99}', '\u0000']);
  const now = new Date().toISOString();
  const versions = Array.from({ length: r.int(4) }, (_, i) => {
    const v: Record<string, unknown> = { index: r.next() < 0.9 ? i : r.pick(VALUES), id: 'x', state: r.pick(['COMMITTED', 'DELETED', 'WEIRD', 5]), createdAt: now, updatedAt: now };
    if (r.next() < 0.8) v.digest = r.pick(['abc', 5, null]);
    if (r.next() < 0.8) v.manifest = r.pick(['manifests/nope.json', '../../etc/passwd', 7]);
    if (r.next() < 0.3) v.tags = r.pick([['a'], 'tags', [1], null]);
    if (r.next() < 0.3) v.metadata = r.pick(VALUES);
    if (r.next() < 0.2) v.source = r.pick([{ entity: 'a', project: 'b', collection: 'c', index: 0 }, 'src', { entity: '..' }]);
    if (r.next() < 0.2) v.ttl = r.pick(VALUES);
    return v;
  });
  const doc: Record<string, unknown> = {
    format: r.next() < 0.95 ? 1 : r.pick(VALUES),
    kind: r.pick(['sequence', 'sequence', 'portfolio', 'other', 3]),
    entity: 'alice',
    project: 'demo',
    name: r.pick(['c', 'c', '..', '', 5]),
    type: r.pick(['dataset', 7, null]),
    description: r.pick([null, 'd', 4]),
    createdAt: now,
    updatedAt: now,
    nextIndex: r.next() < 0.9 ? versions.length : r.pick(VALUES),
    versions: r.next() < 0.95 ? versions : r.pick(VALUES),
    aliases: r.next() < 0.9 ? { latest: r.next() < 0.8 ? versions.length - 1 : r.pick(VALUES), x: r.int(6) } : r.pick(VALUES),
  };
  return JSON.stringify(doc);
}

/** Runs `work`; a rejection must be a user error. */
async function handledOrRefused(work: () => Promise<unknown>, context: string): Promise<'ok' | 'refused'> {
  try {
    await work();
    return 'ok';
  } catch (e) {
    if (!isUserError(e)) throw new Error(`${context}: not a user error: ${(e as Error)?.stack ?? String(e)}`);
    return 'refused';
  }
}

describe('fuzzed manifests', () => {
  it('every reader refuses or handles 3,000 of them, and download/checkout never write outside the root', { timeout: 180_000 }, async () => {
    const parent = tempDir();
    const outside = path.join(parent, 'outside');
    await writeTree(outside, { 'sentinel.txt': 'untouched' });
    const store = new LocalObjectStore(path.join(parent, 'registry'));
    await writeTree(path.join(parent, 'src'), { 'x.txt': '0' });
    const ctx = { store, localRoot: store.local!.root };
    let parsed = 0;
    let written = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = rng(seed);
      const text = fuzzManifestText(r);
      let m: Manifest | undefined;
      if ((await handledOrRefused(async () => (m = Manifest.parse(text)), `seed ${seed} parse`)) === 'refused' || !m) continue;
      parsed += 1;
      m.digest; // the digest of anything parsed can be computed
      if (seed % 8 !== 0) continue;
      const root = path.join(parent, 'roots', String(seed), 'root');
      await handledOrRefused(() => downloadManifest(ctx, m!, root, {}), `seed ${seed} download`);
      await handledOrRefused(async () => (await planCheckout(ctx, m!, root)).execute(), `seed ${seed} checkout`);
      if (existsSync(root)) written += 1;
    }
    expect(parsed).toBeGreaterThan(600); // the generator reaches past the parser often enough
    expect(written).toBeGreaterThan(60);
    // Nothing outside the roots: the parent holds only what the test made.
    expect(readdirSync(parent).filter((n) => n !== 'registry').sort()).toEqual(['outside', 'roots', 'src']);
    expect(readdirSync(outside)).toEqual(['sentinel.txt']);
    expect(await fsp.readFile(path.join(outside, 'sentinel.txt'), 'utf8')).toBe('untouched');
    for (const seed of readdirSync(path.join(parent, 'roots'))) expect(readdirSync(path.join(parent, 'roots', seed)).filter((n) => n !== 'root')).toEqual([]);
  });
});

describe('fuzzed collection documents', () => {
  it('parse, listing, reading, gc and fsck refuse or handle 1,500 of them', async () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const r = rng(seed * 7919);
      const text = fuzzCollectionText(r);
      await handledOrRefused(async () => parseCollection(Buffer.from(text), 'k'), `seed ${seed} parse`);
    }
    const root = tempDir();
    const reg = new Registry({ root, entity: 'alice', project: 'demo' });
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'A' });
    const draft = reg.newArtifact('c', 'dataset');
    await draft.addDir(dir);
    await reg.log(draft);
    const key = collectionKey({ entity: 'alice', project: 'demo', collection: 'c' });
    for (let seed = 1; seed <= 150; seed++) {
      const text = fuzzCollectionText(rng(seed * 104729));
      const cur = (await reg.store.get(key))!;
      expect(await reg.store.compareAndSwap(key, cur.etag, text)).toBe(true);
      await handledOrRefused(() => reg.listCollections(), `seed ${seed} ls`);
      await handledOrRefused(() => reg.listVersions({ entity: 'alice', project: 'demo', collection: 'c' }), `seed ${seed} versions`);
      await handledOrRefused(() => reg.get('c'), `seed ${seed} get`);
      await handledOrRefused(() => reg.get('c:x'), `seed ${seed} get alias`);
      if (seed % 10 === 0) {
        await handledOrRefused(() => reg.gc({ graceMs: 0 }), `seed ${seed} gc`);
        await handledOrRefused(() => reg.fsck(), `seed ${seed} fsck`);
      }
    }
  }, 120_000);
});
