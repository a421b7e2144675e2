import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { editVersion, type VersionEdit } from '../../src/app/edit-version';
import { describe, expect, it } from 'vitest';
import { Artifact, INTERNAL } from '../../src/core/artifact';
import { md5B64 } from '../../src/core/digest';
import { ArtifactFinalizedError, ConflictError, CorruptObjectError, NotFoundError, ValidationError } from '../../src/core/errors';
import { setWarningHandler } from '../../src/core/warnings';
import { blobKey } from '../../src/registry/layout';
import { Registry } from '../../src/registry/registry';
import { listAll } from '../../src/store/object-store';
import { tempDir, writeTree } from '../support/tmp';

function registry(root = tempDir()) {
  return new Registry({ root, entity: 'alice', project: 'demo' });
}

async function logTree(reg: Registry, name: string, files: Record<string, string>, opts: { aliases?: string[]; tags?: string[]; type?: string } = {}) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, opts.type ?? 'dataset');
  await a.addDir(dir);
  return reg.log(a, opts);
}

async function blobCount(reg: Registry): Promise<number> {
  let n = 0;
  for await (const _ of listAll(reg.store, 'objects/md5/')) n += 1;
  return n;
}

describe('log', () => {
  it('refuses a file edited after it was added (policy immutable): nothing that does not match the manifest becomes visible', async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'weights.bin': 'as added', 'other.txt': 'x' });
    const draft = reg.newArtifact('m', 'model');
    await draft.addFile(path.join(dir, 'weights.bin'), { policy: 'immutable' });
    await draft.addFile(path.join(dir, 'other.txt'), { policy: 'immutable' });
    await fsp.writeFile(path.join(dir, 'weights.bin'), 'edited before the log');
    await expect(reg.log(draft)).rejects.toThrow(/weights\.bin changed since it was added to the draft \(as weights\.bin\).*Nothing was logged/);
    expect(await reg.exists('m')).toBe(false);
    // Restored, the same draft logs.
    await fsp.writeFile(path.join(dir, 'weights.bin'), 'as added');
    const { artifact } = await reg.log(draft);
    const out = tempDir();
    await artifact.download(out);
    expect(await fsp.readFile(path.join(out, 'weights.bin'), 'utf8')).toBe('as added');
  });

  it('a copy that was already in the store and went missing before the log is stored again from the file the user added', async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'stored, then lost' });
    const first = reg.newArtifact('s', 'dataset');
    await first.addFile(path.join(dir, 'a.txt'));
    await (await reg.log(first)).artifact.delete({ deleteAliases: true });
    const draft = reg.newArtifact('s', 'dataset');
    const entry = await draft.addFile(path.join(dir, 'a.txt')); // already in the store: not written again
    await fsp.rm(entry.localPath!); // as gc may, since this draft did not write it
    const { artifact } = await reg.log(draft);
    const out = tempDir();
    await artifact.download(out);
    expect(await fsp.readFile(path.join(out, 'a.txt'), 'utf8')).toBe('stored, then lost');
  });

  it('assigns v0, v1… per collection and moves latest', async () => {
    const reg = registry();
    const r0 = await logTree(reg, 'ds', { 'a.txt': 'one' });
    const r1 = await logTree(reg, 'ds', { 'a.txt': 'two' });
    const other = await logTree(reg, 'other', { 'a.txt': 'x' });
    expect([r0.artifact.version, r1.artifact.version, other.artifact.version]).toEqual(['v0', 'v1', 'v0']);
    expect(r1.artifact.qualifiedName).toBe('alice/demo/ds:v1');
    expect(r1.artifact.name).toBe('ds:v1');
    expect((await reg.get('ds:latest')).version).toBe('v1');
    expect((await reg.get('ds')).version).toBe('v1');
    expect((await reg.get('ds:v0')).aliases).toEqual([]);
    expect((await reg.get('alice/demo/ds:v1')).aliases).toEqual(['latest']);
  });

  it('makes the draft a logged artifact: finalized, with server data', async () => {
    const reg = registry();
    const { artifact } = await logTree(reg, 'ds', { 'a.txt': 'one' }, { aliases: ['best'], tags: ['raw data'] });
    expect(artifact.state).toBe('COMMITTED');
    expect(artifact.isDraft()).toBe(false);
    expect(artifact.aliases).toEqual(['latest', 'best']);
    expect(artifact.tags).toEqual(['raw data']);
    expect(artifact.isLink).toBe(false);
    expect(artifact.sourceName).toBe('ds:v0');
    expect(artifact.jsonEncode()).toMatchObject({ _type: 'artifactVersion', version: 'v0', sequenceName: 'ds' });
    await expect(artifact.addFile('/etc/hostname')).rejects.toThrow(ArtifactFinalizedError);
    await expect(reg.log(artifact)).rejects.toThrow(/already logged/);
  });

  it('stores each blob once across versions and collections', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': 'same', 'b.txt': 'one' });
    await logTree(reg, 'ds', { 'a.txt': 'same', 'b.txt': 'two', 'c.txt': 'same' });
    await logTree(reg, 'other', { 'x.txt': 'same' });
    expect(await blobCount(reg)).toBe(3);
    const stored = reg.store.local!.pathOf(blobKey(md5B64('same')));
    expect(await fsp.readFile(stored, 'utf8')).toBe('same');
  });

  it('stages straight into a local store: the copy made while hashing is the stored blob', async () => {
    const root = tempDir();
    const reg = registry(root);
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'one' });
    const draft = reg.newArtifact('ds', 'dataset');
    const entry = await draft.addFile(path.join(dir, 'a.txt'));
    expect(entry.localPath).toBe(reg.store.local!.pathOf(blobKey(md5B64('one'))));
    await reg.log(draft);
    expect(await fsp.readdir(root)).not.toContain('staging');
    expect(await fsp.readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it("moves a plain draft's own staging copies into the store and removes its staging folder", async () => {
    const reg = registry();
    const staging = tempDir();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'one' });
    const draft = new Artifact('ds', 'dataset', { stagingDir: staging });
    const entry = await draft.addFile(path.join(dir, 'a.txt'));
    expect(entry.localPath!.startsWith(draft[INTERNAL].staging!.dir)).toBe(true);
    await reg.log(draft);
    await expect(fsp.stat(draft[INTERNAL].staging!.dir)).rejects.toThrow();
    expect(await fsp.readFile(reg.store.local!.pathOf(blobKey(md5B64('one'))), 'utf8')).toBe('one');
  });

  it('creates no new version when the content equals latest, and says so; given aliases and tags still apply', async () => {
    const reg = registry();
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    try {
      await logTree(reg, 'ds', { 'a.txt': 'one' });
      const again = await logTree(reg, 'ds', { 'a.txt': 'one' }, { aliases: ['prod'], tags: ['checked'] });
      expect(again.deduplicated).toBe(true);
      expect(again.artifact.version).toBe('v0');
      expect(again.artifact.aliases).toEqual(['latest', 'prod']);
      expect(again.artifact.tags).toEqual(['checked']);
      expect(warnings.join()).toMatch(/same content as v0. No new version/);
      // Same content as an older version (not latest) does make a new version, as in W&B.
      await logTree(reg, 'ds', { 'a.txt': 'two' });
      expect((await logTree(reg, 'ds', { 'a.txt': 'one' })).artifact.version).toBe('v2');
    } finally {
      setWarningHandler(previous);
    }
  });

  it('keeps aliases unique within a collection: a new holder takes it over', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' }, { aliases: ['best'] });
    await logTree(reg, 'ds', { 'a.txt': '1' }, { aliases: ['best'] });
    expect((await reg.get('ds:v0')).aliases).toEqual([]);
    expect((await reg.get('ds:best')).version).toBe('v1');
    await expect(logTree(reg, 'ds', { 'a.txt': '2' }, { aliases: ['BEST'] })).rejects.toThrow(/differs only by case/);
  });

  it("refuses another type in the same collection and vN aliases", async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    await expect(logTree(reg, 'ds', { 'a.txt': '1' }, { type: 'model' })).rejects.toThrow(/already exists with type 'dataset'/);
    await expect(logTree(reg, 'ds', { 'a.txt': '1' }, { aliases: ['v7'] })).rejects.toThrow(/reserved/);
  });

  it('a failed log leaves the draft loggable', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    const dir = tempDir();
    await writeTree(dir, { 'b.txt': 'b' });
    const draft = reg.newArtifact('ds', 'model');
    await draft.addDir(dir);
    await expect(reg.log(draft)).rejects.toThrow(ConflictError);
    expect(draft.isDraft()).toBe(true);
    await expect(reg.log(draft, { project: 'elsewhere' })).resolves.toMatchObject({ deduplicated: false });
  });

  it('incremental merges onto latest', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': 'a', 'b.txt': 'b' });
    const dir = tempDir();
    await writeTree(dir, { 'b.txt': 'b2', 'c.txt': 'c' });
    const inc = reg.newArtifact('ds', 'dataset', { incremental: true });
    await inc.addDir(dir);
    const { artifact } = await reg.log(inc);
    expect(artifact.version).toBe('v1');
    const m = (await reg.get('ds:v1')).manifest;
    expect([...m.paths()].sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(m.get('b.txt')?.digest).toBe(md5B64('b2'));
  });

  it('newDraft starts from a version and logs the next one without storing anything again', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': 'a', 'b.txt': 'b' });
    const v0 = await reg.get('ds:v0');
    const draft = await v0.newDraft();
    expect(draft.isDraft()).toBe(true);
    expect(draft.name).toBe('ds');
    draft.remove('b.txt');
    const { artifact } = await reg.log(draft);
    expect(artifact.version).toBe('v1');
    expect([...(await reg.get('ds:v1')).manifest.paths()]).toEqual(['a.txt']);
    expect((await v0.usedBy()).length).toBe(1);
  });

  it('keeps metadata, description and TTL given at log time', async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a' });
    const a = reg.newArtifact('ds', 'dataset', { description: 'first', metadata: { rows: 3, score: NaN } });
    a.ttl = 3600;
    await a.addDir(dir);
    await reg.log(a);
    const got = await reg.get('ds:v0');
    expect(got.description).toBe('first');
    expect(got.metadata).toEqual({ rows: 3, score: null });
    expect(got.ttl).toBe(3600);
  });
});

describe('logged-version operations', () => {
  it('adds and removes aliases and tags; latest and vN stay managed', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    await logTree(reg, 'ds', { 'a.txt': '1' });
    const edit = async (ref: string, change: VersionEdit) => editVersion(await reg.get(ref, { manifest: false }), change);
    let v0 = await edit('ds:v0', { addAliases: ['golden', 'old'], addTags: ['t1', 't2'] });
    expect(v0.aliases).toEqual(['golden', 'old']);
    v0 = await edit('ds:golden', { removeAliases: ['old'], removeTags: ['t1'] });
    expect(v0.aliases).toEqual(['golden']);
    expect(v0.tags).toEqual(['t2']);
    expect((await reg.get('ds:v0', { manifest: false })).tags).toEqual(['t2']);
    await expect(edit('ds:v0', { addAliases: ['latest'] })).rejects.toThrow(/managed/);
    await expect(edit('ds:v1', { removeAliases: ['latest'] })).rejects.toThrow(/managed/);
    await expect(edit('ds:v0', { removeAliases: ['nope'] })).rejects.toThrow(/has no alias 'nope'/);
    await expect(edit('ds:v0', { removeTags: ['nope'] })).rejects.toThrow(/has no tag 'nope'/);
    await expect(edit('ds:v0', { addTags: ['bad!'] })).rejects.toThrow(/Invalid tag/);
  });

  it('saves edits made on the artifact object (W&B style)', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    const a = await reg.get('ds:v0');
    a.description = 'updated';
    a.metadata = { k: 'v' };
    a.aliases = [...a.aliases, 'reviewed'];
    a.tags = ['nice'];
    a.ttl = null;
    await a.save();
    const again = await reg.get('ds:reviewed');
    expect(again.description).toBe('updated');
    expect(again.metadata).toEqual({ k: 'v' });
    expect(again.tags).toEqual(['nice']);
    expect(again.ttl).toBeNull();
    expect(again.updatedAt >= again.createdAt).toBe(true);
    expect(() => {
      again.metadata = { x: Infinity };
    }).toThrow(ValidationError);
  });

  it('delete is refused while aliases exist unless asked, moves latest back, and hides the version', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    await logTree(reg, 'ds', { 'a.txt': '1' }, { aliases: ['best'] });
    const v1 = await reg.get('ds:v1');
    await expect(v1.delete()).rejects.toThrow(/has aliases \(latest, best\)/);
    await v1.delete({ deleteAliases: true });
    expect(v1.state).toBe('DELETED');
    await expect(reg.get('ds:v1')).rejects.toThrow(NotFoundError);
    await expect(reg.get('ds:best')).rejects.toThrow(NotFoundError);
    expect((await reg.get('ds:latest')).version).toBe('v0');
    expect((await reg.listVersions({ entity: 'alice', project: 'demo', collection: 'ds' })).map((v) => v.version)).toEqual(['v0']);
    expect((await reg.listVersions({ entity: 'alice', project: 'demo', collection: 'ds' }, { includeDeleted: true })).map((v) => v.state)).toEqual(['DELETED', 'COMMITTED']);
    // Numbers are never reused.
    expect((await logTree(reg, 'ds', { 'a.txt': '2' })).artifact.version).toBe('v2');
  });

  it('links into a portfolio with its own numbering, latest and aliases; unlink and delete-on-link', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    await logTree(reg, 'ds', { 'a.txt': '1' }, { aliases: ['best'] });
    const v1 = await reg.get('ds:v1');
    const link = await v1.link('prod-data', ['champion']);
    expect(link.qualifiedName).toBe('alice/demo/prod-data:v0');
    expect(link.isLink).toBe(true);
    expect(link.sourceName).toBe('ds:v1');
    expect(link.sourceVersion).toBe('v1');
    expect(link.sourceQualifiedName).toBe('alice/demo/ds:v1');
    expect(link.aliases).toEqual(['latest', 'champion']);
    expect(link.digest).toBe(v1.digest);
    // Linking the same source again only adds aliases.
    const again = await (await reg.get('ds:v1')).link('prod-data', ['again']);
    expect(again.version).toBe('v0');
    // Aliases are per collection: the source keeps its own.
    expect((await reg.get('ds:v1')).aliases).toEqual(['latest', 'best']);
    // Linking another source version gives v1 in the portfolio; latest moves.
    await (await reg.get('ds:v0')).link('alice/demo/prod-data');
    expect((await reg.get('prod-data:latest')).sourceName).toBe('ds:v0');
    // Edits through a link change the source (description), TTL on a link is refused.
    const viaLink = await reg.get('prod-data:champion');
    viaLink.description = 'through the link';
    await viaLink.save();
    expect((await reg.get('ds:v1')).description).toBe('through the link');
    expect(() => {
      viaLink.ttl = 60;
    }).toThrow(/linked artifact/);
    // A link cannot be logged into, a source cannot be unlinked, types must match.
    await expect(logTree(reg, 'prod-data', { 'x': 'x' })).rejects.toThrow(/link \(portfolio\) collection/);
    await expect(v1.unlink()).rejects.toThrow(/not a linked artifact/);
    await logTree(reg, 'model', { 'w.bin': 'w' }, { type: 'model' });
    await expect((await reg.get('model:v0')).link('prod-data')).rejects.toThrow(/holds type 'dataset'/);
    await expect((await reg.get('ds:v0')).link('model')).rejects.toThrow(/source collection/);
    // delete() on a link only unlinks, and says so.
    const champion = await reg.get('prod-data:champion');
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    await champion.delete();
    setWarningHandler(previous);
    expect(warnings).toEqual(['alice/demo/prod-data:v0 is a link: deleting it only unlinks it from prod-data']);
    await expect(reg.get('prod-data:champion')).rejects.toThrow(NotFoundError);
    expect((await reg.get('ds:v1')).state).toBe('COMMITTED');
    const other = await reg.get('prod-data:v1');
    await other.unlink();
    expect(await reg.listVersions({ entity: 'alice', project: 'demo', collection: 'prod-data' })).toEqual([]);
  });

  it('deleting a source removes its links', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    await logTree(reg, 'ds', { 'a.txt': '1' });
    await (await reg.get('ds:v0')).link('prod');
    await (await reg.get('ds:v0')).delete();
    await expect(reg.get('prod:v0')).rejects.toThrow(NotFoundError);
  });

  it('lists projects, collections and versions', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    await logTree(reg, 'ds', { 'a.txt': '1' });
    await logTree(reg, 'm', { 'w': 'w' }, { type: 'model' });
    await (await reg.get('ds:v0')).link('portfolio');
    expect(await reg.listEntities()).toEqual(['alice']);
    expect(await reg.listProjects()).toEqual(['demo']);
    const cols = await reg.listCollections();
    expect(cols.map((c) => [c.collection, c.type, c.kind, c.versionCount, c.latest]).sort()).toEqual([
      ['ds', 'dataset', 'sequence', 2, 1],
      ['m', 'model', 'sequence', 1, 0],
      ['portfolio', 'dataset', 'portfolio', 1, 0],
    ]);
    expect((await reg.listVersions({ entity: 'alice', project: 'demo', collection: 'ds' })).map((v) => v.version)).toEqual(['v1', 'v0']);
  });
});

describe('lineage', () => {
  it('records who logged a version and who used it', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': '0' });
    const v0 = await reg.get('ds:v0');
    const run = await v0.loggedBy();
    expect(run).toMatchObject({ cwd: process.cwd(), host: expect.any(String), user: expect.any(String), startedAt: expect.any(String) });
    expect(run!.command).toMatch(/node/);
    // This repository is a git checkout: the commit is recorded.
    expect(run!.gitCommit === null || /^[0-9a-f]{40}$/.test(run!.gitCommit)).toBe(true);
    expect(await v0.usedBy()).toEqual([]);
    await v0.newDraft();
    const users = await v0.usedBy();
    expect(users.map((u) => u.id)).toEqual([run!.id]); // one process: one run
  });
});

describe('manifest integrity', () => {
  it('detects a manifest whose bytes were changed', async () => {
    const root = tempDir();
    const reg = registry(root);
    await logTree(reg, 'ds', { 'a.txt': '0' });
    const manifests = await fsp.readdir(path.join(root, 'manifests'));
    const file = path.join(root, 'manifests', manifests[0]!);
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace('a.txt', '../../etc/passwd'));
    await expect(reg.get('ds:v0')).rejects.toThrow(CorruptObjectError);
  });
});

describe('gc', () => {
  it('expires versions whose TTL passed and removes blobs no live version needs', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'keep.txt': 'shared', 'only-v0.txt': 'gone soon' });
    const v0 = await reg.get('ds:v0');
    v0.ttl = 60;
    await v0.save();
    await logTree(reg, 'ds', { 'keep.txt': 'shared' });
    expect(await blobCount(reg)).toBe(2);
    // Within the TTL nothing happens.
    let report = await reg.gc({ graceMs: 0 });
    expect(report.expired).toEqual([]);
    expect(report.deletedBlobs).toBe(0);
    // After it, v0 expires and its own blob goes; the shared one stays.
    report = await reg.gc({ at: Date.now() + 61_000, graceMs: 0 });
    expect(report.expired).toEqual(['alice/demo/ds:v0']);
    expect(report.deletedBlobs).toBe(1);
    expect(report.freedBytes).toBe('gone soon'.length);
    expect(report.deletedManifests).toBe(1);
    expect(await blobCount(reg)).toBe(1);
    await expect(reg.get('ds:v0')).rejects.toThrow(NotFoundError);
    expect((await reg.get('ds:v1')).manifest.get('keep.txt')).toBeDefined();
  });

  it('never removes recent objects (an in-flight log may need them)', async () => {
    const reg = registry();
    await logTree(reg, 'ds', { 'a.txt': 'a' });
    await (await reg.get('ds:v0')).delete({ deleteAliases: true });
    const report = await reg.gc();
    expect(report.deletedBlobs).toBe(0);
    expect(await blobCount(reg)).toBe(1);
  });
});
