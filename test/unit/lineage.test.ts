/**
 * Runs and the lineage graph on a real registry folder: named runs (registry.run, ARTIFACTS_RUN),
 * their records and indexes, concurrent runs in one process, and the graph builder (upstream,
 * downstream, depth, dedupe, bounds) on the registry and on a made-up source of 1,000 nodes.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setWarningHandler } from '../../src/core/warnings';
import { RUN_ENV } from '../../src/registry/lineage';
import { buildLineageGraph, lineageToDot, runNodeId, versionNodeId, type LineageSource, type VersionKey } from '../../src/registry/lineage-graph';
import { Registry } from '../../src/registry/registry';
import { tempDir, writeTree } from '../support/tmp';

setWarningHandler(() => undefined);

function registry(root = tempDir()) {
  return new Registry({ root, entity: 'alice', project: 'demo' });
}

async function logFiles(reg: Registry, name: string, type: string, files: Record<string, string>) {
  const dir = tempDir();
  await writeTree(dir, files);
  const draft = reg.newArtifact(name, type);
  await draft.addDir(dir);
  return (await reg.log(draft)).artifact;
}

const v = (collection: string, index: number): VersionKey => ({ entity: 'alice', project: 'demo', collection, index });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  delete process.env[RUN_ENV];
});

describe('registry.run', () => {
  it('records the run (name, type, command, host, git commit, start, end) and its inputs and outputs', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', 'dataset', { 'a.csv': '1,2\n' });
    const work = tempDir();
    const { runId, modelRef } = await reg.run(
      'train',
      async (run) => {
        const ds = await reg.get('ds:v0');
        await ds.download(work);
        const model = await logFiles(reg, 'model', 'model', { 'w.bin': 'weights' });
        return { runId: run.id, modelRef: model.qualifiedName };
      },
      { type: 'train', cwd: process.cwd() },
    );
    const record = await reg.runRecord(runId);
    expect(record).toMatchObject({ id: runId, name: 'train', type: 'train', host: expect.any(String), user: expect.any(String), startedAt: expect.any(String) });
    expect(record!.gitCommit === null || /^[0-9a-f]{40}/.test(record!.gitCommit)).toBe(true);
    expect(record!.end).toMatchObject({ exitCode: 0, endedAt: expect.any(String) });
    expect(Date.parse(record!.end!.endedAt)).toBeGreaterThanOrEqual(Date.parse(record!.startedAt));
    expect(await reg.runVersions(runId, 'inputs')).toEqual(['alice/demo/ds:v0']);
    expect(await reg.runVersions(runId, 'outputs')).toEqual(['alice/demo/model:v0']);
    expect(modelRef).toBe('alice/demo/model:v0');
    // The version names its run, and the dataset knows who used it.
    expect((await (await reg.get('model:v0')).loggedBy())?.id).toBe(runId);
    expect((await (await reg.get('ds:v0')).usedBy()).map((r) => r.id)).toContain(runId);
  });

  it('a callback that throws ends the run with exit code 1 and its error, and the error reaches the caller', async () => {
    const reg = registry();
    let id = '';
    await expect(
      reg.run('broken', async (run) => {
        id = run.id;
        throw new Error('out of memory');
      }),
    ).rejects.toThrow('out of memory');
    expect((await reg.runRecord(id))?.end).toMatchObject({ exitCode: 1, error: 'out of memory' });
  });

  it('two runs working at once in one process keep their inputs and outputs apart (AsyncLocalStorage)', async () => {
    const reg = registry();
    await logFiles(reg, 'a', 'dataset', { 'a.txt': 'a' });
    await logFiles(reg, 'b', 'dataset', { 'b.txt': 'b' });
    const work = async (input: string, output: string, delays: number[]) =>
      reg.run(`make-${output}`, async (run) => {
        await sleep(delays[0]!);
        await (await reg.get(`${input}:v0`)).download(tempDir());
        await sleep(delays[1]!);
        await logFiles(reg, output, 'model', { 'm.txt': output });
        return run.id;
      });
    // Interleaved: each run's steps happen while the other is between its own.
    const [ra, rb, rc] = await Promise.all([work('a', 'ma', [0, 30]), work('b', 'mb', [10, 5]), work('a', 'mc', [5, 0])]);
    expect(await reg.runVersions(ra, 'inputs')).toEqual(['alice/demo/a:v0']);
    expect(await reg.runVersions(ra, 'outputs')).toEqual(['alice/demo/ma:v0']);
    expect(await reg.runVersions(rb, 'inputs')).toEqual(['alice/demo/b:v0']);
    expect(await reg.runVersions(rb, 'outputs')).toEqual(['alice/demo/mb:v0']);
    expect(await reg.runVersions(rc, 'inputs')).toEqual(['alice/demo/a:v0']);
    expect(await reg.runVersions(rc, 'outputs')).toEqual(['alice/demo/mc:v0']);
    expect((await (await reg.get('mb:v0')).loggedBy())?.id).toBe(rb);
    // Outside any run, the process is a run of its own.
    const outside = await logFiles(reg, 'loose', 'dataset', { 'x.txt': 'x' });
    expect((await outside.loggedBy())?.id).not.toBeOneOf([ra, rb, rc]);
  });

  it('run.use records an input without downloading; run.log records an output; logging equal content again still counts as an output', async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'w.bin': 'same' });
    await logFiles(reg, 'ds', 'dataset', { 'a.txt': 'a' });
    const first = await reg.run('first', async (run) => {
      const d = reg.newArtifact('model', 'model');
      await d.addDir(dir);
      await run.log(d);
      return run.id;
    });
    const second = await reg.run('second', async (run) => {
      await run.use('ds:latest');
      const d = reg.newArtifact('model', 'model');
      await d.addDir(dir);
      const { deduplicated } = await run.log(d);
      expect(deduplicated).toBe(true);
      return run.id;
    });
    expect(await reg.runVersions(first, 'outputs')).toEqual(['alice/demo/model:v0']);
    expect(await reg.runVersions(second, 'outputs')).toEqual(['alice/demo/model:v0']);
    expect(await reg.runVersions(second, 'inputs')).toEqual(['alice/demo/ds:v0']);
    expect((await (await reg.get('model:v0')).loggedBy())?.id).toBe(first); // the version's maker stays
  });

  it('ARTIFACTS_RUN puts uses and logs under the named run; a run id that is not a key segment is refused', async () => {
    const reg = registry();
    await logFiles(reg, 'ds', 'dataset', { 'a.txt': 'a' });
    const started = await reg.startRun('pipeline', { command: 'make all' });
    process.env[RUN_ENV] = started.info.id;
    // Another Registry object, as another process would have.
    const other = registry(reg.store.local!.root);
    await (await other.get('ds:v0')).download(tempDir());
    await logFiles(other, 'out', 'model', { 'o.txt': 'o' });
    await started.end({ endedAt: new Date().toISOString(), exitCode: 0 });
    expect(await reg.runVersions(started.info.id, 'inputs')).toEqual(['alice/demo/ds:v0']);
    expect(await reg.runVersions(started.info.id, 'outputs')).toEqual(['alice/demo/out:v0']);
    // The first description stays: the run's, not the child's.
    expect(await reg.runRecord(started.info.id)).toMatchObject({ name: 'pipeline', command: 'make all', end: { exitCode: 0 } });
    // An end is written once.
    await started.end({ endedAt: new Date().toISOString(), exitCode: 9 });
    expect((await reg.runRecord(started.info.id))?.end?.exitCode).toBe(0);

    process.env[RUN_ENV] = '../etc';
    await expect(logFiles(reg, 'bad', 'model', { 'b.txt': 'b' })).rejects.toThrow(/ARTIFACTS_RUN/);
  });

  it('a run id the registry already holds is refused (records are write-once)', async () => {
    const reg = registry();
    const started = await reg.startRun('once');
    await fsp.access(path.join(reg.store.local!.root, 'runs', `${started.info.id}.json`));
    await expect(reg.store.putIfAbsent(`runs/${started.info.id}.json`, '{}')).resolves.toBe(false);
  });
});

describe('lineage graph', () => {
  /** ds:v0 → prep → clean:v0 → train → model:v0 → eval → report:v0, and ds:v0 → other → stats:v0. */
  async function pipeline() {
    const reg = registry();
    await logFiles(reg, 'ds', 'dataset', { 'a.csv': 'raw' });
    const step = (name: string, inputs: string[], output: string) =>
      reg.run(name, async (run) => {
        for (const i of inputs) await run.use(i);
        await logFiles(reg, output, name === 'train' ? 'model' : 'dataset', { 'o.txt': output });
        return run.id;
      });
    const prep = await step('prep', ['ds:v0'], 'clean');
    const train = await step('train', ['clean:v0', 'ds:v0'], 'model');
    const evalRun = await step('eval', ['model:v0'], 'report');
    const other = await step('other', ['ds:v0'], 'stats');
    return { reg, prep, train, evalRun, other };
  }

  it('upstream and downstream from a version, with used and produced edges, deduplicated', async () => {
    const { reg, prep, train, evalRun, other } = await pipeline();
    const g = await reg.lineage('model:v0', { depth: 5 });
    expect(g.root).toBe(versionNodeId(v('model', 0)));
    const ids = g.nodes.map((n) => n.id).sort();
    const dsMaker = (await (await reg.get('ds:v0')).loggedBy())!.id; // this process's own run logged ds:v0
    expect(ids).toEqual(
      [runNodeId(dsMaker), runNodeId(prep), runNodeId(train), runNodeId(evalRun), versionNodeId(v('ds', 0)), versionNodeId(v('clean', 0)), versionNodeId(v('model', 0)), versionNodeId(v('report', 0))].sort(),
    );
    expect(ids).not.toContain(runNodeId(other)); // a sibling branch of an input is neither up- nor downstream
    const edge = (from: string, to: string, kind: string) => expect(g.edges).toContainEqual({ from, to, kind });
    edge(runNodeId(train), versionNodeId(v('model', 0)), 'produced');
    edge(versionNodeId(v('clean', 0)), runNodeId(train), 'used');
    edge(versionNodeId(v('ds', 0)), runNodeId(train), 'used');
    edge(versionNodeId(v('ds', 0)), runNodeId(prep), 'used');
    edge(runNodeId(prep), versionNodeId(v('clean', 0)), 'produced');
    edge(versionNodeId(v('model', 0)), runNodeId(evalRun), 'used');
    edge(runNodeId(evalRun), versionNodeId(v('report', 0)), 'produced');
    expect(new Set(g.edges.map((e) => `${e.from}>${e.to}`)).size).toBe(g.edges.length);
    const model = g.nodes.find((n) => n.id === g.root)!;
    expect(model).toMatchObject({ kind: 'version', type: 'model', aliases: ['latest'], depth: 0, state: 'COMMITTED' });
    const trainNode = g.nodes.find((n) => n.id === runNodeId(train))!;
    expect(trainNode).toMatchObject({ kind: 'run', depth: -1, run: { name: 'train', end: { exitCode: 0 } } });
    expect(g.truncated).toBe(false);
  });

  it('depth counts runs: depth 1 stops after the first run each way; depth 0 is the version alone', async () => {
    const { reg, prep, train, evalRun } = await pipeline();
    const g1 = await reg.lineage('model:v0', { depth: 1 });
    const ids = g1.nodes.map((n) => n.id);
    expect(ids).toContain(runNodeId(train));
    expect(ids).toContain(versionNodeId(v('clean', 0)));
    expect(ids).toContain(runNodeId(evalRun));
    expect(ids).not.toContain(runNodeId(prep));
    expect((await reg.lineage('model:v0', { depth: 0 })).nodes.map((n) => n.id)).toEqual([versionNodeId(v('model', 0))]);
  });

  it('downstream from a dataset reaches every run that used it and what they made', async () => {
    const { reg, prep, train, other } = await pipeline();
    const g = await reg.lineage('ds:v0', { depth: 1, direction: 'downstream' });
    const runs = g.nodes.filter((n) => n.kind === 'run').map((n) => n.id).sort();
    expect(runs).toEqual([runNodeId(prep), runNodeId(train), runNodeId(other)].sort());
    expect(g.nodes.filter((n) => n.kind === 'version').map((n) => n.id).sort()).toEqual(
      [versionNodeId(v('ds', 0)), versionNodeId(v('clean', 0)), versionNodeId(v('model', 0)), versionNodeId(v('stats', 0))].sort(),
    );
    const dot = lineageToDot(g);
    expect(dot).toMatch(/^digraph lineage \{/);
    expect(dot).toContain(`"${versionNodeId(v('ds', 0))}" -> "${runNodeId(prep)}" [label="used"]`);
  });

  /** A made-up source: a chain of `n` runs, each using the previous version and `fanIn` side inputs. */
  function chainSource(n: number, fanIn: number): { source: LineageSource; reads: () => number } {
    let reads = 0;
    const key = (c: string, i: number) => v(c, i);
    const source: LineageSource = {
      version: async (k) => {
        reads++;
        const i = k.index;
        return { type: 'dataset', aliases: [], digest: null, createdAt: '2026-01-01T00:00:00Z', state: 'COMMITTED', loggedBy: k.collection === 'chain' && i > 0 ? `r${i}` : null };
      },
      run: async (id) => {
        reads++;
        return { id, name: id, command: id, user: 'u', host: 'h', cwd: '/', gitCommit: null, startedAt: '2026-01-01T00:00:00Z', end: null };
      },
      usedBy: async (k) => {
        reads++;
        return k.collection === 'chain' && k.index < n ? [`r${k.index + 1}`] : [];
      },
      inputs: async (id) => {
        reads++;
        const i = Number(id.slice(1));
        return [key('chain', i - 1), ...Array.from({ length: fanIn }, (_, j) => key(`side${j}`, i))];
      },
      outputs: async (id) => {
        reads++;
        return [key('chain', Number(id.slice(1)))];
      },
    };
    return { source, reads: () => reads };
  }

  it('1,000 nodes: built whole when allowed; maxNodes bounds the work and says truncated', async () => {
    // 50 runs up the chain, each with the previous version and 18 side inputs: 1 + 50 × 20 = 1,001 nodes.
    const { source } = chainSource(50, 18);
    const t0 = performance.now();
    const g = await buildLineageGraph(source, v('chain', 50), { depth: 50, maxNodes: 5000 });
    const ms = performance.now() - t0;
    expect(g.nodes.length).toBe(1001);
    expect(g.edges.length).toBe(50 * 20);
    expect(g.truncated).toBe(false);
    expect(ms).toBeLessThan(2000);

    const bounded = chainSource(200, 3);
    const small = await buildLineageGraph(bounded.source, v('chain', 200), { depth: 50, maxNodes: 50 });
    expect(small.nodes.length).toBe(50);
    expect(small.truncated).toBe(true);
    expect(bounded.reads()).toBeLessThan(200);
    // Every edge joins nodes of the graph.
    const ids = new Set(small.nodes.map((n) => n.id));
    for (const e of small.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });

  it('a run whose record is missing, or a version no longer in the registry, is still a node', async () => {
    const source: LineageSource = {
      version: async (k) => (k.collection === 'gone' ? undefined : { type: 'model', aliases: ['latest'], digest: 'x', createdAt: 't', state: 'COMMITTED', loggedBy: 'lost' }),
      run: async () => null,
      usedBy: async () => [],
      inputs: async () => [v('gone', 3)],
      outputs: async () => [],
    };
    const g = await buildLineageGraph(source, v('m', 0), { depth: 2 });
    expect(g.nodes.find((n) => n.id === runNodeId('lost'))).toMatchObject({ kind: 'run', run: null });
    expect(g.nodes.find((n) => n.id === versionNodeId(v('gone', 3)))).toMatchObject({ kind: 'version', state: 'MISSING', type: null });
  });

  it('a read that fails is reported and the graph goes on without it', async () => {
    const errors: unknown[] = [];
    const source: LineageSource = {
      version: async () => ({ type: 'model', aliases: [], digest: null, createdAt: 't', state: 'COMMITTED', loggedBy: 'r1' }),
      run: async () => {
        throw new Error('EACCES');
      },
      usedBy: async () => {
        throw new Error('listing failed');
      },
      inputs: async () => [],
      outputs: async () => [],
    };
    const g = await buildLineageGraph(source, v('m', 0), { depth: 1, onError: (e) => errors.push(e) });
    expect(g.nodes.map((n) => n.id)).toEqual([versionNodeId(v('m', 0)), runNodeId('r1')]);
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['EACCES', 'listing failed']);
  });
});
