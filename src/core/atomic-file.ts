/**
 * Small files that several processes share (download records, hash caches): each is written to a
 * temp file beside it and renamed, so a reader sees the old or the new file, never half of one. A
 * process killed between the two leaves its temp file; the next writer in the folder removes the
 * temp files of processes that are gone.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

const TEMP_RE = /\.tmp-(\d+)-[0-9a-f]{8}$/;

/** True while a process with this id runs on this machine (EPERM: it runs as someone else). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `file` through a temp file and a rename; on failure nothing is left behind and it throws. */
export async function writeFileAtomically(file: string, data: string | Buffer | Iterable<string>): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(tmp, data);
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Removes the temp files in `dir` that processes now gone left there. */
export async function sweepDeadTemps(dir: string): Promise<void> {
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    const pid = TEMP_RE.exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}
