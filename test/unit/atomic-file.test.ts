// Shared small files: written whole through a rename; temp files of killed writers swept.
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive, sweepDeadTemps, writeFileAtomically } from '../../src/core/atomic-file';
import { tempDir } from '../support/tmp';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('atomic files', () => {
  it('writes the whole file and leaves no temp file, also in a folder that does not exist yet', async () => {
    const dir = path.join(tempDir(), 'a', 'b');
    await writeFileAtomically(path.join(dir, 'r.json'), '{"x":1}');
    expect(await fsp.readdir(dir)).toEqual(['r.json']);
    expect(await fsp.readFile(path.join(dir, 'r.json'), 'utf8')).toBe('{"x":1}');
  });

  it('throws and leaves nothing when the file cannot be written', async () => {
    const dir = tempDir();
    await fsp.mkdir(path.join(dir, 'r.json')); // a folder where the file goes
    await expect(writeFileAtomically(path.join(dir, 'r.json'), 'x')).rejects.toThrow();
    expect(await fsp.readdir(dir)).toEqual(['r.json']);
  });

  it('sweeps the temp files of processes that are gone, keeps live ones and other files', async () => {
    const dir = tempDir();
    const dead = deadPid();
    expect(processAlive(dead)).toBe(false);
    expect(processAlive(process.pid)).toBe(true);
    const names = ['r.json', `r.json.tmp-${dead}-0123abcd`, `r.json.tmp-${process.pid}-0123abcd`, 'notes.tmp-x'];
    for (const n of names) await fsp.writeFile(path.join(dir, n), '');
    await sweepDeadTemps(dir);
    expect((await fsp.readdir(dir)).sort()).toEqual(['notes.tmp-x', 'r.json', `r.json.tmp-${process.pid}-0123abcd`].sort());
  });
});
