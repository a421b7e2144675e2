/**
 * Runs and lineage on each kind of store: a folder, S3 on Ceph, Azure Blob on Azurite (through the
 * ObjectStore interface only). A named run records its start, end, inputs and outputs; the graph is
 * read back, also by a second Registry (another machine: an empty cache); push carries a version's
 * run, its end and the run's index for that version.
 */
import { expect, it } from 'vitest';
import { runNodeId, versionNodeId } from '../../src/registry/lineage-graph';
import type { Registry } from '../../src/registry/registry';
import { listAll } from '../../src/store/object-store';
import { describeEachStore, registryAt, type StoreKind } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

async function logTree(reg: Registry, name: string, type: string, files: Record<string, string>) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, type);
  await a.addDir(dir);
  return (await reg.log(a)).artifact;
}

const v = (c: string) => versionNodeId({ entity: 'alice', project: 'demo', collection: c, index: 0 });

describeEachStore('lineage', (kind: StoreKind) => {
  it('a named run records its inputs and outputs; the graph reads back, also with an empty cache', async () => {
    const location = kind.location();
    const reg = registryAt(kind, location);
    await logTree(reg, 'ds', 'dataset', { 'a.csv': '1\n' });
    const runId = await reg.run(
      'train',
      async (run) => {
        await (await reg.get('ds:v0')).download(tempDir());
        await logTree(reg, 'model', 'model', { 'w.bin': 'w' });
        return run.id;
      },
      { type: 'train' },
    );
    const keys: string[] = [];
    for await (const o of listAll(reg.store, `runs/${runId}`)) keys.push(o.key);
    expect(keys.sort()).toEqual([`runs/${runId}.end.json`, `runs/${runId}.json`, `runs/${runId}/inputs/alice/demo/ds/v0.json`, `runs/${runId}/outputs/alice/demo/model/v0.json`]);

    const other = registryAt(kind, location); // a fresh cache folder
    const g = await other.lineage('model:v0');
    expect(g.edges).toContainEqual({ from: v('ds'), to: runNodeId(runId), kind: 'used' });
    expect(g.edges).toContainEqual({ from: runNodeId(runId), to: v('model'), kind: 'produced' });
    expect(g.nodes.find((n) => n.id === runNodeId(runId))).toMatchObject({ run: { name: 'train', type: 'train', end: { exitCode: 0 } } });
  });

  it('push carries the run, its end and its index to the other registry', async () => {
    const source = registryAt(kind, kind.location());
    const target = registryAt(kind, kind.location());
    await logTree(source, 'ds', 'dataset', { 'a.csv': '1\n' });
    const runId = await source.run('train', async (run) => {
      await run.use('ds:v0');
      await logTree(source, 'model', 'model', { 'w.bin': 'w' });
      return run.id;
    });
    await source.push('ds:v0', target);
    await source.push('model:v0', target);
    const g = await target.lineage('model:v0');
    expect(g.edges).toContainEqual({ from: v('ds'), to: runNodeId(runId), kind: 'used' });
    expect(g.edges).toContainEqual({ from: runNodeId(runId), to: v('model'), kind: 'produced' });
    expect((await target.runRecord(runId))?.end?.exitCode).toBe(0);
    expect(await target.runVersions(runId, 'outputs')).toEqual(['alice/demo/model:v0']);
  });
});
