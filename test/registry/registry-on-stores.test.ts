/**
 * The registry on each kind of store it can live on: a folder, S3 on Ceph and Azure Blob on
 * Azurite. The same library calls, the same results: log, dedupe, aliases, tags, links, delete,
 * download, verify, diff, TTL and gc. (Moving versions between registries: transfer-between.test.ts.)
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/core/errors';
import { blobKey } from '../../src/registry/layout';
import type { Registry } from '../../src/registry/registry';
import { listAll } from '../../src/store/object-store';
import { openStoreLazily } from '../../src/store/lazy-store';
import { recordingStore } from '../support/counting-store';
import { describeEachStore, registryAt, type StoreKind } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

async function logTree(reg: Registry, name: string, files: Record<string, string>, opts: { aliases?: string[]; tags?: string[]; type?: string } = {}) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, opts.type ?? 'dataset');
  await a.addDir(dir);
  return reg.log(a, opts);
}

async function keys(reg: Registry, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of listAll(reg.store, prefix)) out.push(o.key);
  return out.sort();
}

describeEachStore('registry', (kind: StoreKind) => {
  const fresh = () => registryAt(kind, kind.location());

  it('logs versions v0, v1…, lists, shows and downloads them, and verify finds a changed file', async () => {
    const reg = fresh();
    const r0 = await logTree(reg, 'ds', { 'train/a.csv': 'a,b\n1,2\n', 'README.md': 'hello' }, { aliases: ['raw'], tags: ['first try'] });
    const r1 = await logTree(reg, 'ds', { 'train/a.csv': 'a,b\n1,3\n', 'README.md': 'hello' });
    expect([r0.artifact.version, r1.artifact.version]).toEqual(['v0', 'v1']);
    expect((await reg.listVersions({ entity: 'alice', project: 'demo', collection: 'ds' })).map((a) => [a.version, a.aliases])).toEqual([
      ['v1', ['latest']],
      ['v0', ['raw']],
    ]);
    expect((await reg.listCollections()).map((c) => [c.collection, c.versionCount, c.latest])).toEqual([['ds', 2, 1]]);
    const v0 = await reg.get('ds:raw');
    expect(v0.tags).toEqual(['first try']);
    expect(v0.digest).toBe(r0.artifact.digest);
    const out = tempDir();
    const d = await v0.download(out);
    expect(d.written.sort()).toEqual(['README.md', 'train/a.csv']);
    expect(await fsp.readFile(path.join(out, 'train/a.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect((await v0.verify(out)).ok).toBe(true);
    await fsp.writeFile(path.join(out, 'README.md'), 'edited');
    expect((await v0.verify(out)).modified).toEqual(['README.md']);
    // A second download rewrites only what changed.
    const again = await v0.download(out);
    expect(again.written).toEqual(['README.md']);
    expect(again.unchanged).toBe(1);
  });

  it('deduplicates equal content and stores each blob once, uploading only what is missing', async () => {
    const location = kind.location();
    const recorded = recordingStore(openStoreLazily(location, { ...process.env, ...kind.env }));
    const reg = registryAt(kind, location, { store: recorded.store });
    const files = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f${i}.txt`, `content ${i}`]));
    await logTree(reg, 'big', files);
    const again = await logTree(reg, 'big', files, { aliases: ['same'] });
    expect(again.deduplicated).toBe(true);
    expect(again.artifact.version).toBe('v0');
    expect(again.artifact.aliases).toContain('same');
    recorded.calls.length = 0;
    const next = await logTree(reg, 'big', { ...files, 'new.txt': 'only this is new' });
    expect(next.artifact.version).toBe('v1');
    const uploads = recorded.calls.filter((c) => (c.method === 'putFile' || c.method === 'put') && c.key.startsWith('objects/'));
    // A folder registry stores a draft's copies while staging them, before the log; a bucket gets
    // the one blob it lacks.
    expect(uploads.map((c) => c.key)).toEqual(kind.remote ? [blobKey(next.artifact.manifest.get('new.txt')!.digest)] : []);
    expect(await keys(reg, 'objects/md5/')).toHaveLength(81);
  });

  it('moves aliases, edits tags, description, metadata and TTL, and refuses a type change', async () => {
    const reg = fresh();
    await logTree(reg, 'm', { 'w.bin': 'one' }, { type: 'model', aliases: ['best'] });
    await logTree(reg, 'm', { 'w.bin': 'two' }, { type: 'model' });
    const v1 = await reg.get('m:v1');
    v1.aliases.push('best', 'prod');
    v1.tags.push('good one');
    v1.description = 'the second';
    v1.metadata = { acc: 0.9 };
    v1.ttl = 3600;
    await v1.save();
    expect((await reg.get('m:best')).version).toBe('v1');
    expect((await reg.get('m:v0')).aliases).toEqual([]);
    const fetched = await reg.get('m:prod');
    expect([fetched.tags, fetched.description, fetched.metadata, fetched.ttl]).toEqual([['good one'], 'the second', { acc: 0.9 }, 3600]);
    fetched.aliases = fetched.aliases.filter((a) => a !== 'prod');
    await fetched.save();
    await expect(reg.get('m:prod')).rejects.toBeInstanceOf(NotFoundError);
    await expect(logTree(reg, 'm', { 'x': 'y' }, { type: 'dataset' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('links a version into a collection of links, and unlinks it', async () => {
    const reg = fresh();
    const { artifact } = await logTree(reg, 'ds', { 'a.txt': 'linked' });
    const link = await artifact.link('production', ['golden']);
    expect(link.qualifiedName).toBe('alice/demo/production:v0');
    const viaLink = await reg.get('production:golden');
    expect(viaLink.isLink).toBe(true);
    expect(viaLink.digest).toBe(artifact.digest);
    const out = tempDir();
    await viaLink.download(out);
    expect(await fsp.readFile(path.join(out, 'a.txt'), 'utf8')).toBe('linked');
    await viaLink.unlink();
    await expect(reg.get('production:golden')).rejects.toBeInstanceOf(NotFoundError);
    expect((await reg.get('ds:v0')).digest).toBe(artifact.digest);
  });

  it('diffs two versions and a version against a folder', async () => {
    const reg = fresh();
    await logTree(reg, 'ds', { 'a.txt': '1', 'b.txt': '2' });
    await logTree(reg, 'ds', { 'a.txt': '1', 'b.txt': 'changed', 'c.txt': 'new' });
    const d = await reg.diff('ds:v0', 'ds:v1');
    expect([d.added.map((e) => e.path), d.removed.map((e) => e.path), d.modified.map((e) => e.path), d.unchangedCount]).toEqual([['c.txt'], [], ['b.txt'], 1]);
    const folder = tempDir();
    await writeTree(folder, { 'a.txt': '1' });
    const f = await reg.diff('ds:v0', { folder });
    expect(f.removed.map((e) => e.path)).toEqual(['b.txt']);
  });

  it('deletes versions softly; gc then removes what no live version needs, keeps the rest, and expires TTLs', async () => {
    const reg = fresh();
    await logTree(reg, 'ds', { 'shared.txt': 'kept', 'old.txt': 'only in v0' }, { aliases: ['old'] });
    await logTree(reg, 'ds', { 'shared.txt': 'kept', 'new.txt': 'only in v1' });
    await logTree(reg, 'tmp', { 'x.txt': 'expires' });
    const expiring = await reg.get('tmp:v0');
    expiring.ttl = 60;
    await expiring.save();
    await (await reg.get('ds:v0')).delete({ deleteAliases: true });
    await expect(reg.get('ds:old')).rejects.toBeInstanceOf(NotFoundError);
    expect(await keys(reg, 'objects/md5/')).toHaveLength(4);
    // A grace period that covers everything: nothing goes, however unreferenced.
    expect((await reg.gc()).deletedBlobs).toBe(0);
    const report = await reg.gc({ graceMs: 0, at: Date.now() + 120_000 });
    expect(report.expired).toEqual(['alice/demo/tmp:v0']);
    expect(report.deletedBlobs).toBe(2);
    expect(report.deletedManifests).toBe(2);
    expect(await keys(reg, 'objects/md5/')).toHaveLength(2);
    const out = tempDir();
    await (await reg.get('ds:latest')).download(out);
    expect((await (await reg.get('ds')).verify(out)).ok).toBe(true);
  });
});
