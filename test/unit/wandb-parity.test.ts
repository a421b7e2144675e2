// Issue "W&B parity": each member and behaviour a W&B user relies on, on a real registry folder and
// a real HTTP server on 127.0.0.1.
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Artifact } from '../../src/core/artifact';
import { ArtifactNotLoggedError, NotFoundError, ValidationError } from '../../src/core/errors';
import { setWarningHandler } from '../../src/core/warnings';
import { editVersion } from '../../src/app/edit-version';
import { Registry } from '../../src/registry/registry';
import { serveForSuite } from '../support/http';
import { tempDir, writeTree } from '../support/tmp';

function registry(root = tempDir()) {
  return new Registry({ root, entity: 'alice', project: 'demo' });
}

async function logFiles(reg: Registry, name: string, files: Record<string, string>, type = 'dataset') {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, type);
  await a.addDir(dir);
  return (await reg.log(a)).artifact;
}

describe('silent data loss, fixed', () => {
  it('in-place edits of metadata (nested), aliases and tags are saved', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A' });
    const a = await reg.get('ds');
    a.metadata.added = 5;
    (a.metadata.nested as Record<string, unknown> | undefined) ?? (a.metadata.nested = { deep: 1 });
    a.aliases.push('golden');
    a.tags.push('checked');
    await a.save();
    const again = await reg.get('ds');
    expect(again.metadata).toEqual({ added: 5, nested: { deep: 1 } });
    expect(again.aliases).toEqual(['latest', 'golden']);
    expect(again.tags).toEqual(['checked']);
    (again.metadata.nested as Record<string, number>).deep = 2;
    await again.save();
    expect((await reg.get('ds')).metadata).toEqual({ added: 5, nested: { deep: 2 } });
  });
});

describe('http references: W&B cache key, skipCache', () => {
  let etag = '"abc123"';
  let body = 'remote bytes';
  let requests = 0;
  const http = serveForSuite({
    '/labels.csv': (_req, res) => {
      requests += 1;
      res.writeHead(200, { etag, 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    },
  });

  it('caches under sha256(sha256(url) ‖ sha256(ETag without quotes)), and skipCache asks the server again', async () => {
    const root = tempDir();
    const reg = registry(root);
    const draft = reg.newArtifact('ref', 'dataset');
    await draft.addReference(`${http.base}/labels.csv`);
    const { artifact } = await reg.log(draft);
    expect(artifact.manifest.get('labels.csv')).toMatchObject({ digest: 'abc123', extra: { etag: '"abc123"' } });
    await artifact.download(tempDir());
    const sha = (s: string) => createHash('sha256').update(s).digest();
    const key = createHash('sha256').update(sha(`${http.base}/labels.csv`)).update(sha('abc123')).digest('hex');
    expect(existsSync(path.join(root, 'objects', 'etag', key.slice(0, 2), key.slice(2)))).toBe(true);
    // Served from the cache: no request.
    requests = 0;
    await artifact.download(tempDir());
    expect(requests).toBe(0);
    // The server changed: skipCache asks it and sees the change.
    etag = '"changed"';
    body = 'new bytes';
    await expect(artifact.download(tempDir(), { skipCache: true })).rejects.toThrow(/changed since it was logged/);
    expect(requests).toBe(1);
  });
});

describe('references', () => {
  it('a folder reference over maxObjects (W&B default 10,000) is refused', async () => {
    const dir = tempDir();
    await writeTree(dir, Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, String(i)])));
    const draft = new Artifact('r', 'dataset', { stagingDir: tempDir() });
    await expect(draft.addReference(`file://${dir}`, { maxObjects: 3 })).rejects.toThrow(/Exceeded max_objects \(3\)/);
    expect(await draft.addReference(`file://${dir}`, { maxObjects: 5 })).toHaveLength(5);
    await expect(draft.addReference('https://')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('members', () => {
  it('files(): pages of files, each with name, size, digest and its own download()', async () => {
    const reg = registry();
    const a = await logFiles(reg, 'ds', Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`d/f${i}.txt`, `content ${i}`])));
    const files = await a.files({ perPage: 3 });
    expect([files.length, files.pageCount]).toEqual([7, 3]);
    expect(files.page(2).map((f) => f.name)).toEqual(['d/f6.txt']);
    const all: string[] = [];
    for await (const f of files) all.push(f.name);
    expect(all).toEqual(Array.from({ length: 7 }, (_, i) => `d/f${i}.txt`));
    const one = (await a.files({ names: ['d/f3.txt'] })).page(0)[0]!;
    expect(one).toMatchObject({ name: 'd/f3.txt', size: 9 });
    const root = tempDir();
    const p = await one.download(root);
    expect(p).toBe(path.join(root, 'd', 'f3.txt'));
    expect(await fsp.readdir(path.join(root, 'd'))).toEqual(['f3.txt']);
  });

  it('linkedArtifacts(), sourceArtifact(), collection and sourceCollection as objects', async () => {
    const reg = registry();
    const v0 = await logFiles(reg, 'ds', { 'a.txt': 'A' });
    const link = await v0.link('prod', ['best']);
    expect((await v0.linkedArtifacts()).map((a) => a.qualifiedName)).toEqual(['alice/demo/prod:v0']);
    expect(await link.linkedArtifacts()).toEqual([]);
    expect((await link.sourceArtifact()).qualifiedName).toBe('alice/demo/ds:v0');
    expect(await v0.sourceArtifact()).toBe(v0);
    const c = link.collection;
    expect([c.name, c.isSequence()]).toEqual(['prod', false]);
    await c.load();
    expect(c.aliases).toEqual(['best', 'latest']);
    const src = link.sourceCollection;
    expect([src.name, src.isSequence(), src.type]).toEqual(['ds', true, 'dataset']);
    src.description = 'the data';
    src.tags = ['team a'];
    await src.save();
    const fresh = await (await reg.get('ds')).collection.load();
    expect([fresh.description, fresh.tags]).toEqual(['the data', ['team a']]);
    expect((await fresh.versions()).map((a) => a.version)).toEqual(['v0']);
    src.tags = ['bad!'];
    await expect(src.save()).rejects.toThrow(ValidationError);
    await fresh.delete();
    expect(await reg.exists('ds')).toBe(false);
    // The links went with it; the portfolio stays, empty (as in W&B).
    expect((await reg.listCollections()).map((x) => [x.collection, x.versionCount])).toEqual([['prod', 0]]);
    // A new log revives the collection with the next number.
    expect((await logFiles(reg, 'ds', { 'a.txt': 'again' })).version).toBe('v1');
  });

  it('url opens the version in VS Code; historyStep is null; commitHash is the version id; useAs warns', async () => {
    const reg = registry();
    const a = await logFiles(reg, 'ds', { 'a.txt': 'A' });
    expect(a.url).toBe(`vscode://artifacts-dev.artifacts/open?ref=${encodeURIComponent('alice/demo/ds:v0')}&registry=${encodeURIComponent(reg.location)}`);
    expect(a.historyStep).toBeNull();
    expect(a.commitHash).toBe(a.id);
    const warnings: string[] = [];
    setWarningHandler((m) => warnings.push(m));
    a.useAs = 'training';
    setWarningHandler(() => undefined);
    expect(warnings[0]).toMatch(/deprecated/);
    const draft = new Artifact('d', 'dataset', { stagingDir: tempDir() });
    for (const read of [() => draft.url, () => draft.commitHash, () => draft.historyStep, () => draft.collection]) expect(read).toThrow(ArtifactNotLoggedError);
  });

  it('save() of a draft logs it into the registry that made it; a plain new Artifact() says to use registry.log', async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'A' });
    const draft = reg.newArtifact('saved', 'model');
    await draft.addDir(dir);
    await draft.save();
    expect(draft.qualifiedName).toBe('alice/demo/saved:v0');
    const plain = new Artifact('p', 'model', { stagingDir: tempDir() });
    await expect(plain.save()).rejects.toThrow(/registry\.log/);
  });

  it('verify() returns its report, and with throwOnMismatch raises as W&B does', async () => {
    const reg = registry();
    const a = await logFiles(reg, 'ds', { 'a.txt': 'A', 'b.txt': 'B' });
    const root = tempDir();
    await a.download(root);
    expect((await a.verify(root, { throwOnMismatch: true })).ok).toBe(true);
    await fsp.writeFile(path.join(root, 'extra.txt'), 'x');
    await expect(a.verify(root, { throwOnMismatch: true })).rejects.toThrow(/Found file extra\.txt which is not a member of artifact alice\/demo\/ds:v0/);
    await fsp.rm(path.join(root, 'extra.txt'));
    await fsp.writeFile(path.join(root, 'a.txt'), 'changed');
    await expect(a.verify(root, { throwOnMismatch: true })).rejects.toThrow(/Digest mismatch for file: a\.txt/);
    expect((await a.verify(root)).modified).toEqual(['a.txt']);
  });

  it('download, checkout and file agree on the default folder, ./artifacts/<collection>-vN of the source', async () => {
    const reg = registry();
    await logFiles(reg, 'one', { 'm.bin': 'w' });
    await (await reg.get('one:v0')).link('portfolio');
    const cwd = tempDir();
    const spy = vi.spyOn(process, 'cwd').mockReturnValue(cwd);
    try {
      const viaLink = await reg.get('portfolio:v0');
      const expected = path.join(cwd, 'artifacts', 'one-v0');
      expect((await viaLink.download(undefined, { multipart: false })).root).toBe(expected);
      expect((await viaLink.checkout()).root).toBe(expected);
      expect(await viaLink.file()).toBe(path.join(expected, 'm.bin'));
    } finally {
      spy.mockRestore();
    }
  });

  it('draft vs logged: getEntry works on a draft, sourceName is the bare name, file() needs a logged version', async () => {
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'A' });
    const draft = new Artifact('ds', 'dataset', { stagingDir: tempDir() });
    await draft.addFile(path.join(dir, 'a.txt'));
    expect(draft.getEntry('a.txt').digest).toBe(draft.manifest.get('a.txt')!.digest);
    expect(draft.sourceName).toBe('ds');
    await expect(draft.file()).rejects.toBeInstanceOf(ArtifactNotLoggedError);
  });

  it('refuses type names outside the name rules and vN aliases with a message that says why', async () => {
    expect(() => new Artifact('x', 'my type!')).toThrow(/Artifact type may only contain letters, digits, dashes, underscores and dots/);
    expect(new Artifact('x', 'my-type_2.0', { stagingDir: tempDir() }).type).toBe('my-type_2.0');
    const reg = registry();
    await logFiles(reg, 'ds', { 'a.txt': 'A' });
    const a = await reg.get('ds', { manifest: false });
    await expect(editVersion(a, { addAliases: ['v3'] })).rejects.toThrow(/every version is already addressed as name:v3/);
    await expect(editVersion(a, { removeTags: ['absent'] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(editVersion(a, { removeAliases: ['absent'] })).rejects.toBeInstanceOf(NotFoundError);
  });
});
