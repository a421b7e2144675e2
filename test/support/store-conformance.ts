/**
 * What every ObjectStore must do, as a suite any store can run: the local folder
 * (test/unit/local-store.test.ts), S3 on Ceph and Azure Blob on Azurite (test/store).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError, CorruptObjectError } from '../../src/core/errors';
import type { ObjectStore } from '../../src/store/object-store';

/** What a store does beyond the interface's minimum (the local folder may ignore these options). */
export interface ConformanceFeatures {
  /** putFile and getFile report every byte through onBytes. */
  reportsProgress?: boolean;
  /** putFile refuses a file whose bytes do not match the given md5. */
  checksMd5?: boolean;
  /** putFile and getFile stop on an aborted signal, storing or writing nothing. */
  cancels?: boolean;
}

const scratch: string[] = [];
function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'conf-'));
  scratch.push(dir);
  return dir;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');

export function objectStoreConformance(name: string, makeStore: () => Promise<ObjectStore> | ObjectStore, features: ConformanceFeatures = {}): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    afterAll(() => {
      for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

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

    it('compareAndSwap has exactly one winner among writers holding the same etag', async () => {
      const s = await makeStore();
      await s.put('cas-race', 'start');
      for (let round = 0; round < 5; round++) {
        const { etag } = (await s.get('cas-race'))!;
        const results = await Promise.all(Array.from({ length: 16 }, (_, i) => s.compareAndSwap('cas-race', etag, `r${round}w${i}`)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await s.get('cas-race'))?.body.toString()).toBe(`r${round}w${winner}`);
      }
    });

    it('get returns the etag compareAndSwap expects, and an etag changes with the content', async () => {
      const s = await makeStore();
      await s.put('doc', 'one');
      const a = (await s.get('doc'))!.etag;
      expect(a).toBeTruthy();
      expect(await s.compareAndSwap('doc', a, 'two')).toBe(true);
      const b = (await s.get('doc'))!.etag;
      expect(b).not.toBe(a);
      expect(await s.compareAndSwap('doc', a, 'three')).toBe(false);
      expect(await s.compareAndSwap('gone', a, 'x')).toBe(false); // nothing there to match
      expect(await s.get('gone')).toBeUndefined();
    });

    it('head and list agree on an object: size, time and version; a rewrite gets a new version', async () => {
      const s = await makeStore();
      await s.put('agree/a', 'first bytes');
      const listed = (await s.list('agree/')).objects[0]!;
      const headed = (await s.head('agree/a'))!;
      expect(listed).toEqual(headed);
      expect(headed.size).toBe(11);
      expect(Math.abs(headed.lastModified - Date.now())).toBeLessThan(60_000);
      if (headed.version === undefined) return;
      await new Promise((r) => setTimeout(r, 1100)); // past the second: every store can tell the times apart
      await s.put('agree/a', 'other bytes');
      const again = (await s.head('agree/a'))!;
      expect(again.version !== headed.version || again.lastModified !== headed.lastModified).toBe(true);
    });

    it('deleteIfUnchanged deletes only the object that was seen (when the store offers it)', async () => {
      const s = await makeStore();
      if (!s.deleteIfUnchanged) return;
      await s.put('dic/k', 'one');
      const seen = (await s.head('dic/k'))!;
      await new Promise((r) => setTimeout(r, 20));
      await s.put('dic/k', 'two');
      expect(await s.deleteIfUnchanged('dic/k', seen.version!)).toBe(false);
      expect((await s.get('dic/k'))?.body.toString()).toBe('two');
      const now = (await s.head('dic/k'))!;
      expect(await s.deleteIfUnchanged('dic/k', now.version!)).toBe(true);
      expect(await s.head('dic/k')).toBeUndefined();
      expect(await s.deleteIfUnchanged('dic/k', now.version!)).toBe(false);
    });

    it('getFile writes the object into a file, replacing one that is there, and leaves no temp file', async () => {
      const s = await makeStore();
      const bytes = randomBytes(300_000);
      await s.put('files/a.bin', bytes);
      const dir = scratchDir();
      const dest = path.join(dir, 'a.bin');
      writeFileSync(dest, 'old content');
      expect(await s.getFile('files/a.bin', dest)).toBe(true);
      expect(readFileSync(dest).equals(bytes)).toBe(true);
      expect(readdirSync(dir)).toEqual(['a.bin']);
      await s.put('files/empty', '');
      expect(await s.getFile('files/empty', path.join(dir, 'empty'))).toBe(true);
      expect(readFileSync(path.join(dir, 'empty')).length).toBe(0);
    });

    it('getFile of a missing object is false and writes nothing', async () => {
      const s = await makeStore();
      const dir = scratchDir();
      expect(await s.getFile('files/missing', path.join(dir, 'x'))).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('putFile with the right md5 stores the bytes; with move the source may go', async () => {
      const s = await makeStore();
      const dir = scratchDir();
      const bytes = randomBytes(200_000);
      const file = path.join(dir, 'f');
      writeFileSync(file, bytes);
      await s.putFile('blobs/md5', file, { md5: md5(bytes) });
      expect((await s.get('blobs/md5'))?.body.equals(bytes)).toBe(true);
      await s.putFile('blobs/moved', file, { move: true, md5: md5(bytes) });
      expect((await s.get('blobs/moved'))?.body.equals(bytes)).toBe(true);
      expect((await s.head('blobs/moved'))?.size).toBe(bytes.length);
    });

    if (features.checksMd5) {
      it('putFile refuses bytes that do not match the md5, storing nothing', async () => {
        const s = await makeStore();
        const file = path.join(scratchDir(), 'f');
        writeFileSync(file, randomBytes(50_000));
        await expect(s.putFile('blobs/bad', file, { md5: md5(Buffer.from('something else')) })).rejects.toBeInstanceOf(CorruptObjectError);
        expect(await s.head('blobs/bad')).toBeUndefined();
      });
    }

    if (features.reportsProgress) {
      it('putFile and getFile report every byte through onBytes', async () => {
        const s = await makeStore();
        const dir = scratchDir();
        const bytes = randomBytes(1_000_000);
        writeFileSync(path.join(dir, 'up'), bytes);
        let up = 0;
        await s.putFile('blobs/progress', path.join(dir, 'up'), { onBytes: (n) => (up += n) });
        expect(up).toBe(bytes.length);
        let down = 0;
        await s.getFile('blobs/progress', path.join(dir, 'down'), { onBytes: (n) => (down += n) });
        expect(down).toBe(bytes.length);
      });
    }

    if (features.cancels) {
      it('an aborted signal stops putFile and getFile: nothing stored, nothing written', async () => {
        const s = await makeStore();
        const dir = scratchDir();
        writeFileSync(path.join(dir, 'f'), randomBytes(10_000));
        const aborted = AbortSignal.abort();
        await expect(s.putFile('blobs/cancelled', path.join(dir, 'f'), { signal: aborted })).rejects.toBeInstanceOf(CancelledError);
        expect(await s.head('blobs/cancelled')).toBeUndefined();
        await s.put('blobs/there', 'x');
        await expect(s.getFile('blobs/there', path.join(dir, 'g'), { signal: aborted })).rejects.toBeInstanceOf(CancelledError);
        expect(existsSync(path.join(dir, 'g'))).toBe(false);
        expect(readdirSync(dir)).toEqual(['f']);
      });
    }

    it('getIfChanged moves no body while the object is unchanged, and gives the new one after a change (when offered)', async () => {
      const s = await makeStore();
      if (!s.getIfChanged) return;
      expect(await s.getIfChanged('doc', 'nothing-yet')).toBeUndefined();
      expect(await s.compareAndSwap('doc', null, 'one')).toBe(true);
      const first = (await s.get('doc'))!;
      expect(await s.getIfChanged('doc', first.etag)).toBe('unchanged');
      expect(await s.compareAndSwap('doc', first.etag, 'two')).toBe(true);
      const changed = await s.getIfChanged('doc', first.etag);
      expect(changed).not.toBe('unchanged');
      expect((changed as { body: Buffer }).body.toString()).toBe('two');
      // The etag it gives is the one compareAndSwap expects.
      expect(await s.compareAndSwap('doc', (changed as { etag: string }).etag, 'three')).toBe(true);
      await s.delete('doc');
      expect(await s.getIfChanged('doc', (changed as { etag: string }).etag)).toBeUndefined();
    });

    it('refuses keys that would escape', async () => {
      const s = await makeStore();
      for (const bad of ['../x', 'a/../../x', '/abs', 'a//b', 'a/./b', '']) await expect(s.put(bad, 'x'), bad).rejects.toThrow(/Invalid object key/);
    });
  });
}
