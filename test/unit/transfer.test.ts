import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { md5B64 } from '../../src/core/digest';
import { CorruptObjectError, NotFoundError, ValidationError } from '../../src/core/errors';
import { hashPool } from '../../src/core/hashing/pool';
import { Manifest } from '../../src/core/manifest';
import { setWarningHandler } from '../../src/core/warnings';
import { blobKey, collectionKey, manifestKey } from '../../src/registry/layout';
import { Registry } from '../../src/registry/registry';
import { LocalObjectStore } from '../../src/store/local-store';
import type { ObjectStore } from '../../src/store/object-store';
import { serveForSuite } from '../support/http';
import { tempDir, writeTree } from '../support/tmp';

function registry(root = tempDir(), store?: ObjectStore) {
  return new Registry({ root, store, entity: 'alice', project: 'demo' });
}

async function logFiles(reg: Registry, name: string, files: Record<string, string>, refs: Array<[string, string?]> = []) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, 'dataset');
  if (Object.keys(files).length) await a.addDir(dir);
  for (const [uri, n] of refs) await a.addReference(uri, { name: n });
  return (await reg.log(a)).artifact;
}

async function readTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, rel: string) => {
    for (const d of await fsp.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(path.join(dir, d.name), r);
      else out[r] = await fsp.readFile(path.join(dir, d.name), 'utf8');
    }
  };
  await walk(root, '');
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('download', () => {
  it('writes every file from the store, atomically, keeping the stored mtime', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A', 'sub/b.txt': 'B' });
    const a = await reg.get('ds:v0');
    const root = path.join(tempDir(), 'out');
    const blob = await fsp.stat(reg.store.local!.pathOf(blobKey(md5B64('A'))));
    const r = await a.download(root);
    expect(r.written.sort()).toEqual(['a.txt', 'sub/b.txt']);
    expect(await readTree(root)).toEqual({ 'a.txt': 'A', 'sub/b.txt': 'B' });
    expect(Math.abs((await fsp.stat(path.join(root, 'a.txt'))).mtimeMs - blob.mtimeMs)).toBeLessThan(0.01);
    // Written files are the user's: writable.
    expect((await fsp.stat(path.join(root, 'a.txt'))).mode & 0o200).toBe(0o200);
  });

  it("defaults to ./artifacts/<collection>-vN of the source (no ':' in paths)", async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A' });
    await (await reg.get('ds:v0')).link('portfolio');
    const cwd = tempDir();
    const spy = vi.spyOn(process, 'cwd').mockReturnValue(cwd);
    const viaLink = await reg.get('portfolio:v0');
    expect((await viaLink.download()).root).toBe(path.join(cwd, 'artifacts', 'ds-v0'));
    expect((await viaLink.verify()).root).toBe(path.join(cwd, 'artifacts', 'ds-v0'));
    spy.mockRestore();
  });

  it('writes only missing or changed files the second time', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A', 'b.txt': 'B', 'c.txt': 'C' });
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await a.download(root);
    await fsp.writeFile(path.join(root, 'a.txt'), 'changed');
    await fsp.rm(path.join(root, 'b.txt'));
    const r = await a.download(root);
    expect(r.written.sort()).toEqual(['a.txt', 'b.txt']);
    expect(r.unchanged).toBe(1);
    expect(await readTree(root)).toEqual({ 'a.txt': 'A', 'b.txt': 'B', 'c.txt': 'C' });
  });

  it('a second download of an unchanged version only stats the files', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`d/f${i}.txt`, `content ${i}`])));
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await a.download(root);
    const hash = vi.spyOn(hashPool(), 'hash');
    const copy = vi.spyOn(hashPool(), 'copy');
    const open = vi.spyOn(fsp, 'open');
    const r = await a.download(root);
    expect(r.written).toEqual([]);
    expect(r.unchanged).toBe(20);
    expect(hash).not.toHaveBeenCalled();
    expect(copy).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('sees an edit in place whose mtime was set back (ctime is in the record, as in git)', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'original', 'b.txt': 'other' });
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await a.download(root);
    const f = path.join(root, 'a.txt');
    // A round mtime (utimes cannot set nanoseconds back exactly); the next download re-checks the
    // file by content and records it with this mtime.
    await fsp.utimes(f, 1_700_000_000, 1_700_000_000);
    expect((await a.download(root)).written).toEqual([]);
    await fsp.writeFile(f, 'ORIGINAL'); // same size, other bytes
    await fsp.utimes(f, 1_700_000_000, 1_700_000_000);
    expect((await fsp.stat(f)).mtimeMs).toBe(1_700_000_000_000);
    const r = await a.download(root);
    expect(r.written).toEqual(['a.txt']);
    expect(await fsp.readFile(f, 'utf8')).toBe('original');
    expect((await a.planCheckout(root)).deletions).toEqual([]);
    expect((await a.verify(root)).ok).toBe(true);
  });

  it('recognises a file that already has the right content without rewriting it', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A' });
    const root = tempDir();
    await writeTree(root, { 'a.txt': 'A' });
    const r = await (await reg.get('ds:v0')).download(root);
    expect(r.written).toEqual([]);
    expect(r.unchanged).toBe(1);
  });

  it('pathPrefix matches whole path segments (W&B documentation: a folder, not a string prefix)', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'images/a.png': '1', 'images2/x.png': '2', 'images.txt': '3', 'other.txt': '4' });
    const a = await reg.get('ds:v0');
    expect((await a.download(tempDir(), { pathPrefix: 'images' })).written).toEqual(['images/a.png']);
    expect((await a.download(tempDir(), { pathPrefix: 'images/' })).written).toEqual(['images/a.png']);
    expect((await a.download(tempDir(), { pathPrefix: 'images.txt' })).written).toEqual(['images.txt']);
    expect((await a.download(tempDir(), { pathPrefix: '' })).written).toHaveLength(4);
  });

  it('file() returns the single file, and names download() when there are several', async () => {
    const reg = registry();
    await logFiles(reg, 'one', { 'model.bin': 'weights' });
    await logFiles(reg, 'two', { 'a': '1', 'b': '2' });
    const root = tempDir();
    const file = await (await reg.get('one:v0')).file(root);
    expect(file).toBe(path.join(root, 'model.bin'));
    expect(await fsp.readFile(file, 'utf8')).toBe('weights');
    await expect((await reg.get('two:v0')).file(root)).rejects.toThrow(/has 2 files.*download\(\)/);
  });

  it('reports progress and records the use (lineage)', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'AAAA', 'b.txt': 'BB' });
    const a = await reg.get('ds:v0');
    const seen: Array<{ files: number; bytes: number; totalBytes: number }> = [];
    await a.download(tempDir(), { onProgress: (p) => seen.push({ ...p }) });
    expect(seen.at(-1)).toEqual({ files: 2, totalFiles: 2, bytes: 6, totalBytes: 6 });
    expect(await a.usedBy()).toHaveLength(1);
  });

  it('works from a store that is not a local folder, through the cache', async () => {
    const storeRoot = tempDir();
    const local = new LocalObjectStore(storeRoot);
    await logFiles(registry(storeRoot), 'ds', { 'a.txt': 'A', 'b.txt': 'B' });
    // A store with no local capabilities: bytes must be streamed, as from a bucket.
    const remoteLike: ObjectStore = {
      location: 'remote-like',
      get: (k) => local.get(k),
      getStream: (k) => local.getStream(k),
      head: (k) => local.head(k),
      list: (p, o) => local.list(p, o),
      put: (k, b) => local.put(k, b),
      putFile: (k, f, o) => local.putFile(k, f, o),
      getFile: (k, d, o) => local.getFile(k, d, o),
      putIfAbsent: (k, b) => local.putIfAbsent(k, b),
      compareAndSwap: (k, e, b) => local.compareAndSwap(k, e, b),
      delete: (k) => local.delete(k),
    };
    const cacheHome = tempDir();
    vi.stubEnv('ARTIFACTS_REGISTRY', cacheHome);
    const remote = registry(undefined, remoteLike);
    const root = tempDir();
    await (await remote.get('ds:v0')).download(root);
    expect(await readTree(root)).toEqual({ 'a.txt': 'A', 'b.txt': 'B' });
    expect(existsSync(path.join(cacheHome, ...blobKey(md5B64('A')).split('/')))).toBe(true);
    vi.unstubAllEnvs();
  });
});

describe('integrity and path safety', () => {
  it('detects a corrupted blob on read and writes nothing', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'original' });
    const blob = reg.store.local!.pathOf(blobKey(md5B64('original')));
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'tampered'); // same length
    const root = tempDir();
    const a = await reg.get('ds:v0');
    await expect(a.download(root)).rejects.toThrow(CorruptObjectError);
    await expect(a.download(root)).rejects.toThrow(/Corrupted object objects\/md5\/.*expected digest/);
    expect(await fsp.readdir(root)).toEqual([]); // no file, no temp file
  });

  it('hashes every blob as it copies it out: a damaged blob (even with its times set back) writes nothing', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'good bytes', 'b.txt': 'other bytes' });
    const a = await reg.get('ds:v0');
    const copyAll = vi.spyOn(hashPool(), 'copyAll');
    await a.download(tempDir());
    expect(copyAll).toHaveBeenCalledTimes(1); // one job for all of the version's blobs
    expect(copyAll.mock.calls[0]![0].map((t) => t.expect).sort()).toEqual([md5B64('good bytes'), md5B64('other bytes')].sort());
    vi.restoreAllMocks();
    // Flip a byte on disk and set the times back.
    const blob = reg.store.local!.pathOf(blobKey(md5B64('good bytes')));
    const st = await fsp.stat(blob);
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'GOOD bytes');
    await fsp.chmod(blob, 0o444);
    await fsp.utimes(blob, st.atime, st.mtime);
    const root = tempDir();
    const err = await a.download(root).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptObjectError);
    expect(err.message).toMatch(/alice\/demo\/ds:v0 a\.txt/);
    expect(existsSync(path.join(root, 'a.txt'))).toBe(false);
    expect((await fsp.readdir(root)).filter((n) => n.startsWith('.artifacts-tmp'))).toEqual([]);
  });

  it('a damaged blob among hundreds (several thread batches) is named, and no copy is left half-written', async () => {
    const reg = registry();
    const files: Record<string, string> = {};
    for (let i = 0; i < 600; i++) files[`d${i % 7}/f${String(i).padStart(3, '0')}.txt`] = `file ${i}`;
    await logFiles(reg, 'many', files);
    const blob = reg.store.local!.pathOf(blobKey(md5B64('file 450')));
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'FILE 450');
    const root = tempDir();
    const a = await reg.get('many:v0');
    await expect(a.download(root)).rejects.toThrow(/d2\/f450\.txt/);
    const left = Object.keys(await readTree(root));
    expect(left.filter((p) => p.includes('.artifacts-tmp'))).toEqual([]);
    expect(left).not.toContain('d2/f450.txt');
    // Whatever was written is whole and recorded: the next download writes only the rest.
    for (const p of left) expect(await fsp.readFile(path.join(root, p), 'utf8')).toBe(files[p]);
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'file 450');
    const again = await a.download(root);
    expect(again.unchanged).toBe(left.length);
    expect(again.written).toHaveLength(600 - left.length);
    expect(await readTree(root)).toEqual(files);
  });

  it('refuses a manifest path that escapes the root, before touching the disk', async () => {
    const storeRoot = tempDir();
    const reg = registry(storeRoot);
    await logFiles(reg, 'ds', { 'a.txt': 'A' });
    // A hostile registry: a well-formed version whose manifest holds '../escape.txt'.
    const m = new Manifest([
      { path: 'a.txt', digest: md5B64('A'), size: 1 },
      { path: '../escape.txt', digest: md5B64('A'), size: 1 },
    ]);
    const bytes = m.serialize();
    const key = manifestKey(createHash('md5').update(bytes).digest('hex'));
    await reg.store.put(key, bytes);
    const cKey = collectionKey({ entity: 'alice', project: 'demo', collection: 'ds' });
    const doc = JSON.parse((await reg.store.get(cKey))!.body.toString());
    doc.versions[0].manifest = key;
    doc.versions[0].digest = m.digest;
    expect(await reg.store.compareAndSwap(cKey, (await reg.store.get(cKey))!.etag, JSON.stringify(doc))).toBe(true);
    const parent = tempDir();
    const root = path.join(parent, 'root');
    await expect((await reg.get('ds:v0')).download(root)).rejects.toThrow(/unsafe path "..\/escape.txt"/);
    expect(await fsp.readdir(parent)).toEqual([]);
    await expect((await reg.get('ds:v0')).checkout(root)).rejects.toThrow(ValidationError);
  });

  it('never writes through a symlinked folder that leads outside the root', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'sub/file.txt': 'payload', 'ok.txt': 'ok' });
    const outside = tempDir();
    const root = tempDir();
    await fsp.symlink(outside, path.join(root, 'sub'));
    await expect((await reg.get('ds:v0')).download(root)).rejects.toThrow(/sub in .* is a symlink, which is never followed/);
    expect(await fsp.readdir(outside)).toEqual([]);
  });

  it('replaces a symlinked file instead of writing through it', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'target.txt': 'new content' });
    const outside = tempDir();
    await writeTree(outside, { 'precious.txt': 'keep me' });
    const root = tempDir();
    await fsp.symlink(path.join(outside, 'precious.txt'), path.join(root, 'target.txt'));
    await (await reg.get('ds:v0')).download(root);
    expect(await fsp.readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect((await fsp.lstat(path.join(root, 'target.txt'))).isSymbolicLink()).toBe(false);
    expect(await fsp.readFile(path.join(root, 'target.txt'), 'utf8')).toBe('new content');
  });

  it('never follows a symlinked folder inside the root either; checkout replaces it with a real folder', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'alias/f.txt': 'x' });
    const root = tempDir();
    await fsp.mkdir(path.join(root, 'real'));
    await fsp.symlink(path.join(root, 'real'), path.join(root, 'alias'));
    const a = await reg.get('ds:v0');
    await expect(a.download(root)).rejects.toThrow(ValidationError);
    const plan = await a.planCheckout(root);
    expect(plan.deletions).toEqual(['alias']);
    await plan.execute();
    expect((await fsp.lstat(path.join(root, 'alias'))).isDirectory()).toBe(true);
    expect(await fsp.readdir(path.join(root, 'real'))).toEqual([]);
    expect((await a.verify(root)).ok).toBe(true);
  });
});

describe('references', () => {
  let etag = '"v1"';
  let body = 'remote bytes';
  const http = serveForSuite({
    '/data.txt': (_req, res) => {
      res.writeHead(200, { etag, 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    },
  });

  it('file:// references are re-read and checked against their digest', async () => {
    const reg = registry();
    const src = tempDir();
    await writeTree(src, { 'ref.txt': 'referenced' });
    await logFiles(reg, 'ds', { 'a.txt': 'A' }, [[`file://${src}/ref.txt`]]);
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await a.download(root);
    expect(await fsp.readFile(path.join(root, 'ref.txt'), 'utf8')).toBe('referenced');
    await fsp.writeFile(path.join(src, 'ref.txt'), 'changed!!!');
    await expect(a.download(tempDir())).rejects.toThrow(/changed since it was logged/);
    await fsp.rm(path.join(src, 'ref.txt'));
    await expect(a.download(tempDir())).rejects.toThrow(NotFoundError);
    const warnings: string[] = [];
    const prev = setWarningHandler((w) => warnings.push(w));
    const r = await a.download(tempDir(), { allowMissingReferences: true });
    setWarningHandler(prev);
    expect(r.skipped).toEqual(['ref.txt']);
    expect(r.written).toEqual(['a.txt']);
    expect(warnings.join()).toMatch(/does not exist/);
  });

  it('http references are fetched, checked against the ETag and cached', async () => {
    etag = '"v1"';
    body = 'remote bytes';
    const reg = registry();
    await logFiles(reg, 'ds', {}, [[`${http.base}/data.txt`], [`${http.base}/gone.txt`, 'gone.txt']].slice(0, 1) as Array<[string, string?]>);
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await a.download(root);
    expect(await fsp.readFile(path.join(root, 'data.txt'), 'utf8')).toBe('remote bytes');
    // The second root is served from the cache, even if the server changed since.
    etag = '"v2"';
    body = 'new remote bytes';
    const again = tempDir();
    await a.download(again);
    expect(await fsp.readFile(path.join(again, 'data.txt'), 'utf8')).toBe('remote bytes');
    // Without the cache the change is detected.
    await expect(a.download(tempDir(), { skipCache: true })).rejects.toThrow(/changed since it was logged.*ETag "v2"/);
    await reg.cacheCleanup(0, { graceMs: 0 });
    await expect(a.download(tempDir())).rejects.toThrow(/changed since it was logged.*ETag "v2"/);
  });

  it('a missing http reference fails unless allowed', async () => {
    etag = '"v1"';
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'A' });
    const draft = reg.newArtifact('ds', 'dataset');
    await draft.addDir(dir);
    draft.manifest.add({ path: 'gone.txt', digest: 'abc', ref: `${http.base}/gone.txt`, extra: { etag: '"abc"' } });
    await reg.log(draft);
    const a = await reg.get('ds:v0');
    await expect(a.download(tempDir())).rejects.toThrow(/HTTP 404/);
    const prev = setWarningHandler(() => undefined);
    const r = await a.download(tempDir(), { allowMissingReferences: true });
    setWarningHandler(prev);
    expect(r.skipped).toEqual(['gone.txt']);
  });
});

describe('checkout and verify', () => {
  it('checkout deletes foreign files (listed first by the plan) and downloads the rest', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A', 'sub/b.txt': 'B' });
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await writeTree(root, { 'a.txt': 'old', 'junk.txt': 'x', 'sub/more.txt': 'y' });
    expect((await a.planCheckout(root)).deletions).toEqual(['junk.txt', 'sub/more.txt']);
    const r = await a.checkout(root);
    expect(r.deleted).toEqual(['junk.txt', 'sub/more.txt']);
    expect(await readTree(root)).toEqual({ 'a.txt': 'A', 'sub/b.txt': 'B' });
    expect((await a.verify(root)).ok).toBe(true);
  });

  it('a checkout plan deletes exactly what it listed: a file that appears after the plan is kept and reported', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A' });
    const a = await reg.get('ds:v0');
    const root = tempDir();
    await writeTree(root, { 'shown.txt': 'listed in the plan' });
    const plan = await a.planCheckout(root);
    expect(plan.deletions).toEqual(['shown.txt']);
    // The user reads the list, and meanwhile something writes a new file into the folder.
    await writeTree(root, { 'late.txt': 'appeared after the plan', 'sub/late2.txt': 'x' });
    const warnings: string[] = [];
    setWarningHandler((m) => warnings.push(m));
    try {
      const r = await plan.execute();
      expect(r.deleted).toEqual(['shown.txt']);
      expect(r.keptUnplanned).toEqual(['late.txt', 'sub/late2.txt']);
    } finally {
      setWarningHandler(() => undefined);
    }
    expect(await readTree(root)).toEqual({ 'a.txt': 'A', 'late.txt': 'appeared after the plan', 'sub/late2.txt': 'x' });
    expect(warnings.join('\n')).toMatch(/2 files appeared in .* after the checkout was planned and were kept: late\.txt, sub\/late2\.txt/);
  });

  it('verify returns a structured result instead of raising', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A', 'b.txt': 'B', 'c.txt': 'C' }, [['ref://example.com/x', 'tracked']]);
    const a = await reg.get('ds:v0');
    const root = tempDir();
    expect(await a.verify(root)).toEqual({ root: path.resolve(root), ok: false, missing: ['a.txt', 'b.txt', 'c.txt'], modified: [], extra: [], referencesSkipped: 1, matched: 0 });
    const previous = setWarningHandler(() => undefined); // the tracked reference cannot be downloaded
    await a.download(root, { allowMissingReferences: true });
    setWarningHandler(previous);
    await writeTree(root, { 'a.txt': 'A', 'b.txt': 'changed', 'extra.txt': 'E' });
    await fsp.rm(path.join(root, 'c.txt'), { force: true });
    expect(await a.verify(root)).toEqual({ root: path.resolve(root), ok: false, missing: ['c.txt'], modified: ['b.txt'], extra: ['extra.txt'], referencesSkipped: 1, matched: 1 });
  });
});

describe('diff', () => {
  it('lists added, removed and modified entries, the unchanged count and the size change', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'same.txt': 'S', 'gone.txt': 'G', 'mod.txt': 'M1' });
    await logFiles(reg, 'ds', { 'same.txt': 'S', 'mod.txt': 'M222', 'new.txt': 'NN' });
    const d = await reg.diff('ds:v0', 'ds:v1');
    expect(d.added.map((e) => [e.path, e.size])).toEqual([['new.txt', 2]]);
    expect(d.removed.map((e) => [e.path, e.size])).toEqual([['gone.txt', 1]]);
    expect(d.modified).toEqual([{ path: 'mod.txt', before: { digest: md5B64('M1'), size: 2 }, after: { digest: md5B64('M222'), size: 4 } }]);
    expect(d.unchangedCount).toBe(1);
    expect(d.sizeChange).toBe(7 - 4);
    expect([d.before, d.after]).toEqual(['alice/demo/ds:v0', 'alice/demo/ds:v1']);
  });

  it('compares a version with a folder', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A', 'b.txt': 'B' });
    const root = tempDir();
    await (await reg.get('ds:v0')).download(root);
    await writeTree(root, { 'b.txt': 'BB', 'c.txt': 'C' });
    const d = await reg.diff('ds:v0', { folder: root });
    expect([d.added.map((e) => e.path), d.removed.map((e) => e.path), d.modified.map((e) => e.path), d.unchangedCount]).toEqual([['c.txt'], [], ['b.txt'], 1]);
  });
});

describe('cache', () => {
  it('reports its size and cleans up least recently used first, never a live blob', async () => {
    const reg = registry();
    await logFiles(reg, 'live', { 'keep.bin': 'k'.repeat(100) });
    await logFiles(reg, 'old1', { 'x.bin': 'x'.repeat(200) });
    await logFiles(reg, 'old2', { 'y.bin': 'y'.repeat(300) });
    // old2 is used after old1, so old1 is the least recently used.
    const older = reg.store.local!.pathOf(blobKey(md5B64('x'.repeat(200))));
    const newer = reg.store.local!.pathOf(blobKey(md5B64('y'.repeat(300))));
    await (await reg.get('old1:v0')).download(tempDir());
    await new Promise((r) => setTimeout(r, 20));
    await (await reg.get('old2:v0')).download(tempDir());
    await (await reg.get('old1:v0')).delete({ deleteAliases: true });
    await (await reg.get('old2:v0')).delete({ deleteAliases: true });
    const info = await reg.cacheInfo();
    expect(info).toMatchObject({ files: 3, bytes: 600, liveFiles: 1, liveBytes: 100 });
    expect(await reg.cacheCleanup(450)).toMatchObject({ removedFiles: 0, reachedTarget: false }); // all young
    const r1 = await reg.cacheCleanup(450, { graceMs: 0 });
    expect(r1).toEqual({ removedFiles: 1, freedBytes: 200, remainingBytes: 400, reachedTarget: true });
    expect(existsSync(older)).toBe(false);
    expect(existsSync(newer)).toBe(true);
    const r2 = await reg.cacheCleanup(0, { graceMs: 0 });
    expect(r2).toEqual({ removedFiles: 1, freedBytes: 300, remainingBytes: 100, reachedTarget: false });
    expect((await reg.get('live:v0')).manifest.fileCount).toBe(1);
    await (await reg.get('live:v0')).download(tempDir());
  });
});
