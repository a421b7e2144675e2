// The crash and concurrency suites of "Never lose what was reported saved", at counts that fit CI
// (npm test); `npm run stress` runs them longer (STRESS=1). Real processes on one real registry.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/registry/registry';
import { CLI } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

const STRESS = process.env.STRESS === '1';
const KILL_TRIALS = STRESS ? 500 : 100;
const WRITERS = 8;
const LOGS_EACH = STRESS ? 60 : 20;

function run(reg: string, args: string[], { killAfterMs }: { killAfterMs?: number } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--registry', reg, '--entity', 'alice', '--project', 'demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Every committed version is whole and every alias leads somewhere: fsck finds nothing. */
async function expectSound(reg: string): Promise<number> {
  const registry = new Registry({ root: reg, entity: 'alice', project: 'demo' });
  const report = await registry.fsck();
  expect(report.problems).toEqual([]);
  let versions = 0;
  for await (const c of registry.allCollections()) versions += c.versionCount;
  return versions;
}

describe('crash safety', () => {
  it(`${KILL_TRIALS} SIGKILLs at random moments during log, download, checkout, edits and gc leave no half version`, { timeout: 600_000 }, async () => {
    const reg = tempDir();
    const data = tempDir();
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}.bin`, `${i} `.repeat(500)]));
    await writeTree(data, files);
    expect((await run(reg, ['log', data, '--name', 'ds', '--type', 'dataset'])).code).toBe(0);
    const roots = tempDir();
    let killed = 0;
    for (let t = 0; t < KILL_TRIALS; t++) {
      await writeTree(data, { 'trial.txt': String(t) });
      const root = path.join(roots, `r${t % 5}`);
      const op = [
        ['log', data, '--name', 'ds', '--type', 'dataset', '--alias', `t${t % 3}`],
        ['download', 'ds', '--root', root],
        ['checkout', 'ds', '--root', root, '--yes'],
        ['alias', 'add', 'ds:v0', `a${t % 4}`],
        ['tag', 'add', 'ds', `tag${t % 3}`],
        ['delete', `ds:v${Math.max(1, t % 7)}`, '--delete-aliases'],
        ['gc', '--min-age', '0'],
      ][t % 7]!;
      const r = await run(reg, op, { killAfterMs: 20 + ((t * 37) % 400) });
      if (r.signal === 'SIGKILL') killed += 1;
      else if (r.code !== 0) expect(r.stderr, op.join(' ')).not.toMatch(/unexpected error/);
      if (t % 25 === 24) await expectSound(reg);
    }
    expect(killed).toBeGreaterThan(KILL_TRIALS / 3);
    await expectSound(reg);
    // Nothing was written anywhere but the registry's own folders and the download roots.
    expect(readdirSync(roots).every((n) => /^r[0-4]$/.test(n))).toBe(true);
    const known = new Set(['objects', 'manifests', 'entities', 'runs', 'uses', 'pins', 'gc', 'tmp', 'trash', 'checksums', 'staging', 'hashcache']);
    expect(readdirSync(reg).filter((n) => !known.has(n))).toEqual([]);
    // The registry still works.
    expect((await run(reg, ['log', data, '--name', 'after', '--type', 'dataset'])).code).toBe(0);
    const check = path.join(tempDir(), 'check');
    expect((await run(reg, ['checkout', 'after', '--root', check, '--yes'])).code).toBe(0);
    expect((await run(reg, ['verify', 'after', '--root', check])).code).toBe(0);
  });
});

describe('many writers at once', () => {
  it(`${WRITERS} processes × ${LOGS_EACH} logs into one collection, with gc and cache cleanup running in a loop, give ${WRITERS * LOGS_EACH} distinct versions, all whole`, { timeout: 600_000 }, async () => {
    const reg = tempDir();
    let stop = false;
    const loops = [
      ['gc', '--min-age', '0'],
      ['cache', 'cleanup', '0', '--min-age', '0'],
    ].map(async (args) => {
      let runs = 0;
      while (!stop) {
        const r = await run(reg, args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        runs += 1;
      }
      return runs;
    });
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const dir = tempDir();
      const refs: string[] = [];
      for (let i = 0; i < LOGS_EACH; i++) {
        await writeTree(dir, { 'who.txt': `writer ${w} log ${i}`, 'shared.txt': 'the same bytes in every version', [`w${w}/n${i}.txt`]: String(i) });
        const r = await run(reg, ['--json', 'log', dir, '--name', 'race', '--type', 'dataset']);
        expect(r.code, r.stderr).toBe(0);
        refs.push((JSON.parse(r.stdout) as { ref: string }).ref);
      }
      return refs;
    });
    const refs = (await Promise.all(writers)).flat();
    stop = true;
    const [gcRuns, cleanupRuns] = await Promise.all(loops);
    expect(gcRuns).toBeGreaterThan(0);
    expect(cleanupRuns).toBeGreaterThan(0);
    expect(new Set(refs).size).toBe(WRITERS * LOGS_EACH);
    expect(await expectSound(reg)).toBe(WRITERS * LOGS_EACH);
  });
});
