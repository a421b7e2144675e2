// Issue "Never lose what was reported saved": each data-loss case reproduced with real processes on
// a real registry folder. Every version a log reports saved must stay whole, whatever ran beside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { b64ToHex } from '../../src/core/digest';
import { CLI, cliIn } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = tempDir();
  await writeTree(dir, files);
  return dir;
}

function start(reg: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, '--registry', reg, '--entity', 'alice', '--project', 'demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

/** Every blob of the version is in the store and `verify` of a fresh download passes. */
async function expectWhole(reg: string, ref: string): Promise<void> {
  const cli = cliIn(reg);
  const manifest = JSON.parse((await cli.ok(['manifest', ref])).stdout) as { contents: Record<string, { digest: string }> };
  const missing = Object.entries(manifest.contents).filter(([, e]) => {
    const hex = b64ToHex(e.digest);
    return !existsSync(path.join(reg, 'objects', 'md5', hex.slice(0, 2), hex.slice(2)));
  });
  expect(missing.map(([p]) => p), `${ref}: blobs missing`).toEqual([]);
  const root = tempDir();
  await cli.ok(['download', ref, '--root', root]);
  await cli.ok(['verify', ref, '--root', root]);
}

function isStopped(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('T');
  } catch {
    return false;
  }
}

describe('deletion beside logs', () => {
  it('cache cleanup running in a loop beside a log never takes the new version’s blobs', async () => {
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}.txt`, `file ${i} `.repeat(50)]));
    for (let trial = 0; trial < 4; trial++) {
      const reg = tempDir();
      const cli = cliIn(reg);
      const dir = await dataDir({ ...files, 'trial.txt': String(trial) });
      // Cleanup with no grace period at all: only pins and announcements protect the log.
      const cleaners = Array.from({ length: 3 }, () => start(reg, ['cache', 'cleanup', '0', '--min-age', '0']));
      const log = await cli.json<{ ref: string }>(['log', dir, '--name', 'c', '--type', 'dataset']);
      for (let k = 0; k < 3; k++) await start(reg, ['cache', 'cleanup', '0', '--min-age', '0']).done;
      for (const c of cleaners) {
        const r = await c.done;
        expect(r.code, r.stderr).toBe(0);
      }
      await expectWhole(reg, log.ref);
    }
  });

  it('gc running beside a log that re-adds the content of a deleted version keeps what the new version needs', async () => {
    const files = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x${i}.bin`, `payload ${i} `.repeat(40)]));
    for (let trial = 0; trial < 3; trial++) {
      const reg = tempDir();
      const cli = cliIn(reg);
      const dir = await dataDir(files);
      await cli.ok(['log', dir, '--name', 'x', '--type', 'dataset']);
      await cli.ok(['delete', 'x:v0', '--delete-aliases']);
      // gc with no grace period, over and over, while X is logged again.
      let stop = false;
      const gcLoop = (async () => {
        while (!stop) {
          const r = await start(reg, ['gc', '--min-age', '0']).done;
          expect(r.code, r.stderr).toBe(0);
        }
      })();
      await new Promise((r) => setTimeout(r, 50 + trial * 80));
      const again = await cli.json<{ ref: string; version: string }>(['log', dir, '--name', 'x', '--type', 'dataset']);
      stop = true;
      await gcLoop;
      await start(reg, ['gc', '--min-age', '0']).done;
      expect(again.version).toBe('v1');
      await expectWhole(reg, again.ref);
    }
  });
});

describe('a writer stalled in the middle of a change', () => {
  it('cannot erase a version another process committed meanwhile (SIGSTOP between read and swap)', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'zero' }), '--name', 'm', '--type', 'model']);
    const stalled = start(reg, ['alias', 'add', 'm:v0', 'golden'], { ARTIFACTS_PAUSE_AT: 'before-swap' });
    for (let i = 0; i < 200 && !isStopped(stalled.child.pid!); i++) await new Promise((r) => setTimeout(r, 25));
    expect(isStopped(stalled.child.pid!)).toBe(true);
    const v1 = await cli.json<{ ref: string; version: string }>(['log', await dataDir({ 'a.txt': 'one' }), '--name', 'm', '--type', 'model']);
    expect(v1.version).toBe('v1');
    stalled.child.kill('SIGCONT');
    const r = await stalled.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/ECOMPROMISED|\n\s+at /);
    const versions = await cli.json<Array<{ version: string; aliases: string[] }>>(['ls', 'alice/demo/m']);
    expect(versions.map((v) => [v.version, v.aliases])).toEqual([
      ['v1', ['latest']],
      ['v0', ['golden']],
    ]);
    await expectWhole(reg, 'm:v1');
  });
});
