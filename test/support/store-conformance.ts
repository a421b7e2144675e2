/**
 * What every ObjectStore must do, as a suite any store can run (the local folder now; S3 and Azure
 * Blob when a team registry lands).
 */
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/store/object-store';

export function objectStoreConformance(name: string, makeStore: () => Promise<ObjectStore> | ObjectStore): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    it('put / get / head / delete', async () => {
      const s = await makeStore();
      expect(await s.get('a/b.json')).toBeUndefined();
      expect(await s.head('a/b.json')).toBeUndefined();
      await s.put('a/b.json', '{"x":1}');
      const got = await s.get('a/b.json');
      expect(got?.body.toString()).toBe('{"x":1}');
      expect((await s.head('a/b.json'))?.size).toBe(7);
      await s.put('a/b.json', '{"x":1}'); // idempotent
      await s.delete('a/b.json');
      expect(await s.get('a/b.json')).toBeUndefined();
      await s.delete('a/b.json'); // deleting nothing is fine
    });

    it('putIfAbsent creates once', async () => {
      const s = await makeStore();
      expect(await s.putIfAbsent('k', 'one')).toBe(true);
      expect(await s.putIfAbsent('k', 'two')).toBe(false);
      expect((await s.get('k'))?.body.toString()).toBe('one');
    });

    it('putIfAbsent has exactly one winner under a race', async () => {
      const s = await makeStore();
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => s.putIfAbsent(`race/${round}`, `w${i}`)));
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    });

    it('compareAndSwap replaces only the expected version', async () => {
      const s = await makeStore();
      expect(await s.compareAndSwap('p', null, 'v1')).toBe(true);
      expect(await s.compareAndSwap('p', null, 'again')).toBe(false);
      const v1 = await s.get('p');
      expect(await s.compareAndSwap('p', v1!.etag, 'v2')).toBe(true);
      expect(await s.compareAndSwap('p', v1!.etag, 'v3')).toBe(false);
      expect((await s.get('p'))?.body.toString()).toBe('v2');
    });

    it('compareAndSwap: concurrent increments lose nothing', async () => {
      const s = await makeStore();
      await s.put('counter', '0');
      const increment = async () => {
        for (;;) {
          const cur = (await s.get('counter'))!;
          if (await s.compareAndSwap('counter', cur.etag, String(Number(cur.body.toString()) + 1))) return;
        }
      };
      await Promise.all(Array.from({ length: 20 }, increment));
      expect((await s.get('counter'))?.body.toString()).toBe('20');
    });

    it('lists by prefix, pages with a cursor, and groups by delimiter', async () => {
      const s = await makeStore();
      const keys = Array.from({ length: 25 }, (_, i) => `list/items/${String(i).padStart(3, '0')}`);
      await Promise.all(keys.map((k) => s.put(k, 'x')));
      await s.put('list/other/a', 'x');
      await s.put('listing-not-a-match', 'x');
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await s.list('list/items/', { cursor, limit: 10 });
        expect(page.objects.length).toBeLessThanOrEqual(10);
        seen.push(...page.objects.map((o) => o.key));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual(keys);
      const top = await s.list('list/', { delimiter: '/' });
      expect(top.prefixes).toEqual(['list/items/', 'list/other/']);
      expect(top.objects).toEqual([]);
    });

    it('putFile stores a file and getStream reads it back', async () => {
      const s = await makeStore();
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const file = `${mkdtempSync(`${tmpdir()}/conf-`)}/blob`;
      writeFileSync(file, Buffer.alloc(100_000, 7));
      await s.putFile('blobs/x', file);
      const stream = await s.getStream('blobs/x');
      const chunks: Buffer[] = [];
      for await (const c of stream!) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(Buffer.alloc(100_000, 7))).toBe(true);
      expect(await s.getStream('blobs/missing')).toBeUndefined();
    });

    it('refuses keys that would escape', async () => {
      const s = await makeStore();
      for (const bad of ['../x', 'a/../../x', '/abs', 'a//b', 'a/./b', '']) await expect(s.put(bad, 'x'), bad).rejects.toThrow(/Invalid object key/);
    });
  });
}
