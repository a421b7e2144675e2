import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { b64ToHex, md5B64 } from '../../src/core/digest';
import { cliIn } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

async function setup() {
  const reg = tempDir();
  const cli = cliIn(reg);
  const data = tempDir();
  await writeTree(data, { 'a.txt': 'A', 'sub/b.txt': 'B' });
  await cli.ok(['log', data, '--name', 'ds', '--type', 'dataset']);
  await writeTree(data, { 'sub/b.txt': 'B2', 'c.txt': 'C' });
  await cli.ok(['log', data, '--name', 'ds', '--type', 'dataset']);
  return { reg, cli, data };
}

describe('download / file', () => {
  it('downloads into ./artifacts/<collection>-vN by default, then writes nothing the second time', async () => {
    const { cli } = await setup();
    const cwd = tempDir();
    const first = await cli.json<{ root: string; written: string[]; unchanged: number }>(['download', 'ds:v0'], { cwd });
    expect(first.root).toBe(path.join(cwd, 'artifacts', 'ds-v0'));
    expect(first.written.sort()).toEqual(['a.txt', 'sub/b.txt']);
    const second = await cli.json<{ written: string[]; unchanged: number }>(['download', 'ds:v0'], { cwd });
    expect(second).toMatchObject({ written: [], unchanged: 2 });
    const text = await cli.ok(['download', 'ds:v0', '--root', path.join(cwd, 'x'), '--path-prefix', 'sub/']);
    expect(text.stdout).toMatch(/1 written/);
    expect(existsSync(path.join(cwd, 'x', 'a.txt'))).toBe(false);
  });

  it('file prints the path of a single-file version and refuses several files', async () => {
    const { cli } = await setup();
    const single = tempDir();
    await writeTree(single, { 'model.bin': 'w' });
    await cli.ok(['log', `${single}/model.bin`, '--name', 'model', '--type', 'model']);
    const root = tempDir();
    expect((await cli.ok(['file', 'model:latest', '--root', root])).stdout.trim()).toBe(path.join(root, 'model.bin'));
    const many = await cli.run(['file', 'ds:v1']);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/has 3 files.*download/);
  });

  it('reports a corrupted stored file with exit 2 and writes nothing', async () => {
    const { cli, reg } = await setup();
    const hex = b64ToHex(md5B64('A'));
    const blob = path.join(reg, 'objects', 'md5', hex.slice(0, 2), hex.slice(2));
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'Z');
    const root = tempDir();
    const r = await cli.run(['download', 'ds:v0', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^artifacts: error: Corrupted object objects\/md5\//);
    expect(existsSync(path.join(root, 'a.txt'))).toBe(false);
  });
});

describe('verify / checkout / diff', () => {
  it('verify exits 0 on a match and 1 with the differing paths otherwise', async () => {
    const { cli } = await setup();
    const root = tempDir();
    await cli.ok(['download', 'ds:v1', '--root', root]);
    const ok = await cli.run(['verify', 'ds:v1', '--root', root]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK: /m);
    await writeTree(root, { 'a.txt': 'changed', 'extra.txt': 'x' });
    await fsp.rm(path.join(root, 'c.txt'));
    const bad = await cli.run(['verify', 'ds:v1', '--root', root]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^missing +c\.txt$/m);
    expect(bad.stdout).toMatch(/^modified +a\.txt$/m);
    expect(bad.stdout).toMatch(/^extra +extra\.txt$/m);
    const json = await cli.run(['verify', 'ds:v1', '--root', root, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, missing: ['c.txt'], modified: ['a.txt'], extra: ['extra.txt'], referencesSkipped: 0 });
  });

  it('checkout lists what it would delete, asks for --yes, and then makes the folder equal', async () => {
    const { cli } = await setup();
    const root = tempDir();
    await writeTree(root, { 'mine.txt': 'precious', 'a.txt': 'old' });
    const dry = await cli.json<{ delete: string[] }>(['checkout', 'ds:v1', '--root', root, '--dry-run']);
    expect(dry.delete).toEqual(['mine.txt']);
    const refused = await cli.run(['checkout', 'ds:v1', '--root', root]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/mine\.txt/);
    expect(refused.stderr).toMatch(/without --yes/);
    expect(await fsp.readFile(path.join(root, 'mine.txt'), 'utf8')).toBe('precious');
    const done = await cli.json<{ deleted: string[] }>(['checkout', 'ds:v1', '--root', root, '--yes']);
    expect(done.deleted).toEqual(['mine.txt']);
    expect((await cli.run(['verify', 'ds:v1', '--root', root])).code).toBe(0);
  });

  it('diff of two versions and of a version with a folder; exit 1 when they differ, 0 when equal', async () => {
    const { cli, data } = await setup();
    const d = await cli.run(['diff', 'ds:v0', 'ds:v1', '--json']);
    expect(d.code).toBe(1);
    const j = JSON.parse(d.stdout);
    expect(j.added.map((e: { path: string }) => e.path)).toEqual(['c.txt']);
    expect(j.modified.map((e: { path: string }) => e.path)).toEqual(['sub/b.txt']);
    expect(j).toMatchObject({ removed: [], unchangedCount: 1, sizeChange: 2 });
    const text = await cli.run(['diff', 'ds:v0', 'ds:v1']);
    expect(text.stdout).toMatch(/^A  c\.txt/m);
    expect(text.stdout).toMatch(/^M  sub\/b\.txt \(1 B → 2 B\)$/m);
    expect((await cli.run(['diff', 'ds:v1', data])).code).toBe(0);
    expect((await cli.run(['diff', 'ds:v1', 'ds:latest'])).code).toBe(0);
  });
});

describe('cache', () => {
  it('cache info and cleanup', async () => {
    const { cli } = await setup();
    const info = await cli.json<{ files: number; liveFiles: number }>(['cache', 'info']);
    expect(info).toMatchObject({ files: 4, liveFiles: 4 });
    await cli.ok(['delete', 'ds:v1', '--delete-aliases']);
    const after = await cli.json<{ files: number; liveFiles: number }>(['cache', 'info']);
    expect(after).toMatchObject({ files: 4, liveFiles: 2 });
    const kept = await cli.json(['cache', 'cleanup', '0']);
    expect(kept).toMatchObject({ removedFiles: 0, reachedTarget: false }); // all younger than an hour
    const cleaned = await cli.json(['cache', 'cleanup', '0', '--min-age', '0']);
    expect(cleaned).toMatchObject({ removedFiles: 2, reachedTarget: false });
    expect((await cli.run(['cache', 'cleanup', 'lots'])).stderr).toMatch(/Invalid size/);
    const root = tempDir();
    await cli.ok(['download', 'ds:v0', '--root', root]);
  });
});
