import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Artifact, INTERNAL } from '../../src/core/artifact';
import { md5B64 } from '../../src/core/digest';
import { ArtifactFinalizedError, ArtifactNotLoggedError, NotFoundError, ValidationError } from '../../src/core/errors';
import { pythonFileUri } from '../../src/references';
import { setWarningHandler } from '../../src/core/warnings';
import { serveForSuite } from '../support/http';
import { tempDir, writeTree } from '../support/tmp';

function draft(name = 'ds', type = 'dataset', opts = {}) {
  return new Artifact(name, type, { stagingDir: path.join(tempDir(), 'staging'), ...opts });
}

describe('Artifact draft: construction and state', () => {
  it('validates name, type and metadata in the constructor', () => {
    expect(() => new Artifact('bad name', 'dataset')).toThrow(ValidationError);
    expect(() => new Artifact('ok', 'wandb-x')).toThrow(/reserved/);
    expect(() => new Artifact('ok', 'dataset', { metadata: { x: Infinity } })).toThrow(/Infinity/);
    const a = new Artifact('ok', 'dataset', { description: 'd', metadata: '{"n": 1}' });
    expect(a.metadata).toEqual({ n: 1 });
    expect(a.state).toBe('PENDING');
    expect(a.isDraft()).toBe(true);
  });

  it('raises ArtifactNotLoggedError for server-only data of a draft', () => {
    const a = draft();
    for (const read of [() => a.version, () => a.qualifiedName, () => a.createdAt, () => a.updatedAt, () => a.id, () => a.isLink, () => a.sourceVersion, () => a.ttl, () => a.jsonEncode()]) {
      expect(read).toThrow(ArtifactNotLoggedError);
    }
    expect(a.sourceName).toBe('ds'); // W&B: a draft's source name is its bare name
    a.ttl = 3600;
    expect(a.ttl).toBe(3600);
    a.ttl = null;
    expect(a.ttl).toBeNull();
  });

  it('computes digest, size and file count from its manifest', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'file1.txt': 'hello' });
    const a = draft();
    await a.addFile(path.join(dir, 'file1.txt'));
    expect(a.digest).toBe('a00c2239f036fb656c1dcbf9a32d89b4');
    expect(a.size).toBe(5);
    expect(a.fileCount).toBe(1);
  });
});

describe('addFile', () => {
  it('hashes, names by basename and stages a read-only copy (policy mutable)', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'file1.txt': 'hello' });
    const a = draft();
    const entry = await a.addFile(path.join(dir, 'file1.txt'));
    expect(entry).toMatchObject({ path: 'file1.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5 });
    expect(entry.localPath).toBe(path.join(a[INTERNAL].staging!.dir, 'md5', '5d', '41402abc4b2a76b9719d911017c592'));
    expect(await fsp.readFile(entry.localPath!, 'utf8')).toBe('hello');
    expect((await fsp.stat(entry.localPath!)).mode & 0o222).toBe(0);
    // Changing the original afterwards does not change what will be stored.
    await fsp.writeFile(path.join(dir, 'file1.txt'), 'changed');
    expect(await fsp.readFile(entry.localPath!, 'utf8')).toBe('hello');
  });

  it('policy immutable points at the original; other policies are refused', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.bin': 'x' });
    const a = draft();
    const e = await a.addFile(path.join(dir, 'a.bin'), { policy: 'immutable', name: 'data/a.bin' });
    expect(e.localPath).toBe(path.join(dir, 'a.bin'));
    expect(e.path).toBe('data/a.bin');
    await expect(a.addFile(path.join(dir, 'a.bin'), { policy: 'other' as never })).rejects.toThrow(/Invalid upload policy/);
  });

  it("names temp files by content (is_tmp): file1.txt → 5d41402abc4b2a76b971.txt", async () => {
    const dir = tempDir();
    await writeTree(dir, { 'file1.txt': 'hello', 'x.tar.gz': 'hello' });
    const a = draft();
    expect((await a.addFile(path.join(dir, 'file1.txt'), { isTmp: true })).path).toBe('5d41402abc4b2a76b971.txt');
    expect((await a.addFile(path.join(dir, 'x.tar.gz'), { isTmp: true, name: 'd/x.tar.gz' })).path).toBe('d/5d41402abc4b2a76b971.tar.gz');
  });

  it('refuses a folder, a missing file and a second add with different content', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'one', 'b.txt': 'two' });
    const a = draft();
    await expect(a.addFile(dir)).rejects.toThrow(/Path is not a file/);
    await expect(a.addFile(path.join(dir, 'nope'))).rejects.toThrow(/Path is not a file/);
    await a.addFile(path.join(dir, 'a.txt'), { name: 'x' });
    await a.addFile(path.join(dir, 'a.txt'), { name: 'x' }); // same digest: fine
    await expect(a.addFile(path.join(dir, 'b.txt'), { name: 'x' })).rejects.toThrow(/Cannot add the same path twice: x/);
    await a.addFile(path.join(dir, 'b.txt'), { name: 'x', overwrite: true });
    expect(a.manifest.get('x')?.digest).toBe(md5B64('two'));
  });

  it('records added local paths by the exact string given', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'one', 'sub/b.txt': 'two' });
    const a = draft();
    const given = path.join(dir, 'a.txt');
    await a.addFile(given, { name: 'renamed.txt' });
    expect(a.getAddedLocalPathName(given)).toBe('renamed.txt');
    expect(a.getAddedLocalPathName(`${dir}/./a.txt`)).toBeNull();
    await a.addDir(path.join(dir, 'sub'), { name: 'folder' });
    expect(a.getAddedLocalPathName(path.join(dir, 'sub', 'b.txt'))).toBe('folder/b.txt');
  });
});

describe('addDir', () => {
  it('adds every file at name/relative path, following symlinked folders without looping', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'src/a.txt': 'a', 'src/deep/b.txt': 'b', 'other/c.txt': 'c' });
    await fsp.symlink(path.join(dir, 'other'), path.join(dir, 'src', 'linked'));
    await fsp.symlink(path.join(dir, 'src'), path.join(dir, 'src', 'deep', 'loop'));
    await fsp.mkdir(path.join(dir, 'src', 'empty'));
    const a = draft();
    await a.addDir(path.join(dir, 'src'), { name: 'data' });
    expect([...a.manifest.paths()].sort()).toEqual(['data/a.txt', 'data/deep/b.txt', 'data/linked/c.txt']);
  });

  it('a link to a folder of the tree is not added twice (the real folder wins, wherever the link sits); linked files are listed', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'z/deep/x.txt': 'x', 'b/y.txt': 'y', 'outside/o.txt': 'o' });
    await fsp.symlink(path.join(dir, 'z', 'deep'), path.join(dir, 'a-link')); // listed before z
    await fsp.symlink(path.join(dir, 'outside', 'o.txt'), path.join(dir, 'b', 'o-link.txt'));
    const a = draft();
    await a.addDir(dir, { name: 'd' });
    expect([...a.manifest.paths()].sort()).toEqual(['d/b/o-link.txt', 'd/b/y.txt', 'd/outside/o.txt', 'd/z/deep/x.txt']);
  });

  it('without merge, a changed file is an error and nothing is added; with merge it overwrites; nothing is ever removed', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'v1/a.txt': 'a1', 'v1/b.txt': 'b', 'v2/a.txt': 'a2', 'v2/new.txt': 'n' });
    const a = draft();
    await a.addDir(path.join(dir, 'v1'));
    await expect(a.addDir(path.join(dir, 'v2'))).rejects.toThrow(/Cannot add the same path twice: a.txt/);
    expect([...a.manifest.paths()].sort()).toEqual(['a.txt', 'b.txt']);
    await a.addDir(path.join(dir, 'v2'), { merge: true });
    expect([...a.manifest.paths()].sort()).toEqual(['a.txt', 'b.txt', 'new.txt']);
    expect(a.manifest.get('a.txt')?.digest).toBe(md5B64('a2'));
  });

  it('reports progress and can be cancelled', async () => {
    const dir = tempDir();
    await writeTree(dir, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}.txt`, `content ${i}`])));
    const a = draft();
    const seen: number[] = [];
    await a.addDir(dir, { onProgress: (p) => seen.push(p.files) });
    expect(Math.max(...seen)).toBe(50);
    const controller = new AbortController();
    controller.abort();
    await expect(draft().addDir(dir, { signal: controller.signal })).rejects.toThrow(/Cancelled/);
  });

  it('refuses a file', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a' });
    await expect(draft().addDir(path.join(dir, 'a.txt'))).rejects.toThrow(/Path is not a directory/);
  });
});

describe('addReference', () => {
  const http = serveForSuite({
    '/redirect': (_req, res) => {
      res.writeHead(302, { location: '/data/file.bin' });
      res.end();
    },
    '/data/file.bin': (_req, res) => {
      res.writeHead(200, { etag: '"abc"', 'content-length': '256' });
      res.end(Buffer.alloc(256));
    },
    '/noetag.txt': (_req, res) => {
      res.writeHead(200, { 'content-length': '3' });
      res.end('abc');
    },
  });

  it('http(s): digest from the ETag, size from Content-Length, the raw ETag in extra (W&B vector #6)', async () => {
    const a = draft();
    const [e] = await a.addReference(`${http.base}/data/file.bin`, { name: 'file1.txt' });
    expect(e).toEqual({ path: 'file1.txt', digest: 'abc', ref: `${http.base}/data/file.bin`, size: 256, extra: { etag: '"abc"' } });
    expect(a.digest).toBe('48237ccc050a88af9dcd869dd5a7e9f4');
  });

  it('http(s): follows redirects (ref is the final URL), falls back to the URL without an ETag, names by basename', async () => {
    const a = draft();
    const [r] = await a.addReference(`${http.base}/redirect`);
    expect(r).toMatchObject({ path: 'redirect', ref: `${http.base}/data/file.bin`, digest: 'abc' });
    const [n] = await a.addReference(`${http.base}/noetag.txt`);
    expect(n).toMatchObject({ path: 'noetag.txt', digest: `${http.base}/noetag.txt`, size: 3 });
    expect(n!.extra).toBeUndefined();
    const [c] = await a.addReference(`${http.base}/anything.bin`, { checksum: false, name: 'x' });
    expect(c).toEqual({ path: 'x', digest: `${http.base}/anything.bin`, ref: `${http.base}/anything.bin` });
    await expect(a.addReference(`${http.base}/missing`)).rejects.toThrow(/HTTP 404/);
  });

  it('file://: content MD5 with checksum, MD5 of the resolved file URI without', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'file1.txt': 'hello', 'tree/a.txt': 'a', 'tree/sub/b.txt': 'b' });
    const a = draft();
    const [e] = await a.addReference(`file://${dir}/file1.txt`);
    expect(e).toEqual({ path: 'file1.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5, ref: `file://${dir}/file1.txt` });
    expect(a.digest).toBe('a00c2239f036fb656c1dcbf9a32d89b4'); // W&B test_add_reference_local_file
    const b = draft();
    const [n] = await b.addReference(`file://${dir}/file1.txt`, { checksum: false });
    expect(n!.digest).toBe(md5B64(pythonFileUri(path.join(dir, 'file1.txt'))));
    expect(n!.size).toBe(5);
    const t = draft();
    const entries = await t.addReference(`file://${dir}/tree`, { name: 'd' });
    expect(entries.map((x) => [x.path, x.ref]).sort()).toEqual([
      ['d/a.txt', `file://${dir}/tree/a.txt`],
      ['d/sub/b.txt', `file://${dir}/tree/sub/b.txt`],
    ]);
    await expect(draft().addReference(`file://${dir}/tree`, { maxObjects: 1 })).rejects.toThrow(/Exceeded max_objects/);
    await expect(draft().addReference(`file://${dir}/missing`)).rejects.toThrow(NotFoundError);
  });

  it('percent-encodes like Python as_uri', () => {
    expect(pythonFileUri("/tmp/a b!'(x).txt")).toBe('file:///tmp/a%20b%21%27%28x%29.txt');
  });

  it('unknown schemes: digest = URI (W&B vector #7), a name is required, a warning says it cannot be checksummed', async () => {
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    try {
      const a = draft();
      await expect(a.addReference('ref://example.com/somefile.txt')).rejects.toThrow(/needs a name/);
      await a.addReference('ref://example.com/somefile.txt', { name: 'ref' });
      expect(a.digest).toBe('410ade94865e89ebe1f593f4379ac228');
      expect(warnings.join()).toMatch(/cannot be checksummed/);
      await expect(a.addReference('data/file.txt')).rejects.toThrow(/References must be URIs/);
    } finally {
      setWarningHandler(previous);
    }
  });
});

describe('newFile, remove, getEntry, finalize', () => {
  it('newFile writes and adds on close; mode x refuses a name twice', async () => {
    const a = draft();
    const f = await a.newFile('notes/readme.md');
    await f.write('# hi');
    const e = await f.close();
    expect(e).toMatchObject({ path: 'notes/readme.md', digest: md5B64('# hi'), size: 4, skipCache: true });
    await expect(a.newFile('notes/readme.md')).rejects.toThrow(/already exists/);
    const w = await a.newFile('notes/readme.md', { mode: 'w' });
    await w.write('# changed');
    await w.close();
    expect(a.manifest.get('notes/readme.md')?.digest).toBe(md5B64('# changed'));
  });

  it('remove takes an entry, a file path or a folder path; a missing path is FileNotFound-like', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a', 'd/b.txt': 'b', 'd/c.txt': 'c', 'dd.txt': 'x' });
    const a = draft();
    await a.addDir(dir);
    a.remove(a.getEntry('a.txt'));
    a.remove('d/');
    expect([...a.manifest.paths()]).toEqual(['dd.txt']);
    expect(() => a.remove('d')).toThrow(/No such file or directory: d/);
    expect(() => a.remove({ path: 'zz', digest: 'x' })).toThrow(NotFoundError);
  });

  it("getEntry finds W&B media entries by their short name and says when a path is absent", async () => {
    const a = draft();
    const f = await a.newFile('my-table.table.json');
    await f.write('{}');
    await f.close();
    expect(a.getEntry('my-table').path).toBe('my-table.table.json');
    expect(() => a.getEntry('nope')).toThrow(/Path not contained in artifact: nope/);
  });

  it('after finalize every mutation raises ArtifactFinalizedError', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a' });
    const a = draft();
    await a.addFile(path.join(dir, 'a.txt'));
    a.finalize();
    await expect(a.addFile(path.join(dir, 'a.txt'), { name: 'b' })).rejects.toThrow(ArtifactFinalizedError);
    await expect(a.addDir(dir)).rejects.toThrow(ArtifactFinalizedError);
    await expect(a.addReference('ref://x', { name: 'x' })).rejects.toThrow(ArtifactFinalizedError);
    await expect(a.newFile('x')).rejects.toThrow(ArtifactFinalizedError);
    expect(() => a.remove('a.txt')).toThrow(ArtifactFinalizedError);
  });
});

describe('staging of a draft that is never logged', () => {
  it('is removed by discard(), and its newFile scratch folder too', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a' });
    const a = draft();
    await a.addFile(path.join(dir, 'a.txt'));
    const f = await a.newFile('notes.txt');
    await f.write('x');
    await f.close();
    const folders = [a[INTERNAL].staging!.dir, path.dirname(f.path)];
    for (const d of folders) expect(existsSync(d)).toBe(true);
    await a.discard();
    for (const d of folders) expect(existsSync(d)).toBe(false);
  });

  it('is removed when the process exits normally', async () => {
    const staging = tempDir();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a', 'sub/b.txt': 'b' });
    const script = `
      const { Artifact } = require(${JSON.stringify(path.resolve(__dirname, '../../dist/index.js'))});
      (async () => {
        const a = new Artifact('ds', 'dataset', { stagingDir: ${JSON.stringify(staging)} });
        await a.addDir(${JSON.stringify(dir)});
        console.log(require('node:fs').readdirSync(${JSON.stringify(staging)}).length);
      })();`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('1'); // the draft's folder existed while the process ran
    expect(await fsp.readdir(staging)).toEqual([]);
  });
});
