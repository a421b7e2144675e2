// The persistent hash cache and the staging pin, on real folders.
import { promises as fsp, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hashPool } from '../../src/core/hashing/pool';
import { Registry } from '../../src/registry/registry';
import { tempDir, writeTree } from '../support/tmp';

function registry(root = tempDir()) {
  return new Registry({ root, entity: 'a', project: 'p' });
}

/** Files older than the racy window (2 s), as a dataset usually is. */
async function oldTree(files: Record<string, string>): Promise<string> {
  const dir = tempDir();
  await writeTree(dir, files);
  const past = Date.now() / 1000 - 60;
  for (const rel of Object.keys(files)) utimesSync(path.join(dir, rel), past, past);
  return dir;
}

/** How many files each call the spy saw handed to the hashing threads (cache hits are only stat'ed). */
async function filesRead(spy: { mock: { calls: Array<[readonly unknown[], ...unknown[]]> } }): Promise<number[]> {
  return spy.mock.calls.map((c) => c[0].length);
}

async function logDir(reg: Registry, dir: string) {
  const d = reg.newArtifact('ds', 'dataset');
  await d.addDir(dir);
  return reg.log(d);
}

describe('persistent hash cache', () => {
  it('logging an unchanged folder again reads no file; a changed one is read, even with its mtime set back', async () => {
    const reg = registry();
    const dir = await oldTree(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`sub${i % 3}/f${i}.txt`, `content ${i}`])));
    await logDir(reg, dir);
    const spy = vi.spyOn(hashPool(), 'hashAll');
    const again = await logDir(reg, dir);
    expect(again.deduplicated).toBe(true);
    expect(await filesRead(spy)).toEqual([0]); // every file known by its stat: none read
    // Same size, mtime set back: ctime moved, so it is read again.
    const f = path.join(dir, 'sub0/f0.txt');
    const st = await fsp.stat(f);
    writeFileSync(f, 'CONTENT 0');
    utimesSync(f, st.atime, st.mtime);
    const changed = await logDir(reg, dir);
    expect(changed.deduplicated).toBe(false);
    expect(await filesRead(spy)).toEqual([0, 1]);
    expect(spy.mock.calls.at(-1)![0].map((t) => path.relative(dir, t.file))).toEqual([path.join('sub0', 'f0.txt')]);
    expect(changed.artifact.manifest.get('sub0/f0.txt')!.digest).not.toBe((await reg.get('ds:v0')).manifest.get('sub0/f0.txt')!.digest);
    spy.mockRestore();
    const out = tempDir();
    await changed.artifact.download(out);
    expect(await fsp.readFile(path.join(out, 'sub0/f0.txt'), 'utf8')).toBe('CONTENT 0');
  });

  it("does not trust a row recorded within the filesystem's timestamp granularity of the file's mtime (git's racy rule)", async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'fresh.txt': 'just written' }); // mtime: now
    await logDir(reg, dir);
    const spy = vi.spyOn(hashPool(), 'hashAll');
    await logDir(reg, dir);
    expect(await filesRead(spy)).toEqual([1]); // racy: read again
    spy.mockRestore();
  });

  it('a replaced file (new inode, same size and mtime) is read again; a damaged cache file only costs time', async () => {
    const reg = registry();
    const dir = await oldTree({ 'a.txt': 'aaaa', 'b.txt': 'bbbb' });
    await logDir(reg, dir);
    const a = path.join(dir, 'a.txt');
    const st = await fsp.stat(a);
    await fsp.rm(a);
    writeFileSync(a, 'AAAA');
    utimesSync(a, st.atime, st.mtime);
    const r = await logDir(reg, dir);
    expect(r.artifact.manifest.get('a.txt')!.size).toBe(4);
    expect(r.deduplicated).toBe(false);
    for (const f of await fsp.readdir(path.join(reg.localRoot, 'hashcache'))) await fsp.writeFile(path.join(reg.localRoot, 'hashcache', f), '{not json');
    const spy = vi.spyOn(hashPool(), 'hashAll');
    expect((await logDir(reg, dir)).deduplicated).toBe(true);
    expect(await filesRead(spy)).toEqual([2]);
    spy.mockRestore();
  });

  it('a cache hit whose blob gc removed is stored again from the file, checked by its hash', async () => {
    const reg = registry();
    const dir = await oldTree({ 'a.txt': 'kept in the cache' });
    const v0 = (await logDir(reg, dir)).artifact;
    await v0.delete({ deleteAliases: true });
    await reg.gc({ graceMs: 0 });
    const v1 = (await logDir(reg, dir)).artifact;
    const out = tempDir();
    await v1.download(out);
    expect(await fsp.readFile(path.join(out, 'a.txt'), 'utf8')).toBe('kept in the cache');
  });
});

describe('the staging pin', () => {
  it('gc leaves copies a draft staged into the store until the draft is logged or discarded', async () => {
    const reg = registry();
    const dir = await oldTree({ 'a.txt': 'staged, not yet logged', 'b.txt': 'another' });
    const draft = reg.newArtifact('ds', 'dataset');
    await draft.addDir(dir);
    expect((await reg.gc({ graceMs: 0 })).deletedBlobs).toBe(0);
    await draft.discard();
    expect((await reg.gc({ graceMs: 0 })).deletedBlobs).toBe(2);
    const logged = reg.newArtifact('ds', 'dataset');
    await logged.addDir(dir);
    expect((await reg.gc({ graceMs: 0 })).deletedBlobs).toBe(0);
    const { artifact } = await reg.log(logged);
    await artifact.download(tempDir());
  });
});
