/**
 * Moving versions between registries (Registry.push / pull, transfer-between.ts) with each kind of
 * store as the other side: a folder, S3 on Ceph, Azure on Azurite. The version keeps its digest,
 * gets the aliases asked for, carries its attributes and lineage, and only missing blobs move.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { ConflictError } from '../../src/core/errors';
import { Registry } from '../../src/registry/registry';
import { openStoreLazily } from '../../src/store/lazy-store';
import { recordingStore } from '../support/counting-store';
import { describeEachStore, registryAt } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

async function logTree(reg: Registry, name: string, files: Record<string, string>, opts: { aliases?: string[]; tags?: string[] } = {}) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, 'dataset', { description: 'pushed around', metadata: { rows: 3 } });
  await a.addDir(dir);
  return reg.log(a, opts);
}

const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i % 4}/f${i}.txt`, `file ${i}`]));

describeEachStore('push and pull', (kind) => {
  it('pushes a folder version into the registry and pulls it back into another folder: same digest, aliases asked for, lineage carried', async () => {
    const local = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
    const { artifact } = await logTree(local, 'ds', files, { aliases: ['raw'], tags: ['first'] });
    const location = kind.location();
    const team = registryAt(kind, location);
    const pushed = await local.push('ds:raw', team, { aliases: ['shared'] });
    expect(pushed).toMatchObject({ from: 'alice/demo/ds:v0', ref: 'alice/demo/ds:v0', digest: artifact.digest, existed: false, blobsCopied: 30, blobsPresent: 0 });
    const there = await team.get('ds:shared');
    expect([there.digest, there.aliases, there.tags, there.description, there.metadata]).toEqual([artifact.digest, ['latest', 'shared'], ['first'], 'pushed around', { rows: 3 }]);
    expect((await there.loggedBy())?.command).toBe((await artifact.loggedBy())?.command);

    const elsewhere = new Registry({ root: tempDir(), entity: 'bob', project: 'other' });
    const pulled = await elsewhere.pull('alice/demo/ds:shared', team, { aliases: ['from-team'] });
    expect(pulled).toMatchObject({ ref: 'alice/demo/ds:v0', digest: artifact.digest, blobsCopied: 30 });
    const out = tempDir();
    const copy = await elsewhere.get('alice/demo/ds:from-team');
    await copy.download(out);
    expect((await copy.verify(out)).ok).toBe(true);
    expect(await fsp.readFile(path.join(out, 'd1/f5.txt'), 'utf8')).toBe('file 5');
  });

  it('copies only the blobs the target lacks; pushing the same version again moves nothing', async () => {
    const local = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
    await logTree(local, 'ds', files);
    await logTree(local, 'ds', { ...files, 'extra.txt': 'one more' });
    const location = kind.location();
    const recorded = recordingStore(openStoreLazily(location, { ...process.env, ...kind.env }));
    const team = registryAt(kind, location, { store: recorded.store });
    await local.push('ds:v0', team);
    recorded.calls.length = 0;
    const second = await local.push('ds:v1', team, { aliases: ['best'] });
    expect([second.ref, second.blobsCopied, second.blobsPresent]).toEqual(['alice/demo/ds:v1', 1, 30]);
    expect(recorded.calls.filter((c) => c.method === 'putFile').map((c) => c.key)).toHaveLength(1);
    recorded.calls.length = 0;
    const again = await local.push('ds:v1', team, { aliases: ['again'] });
    expect([again.existed, again.ref]).toEqual([true, 'alice/demo/ds:v1']);
    expect(recorded.calls.filter((c) => c.method === 'putFile' || (c.method === 'put' && c.key.startsWith('objects/')))).toEqual([]);
    expect((await team.get('ds:again')).version).toBe('v1');
    // Into another collection (--as): a new version there, no blob moves.
    recorded.calls.length = 0;
    const renamed = await local.push('ds:v1', team, { as: 'mirror' });
    expect([renamed.ref, renamed.blobsCopied, renamed.blobsPresent]).toEqual(['alice/demo/mirror:v0', 0, 31]);
    expect(recorded.calls.filter((c) => c.method === 'putFile')).toEqual([]);
  });

  it('refuses a target collection of another type, and a link is copied as its source content', async () => {
    const local = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
    const { artifact } = await logTree(local, 'ds', { 'a.txt': 'a' });
    await artifact.link('production', ['golden']);
    const team = registryAt(kind, kind.location());
    const weights = tempDir();
    await writeTree(weights, { w: 'w' });
    const m = team.newArtifact('ds', 'model');
    await m.addFile(path.join(weights, 'w'));
    await team.log(m);
    await expect(local.push('ds', team)).rejects.toBeInstanceOf(ConflictError);
    const viaLink = await local.push('production:golden', team, { as: 'prod-data' });
    expect([viaLink.from, viaLink.ref, viaLink.digest]).toEqual(['alice/demo/ds:v0', 'alice/demo/prod-data:v0', artifact.digest]);
  });
});
