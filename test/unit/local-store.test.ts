import { existsSync, promises as fsp, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { KEEP_STATES, LocalObjectStore, PRUNE_AGE_MS } from '../../src/store/local-store';
import { objectStoreConformance } from '../support/store-conformance';
import { tempDir } from '../support/tmp';

objectStoreConformance('local folder', () => new LocalObjectStore(tempDir()));

describe('LocalObjectStore specifics', () => {
  it('leaves no partial object behind: writes go through tmp/ and are renamed', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    await s.put('a/b', 'data');
    expect(await fsp.readdir(path.join(root, 'tmp'))).toEqual([]);
    expect((await s.list('')).objects.map((o) => o.key)).toEqual(['a/b']);
  });

  it('putFile with move consumes the source; blobs are read-only', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    const src = path.join(tempDir(), 'f');
    await fsp.writeFile(src, 'abc');
    await s.putFile('objects/x', src, { move: true });
    await expect(fsp.stat(src)).rejects.toThrow();
    const copy = path.join(tempDir(), 'g');
    await fsp.writeFile(copy, 'abc');
    await s.putFile('objects/y', copy);
    expect((await fsp.stat(path.join(root, 'objects/y'))).mode & 0o222).toBe(0);
    expect(await fsp.readFile(copy, 'utf8')).toBe('abc');
  });

  it('a writer that read an old state can never overwrite a newer one, however long it was paused', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    expect(await s.compareAndSwap('doc', null, 'v1')).toBe(true);
    const stale = (await s.get('doc'))!.etag;
    // Another process moves on twice while the first one sleeps.
    expect(await s.compareAndSwap('doc', (await s.get('doc'))!.etag, 'v2')).toBe(true);
    expect(await s.compareAndSwap('doc', (await s.get('doc'))!.etag, 'v3')).toBe(true);
    expect(await s.compareAndSwap('doc', stale, 'from the sleeper')).toBe(false);
    expect((await s.get('doc'))!.body.toString()).toBe('v3');
    // A read older than half the prune age is refused outright (the caller reads again).
    const current = (await s.get('doc'))!.etag;
    const old = current.replace(/@\d+$/, `@${Date.now() - PRUNE_AGE_MS}`);
    expect(await s.compareAndSwap('doc', old, 'late')).toBe(false);
    expect((await s.get('doc'))!.body.toString()).toBe('v3');
  });

  it('keeps states as immutable files and prunes old ones, oldest first', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    await s.put('doc', 'plain');
    for (let i = 0; i < KEEP_STATES + 4; i++) expect(await s.compareAndSwap('doc', (await s.get('doc'))!.etag, `v${i}`)).toBe(true);
    const dir = path.join(root, 'doc.states');
    // Nothing is pruned while young.
    expect((await fsp.readdir(dir)).length).toBe(KEEP_STATES + 4);
    const past = Date.now() / 1000 - PRUNE_AGE_MS / 1000 - 60;
    for (const f of await fsp.readdir(dir)) utimesSync(path.join(dir, f), past, past);
    expect(await s.compareAndSwap('doc', (await s.get('doc'))!.etag, 'last')).toBe(true);
    expect((await fsp.readdir(dir)).length).toBe(KEEP_STATES);
    expect((await s.get('doc'))!.body.toString()).toBe('last');
    expect((await s.list('')).objects.map((o) => o.key)).toEqual(['doc']);
    expect(existsSync(path.join(root, 'doc'))).toBe(false); // the shadowed plain file went too
  });

  it('deleteIfUnchanged deletes only the object that was listed, never one written again since', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    await s.put('objects/x', 'old');
    const listed = (await s.list('objects/')).objects[0]!;
    // Written again (a new file renamed over it) after the listing.
    await s.put('objects/x', 'new');
    expect(await s.deleteIfUnchanged('objects/x', listed.version!)).toBe(false);
    expect((await s.get('objects/x'))!.body.toString()).toBe('new');
    const fresh = (await s.head('objects/x'))!;
    expect(await s.deleteIfUnchanged('objects/x', fresh.version!)).toBe(true);
    expect(await s.head('objects/x')).toBeUndefined();
    expect(await s.deleteIfUnchanged('objects/x', fresh.version!)).toBe(false);
  });

  it('pages through a large folder reading each directory once', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    const keys: string[] = [];
    for (let a = 0; a < 20; a++) for (let b = 0; b < 50; b++) keys.push(`objects/md5/${a.toString(16).padStart(2, '0')}/${String(b).padStart(30, '0')}`);
    await Promise.all(keys.map((k) => s.put(k, 'x')));
    const spy = vi.spyOn(fsp, 'readdir');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.list('objects/md5/', { cursor, limit: 100 });
      seen.push(...page.objects.map((o) => o.key));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual([...keys].sort());
    // 10 pages over 20 folders: each folder is read about once, not once per page.
    expect(spy.mock.calls.length).toBeLessThan(20 + 10 * 4);
    spy.mockRestore();
  });
});
