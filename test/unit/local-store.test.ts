import { promises as fsp, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../src/store/local-store';
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

  it('takes over a lock left by a killed process', async () => {
    const root = tempDir();
    const s = new LocalObjectStore(root);
    await s.put('p', 'v1');
    const etag = (await s.get('p'))!.etag;
    // Simulate a dead holder: every lock dir present, last refreshed a minute ago.
    const { createHash } = await import('node:crypto');
    const lock = path.join(root, 'locks', `${createHash('sha1').update('p').digest('hex')}.lock`);
    await fsp.mkdir(lock, { recursive: true });
    const old = Date.now() / 1000 - 60;
    utimesSync(lock, old, old);
    expect(await s.compareAndSwap('p', etag, 'v2')).toBe(true);
  });
});
