/**
 * `artifacts run` and `artifacts lineage`, through the built binary: the command's exit code comes
 * back, the run's records are written, and `artifacts download` then `artifacts log` inside a run
 * give the run an input and an output edge, which `lineage` prints as text, JSON and DOT.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LineageGraph } from '../../src/registry/lineage-graph';
import { CLI, cliIn } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function setup() {
  const reg = tempDir();
  const work = tempDir();
  const cli = cliIn(reg);
  await writeTree(work, { 'data/train.csv': 'x,y\n1,2\n' });
  await cli.ok(['log', path.join(work, 'data'), '--name', 'ds', '--type', 'dataset']);
  // The command a run runs: the same binary with the same registry options.
  const artifacts = [process.execPath, CLI, '--registry', reg, '--entity', 'alice', '--project', 'demo'].map(q).join(' ');
  return { reg, work, cli, artifacts };
}

async function runIds(reg: string): Promise<string[]> {
  return (await fsp.readdir(path.join(reg, 'runs'))).filter((f) => /^[0-9a-f]{16}\.json$/.test(f)).map((f) => f.slice(0, -5));
}

describe('artifacts run', () => {
  it('passes the exit code through and records the run with its end', async () => {
    const { reg, cli } = await setup();
    const before = new Set(await runIds(reg));
    const r = await cli.run(['run', '--name', 'fails', '--type', 'eval', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('out\n'); // the command's own stdio
    expect(r.stderr).toBe('err\n');
    const [id] = (await runIds(reg)).filter((x) => !before.has(x));
    const run = JSON.parse(await fsp.readFile(path.join(reg, 'runs', `${id}.json`), 'utf8'));
    expect(run).toMatchObject({ id, name: 'fails', type: 'eval', command: "sh -c 'echo out; echo err >&2; exit 7'", host: expect.any(String), user: expect.any(String), startedAt: expect.any(String) });
    expect(run).toHaveProperty('gitCommit');
    const end = JSON.parse(await fsp.readFile(path.join(reg, 'runs', `${id}.end.json`), 'utf8'));
    expect(end).toMatchObject({ exitCode: 7, endedAt: expect.any(String) });

    expect((await cli.run(['run', '--name', 'ok', '--', 'true'])).code).toBe(0);
  });

  it('a command that cannot start exits 127 and its run ends with the reason', async () => {
    const { cli } = await setup();
    const r = await cli.run(['run', '--name', 'nothing', '--', 'no-such-command-here']);
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/no-such-command-here.*ENOENT/);
  });

  it('a command killed by a signal ends the run with the signal and exits 128 + its number', async () => {
    const { reg, cli } = await setup();
    const before = new Set(await runIds(reg));
    const r = await cli.run(['run', '--name', 'killed', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(r.code).toBe(143);
    const [id] = (await runIds(reg)).filter((x) => !before.has(x));
    expect(JSON.parse(await fsp.readFile(path.join(reg, 'runs', `${id}.end.json`), 'utf8'))).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
  });

  it('SIGTERM sent to artifacts run reaches the command, and the run ends', async () => {
    const { reg, work } = await setup();
    const marker = path.join(work, 'got-term');
    const ready = path.join(work, 'ready');
    const before = new Set(await runIds(reg));
    const child = spawn(process.execPath, [CLI, '--registry', reg, 'run', '--name', 'stopped', '--', 'sh', '-c', `trap 'touch ${q(marker)}; exit 5' TERM; touch ${q(ready)}; while :; do sleep 0.05; done`], {
      stdio: 'ignore',
      env: { ...process.env, ARTIFACTS_REGISTRY: undefined },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 400 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGTERM');
    expect(await exited).toBe(5);
    expect(existsSync(marker)).toBe(true);
    const [id] = (await runIds(reg)).filter((x) => !before.has(x));
    expect(JSON.parse(await fsp.readFile(path.join(reg, 'runs', `${id}.end.json`), 'utf8'))).toMatchObject({ exitCode: 5 });
  });

  it('download then log inside artifacts run: the dataset is an input and the model an output of the one run', async () => {
    const { reg, work, cli, artifacts } = await setup();
    await writeTree(work, { 'model.bin': 'weights' });
    const script = `${artifacts} download ds:v0 --root ${q(path.join(work, 'dl'))} && ${artifacts} log ${q(path.join(work, 'model.bin'))} --name model --type model`;
    const r = await cli.run(['run', '--name', 'train', '--', 'sh', '-c', script]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('alice/demo/model:v0'); // the command's output

    const g = await cli.json<LineageGraph>(['lineage', 'model:v0']);
    const train = g.nodes.find((n) => n.kind === 'run' && n.run?.name === 'train');
    expect(train).toBeDefined();
    const runId = train!.kind === 'run' ? train!.runId : '';
    expect(g.root).toBe('version:alice/demo/model:v0');
    expect(g.edges).toContainEqual({ from: 'version:alice/demo/ds:v0', to: train!.id, kind: 'used' });
    expect(g.edges).toContainEqual({ from: train!.id, to: 'version:alice/demo/model:v0', kind: 'produced' });
    expect(existsSync(path.join(reg, 'runs', runId, 'inputs', 'alice', 'demo', 'ds', 'v0.json'))).toBe(true);
    expect(existsSync(path.join(reg, 'runs', runId, 'outputs', 'alice', 'demo', 'model', 'v0.json'))).toBe(true);
    // `show` names the run too.
    expect((await cli.ok(['show', 'model:v0'])).stdout).toContain("download ds:v0");

    // Downstream from the dataset, as text and DOT.
    const text = (await cli.ok(['lineage', 'ds:v0', '--depth', '1'])).stdout;
    expect(text).toMatch(/^alice\/demo\/ds:v0 {2}\[dataset · latest\]/);
    expect(text).toMatch(/used by run train \(started .*exit code 0\)/);
    expect(text).toContain('which logged alice/demo/model:v0  [model · latest]');
    const dot = (await cli.ok(['lineage', 'ds:v0', '--dot'])).stdout;
    expect(dot).toMatch(/^digraph lineage \{/);
    expect(dot).toContain(`"version:alice/demo/ds:v0" -> "${train!.id}" [label="used"];`);
    expect(dot).toContain(`"${train!.id}" -> "version:alice/demo/model:v0" [label="produced"];`);
    expect(dot.trim().endsWith('}')).toBe(true);
  });

  it('lineage: bad usage exits 2 with one line', async () => {
    const { cli } = await setup();
    const both = await cli.run(['lineage', 'ds:v0', '--dot', '--json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json and --dot/);
    const depth = await cli.run(['lineage', 'ds:v0', '--depth', 'lots']);
    expect(depth.code).toBe(2);
    expect(depth.stderr).toMatch(/--depth/);
    expect((await cli.run(['lineage', 'nope:v0'])).code).toBe(2);
    const env = await cli.run(['log', '/etc/hostname', '--name', 'x', '--type', 'dataset'], { env: { ARTIFACTS_RUN: 'a/b' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/ARTIFACTS_RUN/);
  });
});
