// The hashing threads on real files around the 1 MiB boundary where they switch from reading a
// file whole to cloning and streaming it: every size gives the right digest and a whole staged copy.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPool } from '../../src/core/hashing/pool';
import { tempDir } from '../support/tmp';

const MiB = 1 << 20;
const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5];

describe('hash pool', () => {
  it.each(SIZES)('a file of %i bytes: hashed, staged and copied back byte for byte', async (size) => {
    const dir = tempDir();
    const bytes = randomBytes(size);
    const file = path.join(dir, 'f.bin');
    await fsp.writeFile(file, bytes);
    const md5 = createHash('md5').update(bytes).digest('base64');
    const [plain] = await hashPool().hashAll([{ file }]);
    expect(plain).toMatchObject({ digest: md5, size });
    const [staged] = await hashPool().hashAll([{ file, stageDir: path.join(dir, 'stage'), identify: true }]);
    expect(staged).toMatchObject({ digest: md5, size });
    expect(staged!.id?.[0]).toBe(size);
    expect((await fsp.readFile(staged!.stagedPath!)).equals(bytes)).toBe(true);
    const dest = path.join(dir, 'out.bin');
    const [copied] = await hashPool().copyAll([{ op: 'copy', src: staged!.stagedPath!, dest, expect: md5 }]);
    expect(copied!.stat!.size).toBe(size);
    expect((await fsp.readFile(dest)).equals(bytes)).toBe(true);
  });

  it('many files in one job come back in order; a missing one fails the job naming its index', async () => {
    const dir = tempDir();
    const files = await Promise.all(Array.from({ length: 300 }, async (_, i) => {
      const f = path.join(dir, `f${i}`);
      await fsp.writeFile(f, `file ${i}`);
      return f;
    }));
    const results = await hashPool().hashAll(files.map((file) => ({ file })));
    expect(results.map((r) => r.digest)).toEqual(files.map((_, i) => createHash('md5').update(`file ${i}`).digest('base64')));
    await fsp.rm(files[217]!);
    await expect(hashPool().hashAll(files.map((file) => ({ file })))).rejects.toMatchObject({ code: 'ENOENT', index: 217 });
  });
});
