// Reflinks: on a filesystem that clones (a loop-mounted XFS image here), logging a large file and
// downloading it share the file's blocks instead of writing them again. Needs root, mkfs.xfs and
// loop devices (.ci/run installs xfsprogs); without them the test says so and skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, promises as fsp, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../src/registry/registry';

const work = path.join(tmpdir(), `artifacts-reflink-${process.pid}`);
const image = path.join(work, 'xfs.img');
const mnt = path.join(work, 'mnt');
let mounted = false;
let why = '';

/** Bytes in use on the filesystem of `dir`. */
function used(dir: string): number {
  const s = statfsSync(dir);
  return (s.blocks - s.bfree) * s.bsize;
}

beforeAll(() => {
  if (process.getuid?.() !== 0) return void (why = 'not root');
  if (spawnSync('sh', ['-c', 'command -v mkfs.xfs']).status !== 0) return void (why = 'mkfs.xfs is not installed (apt-get install xfsprogs)');
  mkdirSync(mnt, { recursive: true });
  execFileSync('truncate', ['-s', '512M', image]);
  execFileSync('mkfs.xfs', ['-q', '-m', 'reflink=1', image]);
  const m = spawnSync('mount', ['-o', 'loop', image, mnt], { encoding: 'utf8' });
  if (m.status !== 0) return void (why = `cannot mount a loop device here: ${m.stderr.trim()}`);
  mounted = true;
});

afterAll(() => {
  if (mounted) spawnSync('umount', [mnt]);
  rmSync(work, { recursive: true, force: true });
});

describe('reflinks', () => {
  it('a 64 MiB file is logged and downloaded as clones on XFS: the used space grows by far less than its size', async (ctx) => {
    if (!mounted) {
      console.warn(`reflink test skipped: ${why}`);
      return ctx.skip();
    }
    const data = path.join(mnt, 'data');
    mkdirSync(data);
    const bytes = randomBytes(64 << 20);
    await fsp.writeFile(path.join(data, 'weights.bin'), bytes);
    execFileSync('sync');
    const reg = new Registry({ root: path.join(mnt, 'reg'), entity: 'e', project: 'p' });
    const before = used(mnt);
    const draft = reg.newArtifact('model', 'model');
    await draft.addDir(data);
    const { artifact } = await reg.log(draft);
    execFileSync('sync');
    const afterLog = used(mnt);
    const out = path.join(mnt, 'out');
    await artifact.download(out);
    execFileSync('sync');
    const afterDownload = used(mnt);
    expect((await fsp.readFile(path.join(out, 'weights.bin'))).equals(bytes)).toBe(true);
    expect(afterLog - before).toBeLessThan(8 << 20);
    expect(afterDownload - afterLog).toBeLessThan(8 << 20);
  });
});
