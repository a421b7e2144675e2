import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSealed, sealTimes } from '../../src/core/blob-seal';
import { tempDir } from '../support/tmp';

async function sealedFile() {
  const file = path.join(tempDir(), 'blob');
  await fsp.writeFile(file, 'bytes');
  const { atime, mtime } = sealTimes();
  await fsp.utimes(file, atime, mtime);
  return file;
}

describe('blob seals (ctime - mtime)', () => {
  it('a freshly sealed file is sealed; a plain new file is not', async () => {
    expect(isSealed(await fsp.stat(await sealedFile()))).toBe(true);
    const plain = path.join(tempDir(), 'plain');
    await fsp.writeFile(plain, 'bytes');
    expect(isSealed(await fsp.stat(plain))).toBe(false);
  });

  it('any later write breaks the seal, even one that keeps the size', async () => {
    const file = await sealedFile();
    await fsp.writeFile(file, 'BYTES');
    expect(isSealed(await fsp.stat(file))).toBe(false);
  });

  it('setting the timestamps back by hand does not restore it (ctime moves on)', async () => {
    const file = await sealedFile();
    const before = await fsp.stat(file);
    await new Promise((r) => setTimeout(r, 1200));
    await fsp.writeFile(file, 'BYTES');
    await fsp.utimes(file, before.atime, before.mtime);
    expect(isSealed(await fsp.stat(file))).toBe(false);
  });
});
