// `artifacts status` and `artifacts commit` on folders that `download` and `checkout` track, run as the built CLI.
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliIn } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it)`);
});

async function setup() {
  const registry = tempDir();
  const cli = cliIn(registry);
  const data = tempDir();
  await writeTree(data, { 'a.txt': 'alpha', 'sub/b.txt': 'beta' });
  await cli.ok(['log', data, '--name', 'ds', '--type', 'dataset']);
  const work = path.join(tempDir(), 'work');
  await cli.ok(['download', 'ds:v0', '--root', work]);
  return { registry, cli, work };
}

describe('artifacts status', () => {
  it('download tracks the folder; status prints the version, M/A/D lines, and exits 1 when it differs', async () => {
    const { registry, cli, work } = await setup();
    const tracking = JSON.parse(await fsp.readFile(path.join(work, '.artifact.json'), 'utf8'));
    expect(tracking).toMatchObject({ format: 'artifacts-tracking-v1', entity: 'alice', project: 'demo', collection: 'ds', version: 'v0', registry });
    const clean = await cli.run(['status', work]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`${work} tracks alice/demo/ds:v0`);
    await fsp.writeFile(path.join(work, 'a.txt'), 'ALPHA');
    await writeTree(work, { 'new.txt': 'n' });
    await fsp.rm(path.join(work, 'sub/b.txt'));
    const changed = await cli.run(['status'], { cwd: path.join(work, 'sub') });
    expect(changed.code).toBe(1);
    expect(changed.stdout.split('\n').filter((l) => /^[MAD] /.test(l))).toEqual(['M  a.txt', 'A  new.txt', 'D  sub/b.txt']);
    const json = await cli.run(['status', work, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ root: work, ref: 'alice/demo/ds:v0', clean: false, modified: ['a.txt'], added: ['new.txt'], deleted: ['sub/b.txt'] });
  });

  it('a folder that is not tracked, or a damaged tracking file, is exit 2 with one line', async () => {
    const { cli, work } = await setup();
    const plain = await cli.run(['status', tempDir()]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^artifacts: error: .* is not a tracked folder/);
    await fsp.writeFile(path.join(work, '.artifact.json'), '{"format":"artifacts-tracking-v1"}');
    const damaged = await cli.run(['status', work]);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/is damaged: entity is missing/);
  });

  it('checkout tracks the version it made the folder equal to, and keeps the tracking file', async () => {
    const { cli, work } = await setup();
    const other = tempDir();
    await writeTree(other, { 'only.txt': 'o' });
    await cli.ok(['log', other, '--name', 'ds', '--type', 'dataset']);
    const dry = await cli.json<{ delete: string[] }>(['checkout', 'ds:v1', '--root', work, '--dry-run']);
    expect(dry.delete).toEqual(['a.txt', 'sub/b.txt']);
    await cli.ok(['checkout', 'ds:v1', '--root', work, '--yes']);
    expect(JSON.parse(await fsp.readFile(path.join(work, '.artifact.json'), 'utf8')).version).toBe('v1');
    expect((await cli.run(['status', work])).code).toBe(0);
    expect((await cli.run(['verify', 'ds:v1', '--root', work])).code).toBe(0);
  });
});

describe('artifacts commit', () => {
  it('logs the tracked folder as the next version with the message and aliases, then tracks it', async () => {
    const { cli, work } = await setup();
    await fsp.writeFile(path.join(work, 'a.txt'), 'ALPHA');
    const r = await cli.json<Record<string, unknown>>(['commit', work, '-m', 'capitals', '--alias', 'best', '--alias', 'candidate']);
    expect(r).toMatchObject({ ref: 'alice/demo/ds:v1', previous: 'alice/demo/ds:v0', version: 'v1', aliases: ['latest', 'best', 'candidate'], description: 'capitals', fileCount: 2, deduplicated: false });
    expect(JSON.parse(await fsp.readFile(path.join(work, '.artifact.json'), 'utf8'))).toMatchObject({ version: 'v1', digest: r.digest });
    expect((await cli.run(['status', work])).code).toBe(0);
    const show = await cli.json<Record<string, unknown>>(['show', 'ds:best']);
    expect(show).toMatchObject({ version: 'v1', description: 'capitals', fileCount: 2 });
    const again = await cli.run(['commit', work]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/Nothing to commit/);
    const text = await cli.run(['commit', path.join(tempDir(), 'missing')]);
    expect(text.code).toBe(2);
  });
});
