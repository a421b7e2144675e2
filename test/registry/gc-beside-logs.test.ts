/**
 * gc on a shared registry while others log, on a folder and on the real servers. gc runs in a loop
 * with no grace period at all (only pins and the fresh live set protect a log) while writer
 * processes log versions that reuse blobs gc sees as garbage; every version committed during the
 * run must keep every blob it needs. And with the grace period, nothing younger is removed.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { blobKey } from '../../src/registry/layout';
import type { Registry } from '../../src/registry/registry';
import { CLI } from '../support/cli';
import { describeEachStore, registryAt } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

const WRITER = path.resolve(__dirname, '../support/log-versions.cjs');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function logTree(reg: Registry, name: string, files: Record<string, string>) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, 'dataset');
  await a.addDir(dir);
  return reg.log(a);
}

describeEachStore('gc beside logs', (kind) => {
  it('gc in a loop with no grace period beside 3 writers: every committed version keeps its blobs', async () => {
    const location = kind.location();
    const reg = registryAt(kind, location);
    // Garbage that the writers bring back to life: `shared.txt` of a deleted version.
    const { artifact } = await logTree(reg, 'gc-race', { 'shared.txt': 'the same in every version', 'old.txt': 'garbage' });
    await artifact.delete({ deleteAliases: true });
    const env = { ...kind.env, ARTIFACTS_REGISTRY: tempDir('artifacts-home-') };
    const writers = Array.from({ length: 3 }, (_, w) => run([WRITER, location, 'gc-race', '5', `w${w}`], env));
    let stop = false;
    let gcRuns = 0;
    const collector = (async () => {
      while (!stop) {
        const r = await run([CLI, '--registry', location, '--entity', 'alice', '--project', 'demo', 'gc', '--min-age', '0', '--json'], env);
        expect(r.code, r.stderr).toBe(0);
        gcRuns += 1;
      }
    })();
    const results = await Promise.all(writers);
    stop = true;
    await collector;
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(gcRuns).toBeGreaterThan(1);
    // One more gc with the writers gone: still nothing a live version needs goes.
    await run([CLI, '--registry', location, '--entity', 'alice', '--project', 'demo', 'gc', '--min-age', '0'], env);
    const refs = results.flatMap((r) => r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { ref: string }).ref));
    expect(refs).toHaveLength(15);
    const fresh = registryAt(kind, location);
    for (const ref of refs) {
      const a = await fresh.get(ref);
      for (const e of a.manifest.entries()) expect(await fresh.store.head(blobKey(e.digest)), `${ref} ${e.path}`).toBeDefined();
    }
    const out = tempDir();
    const last = await fresh.get(refs[refs.length - 1]!);
    await last.download(out);
    expect((await last.verify(out)).ok).toBe(true);
  }, 240_000);

  it('nothing younger than the grace period is removed', async () => {
    const reg = registryAt(kind, kind.location());
    const { artifact } = await logTree(reg, 'young', { 'a.txt': 'unreferenced but young' });
    await artifact.delete({ deleteAliases: true });
    const report = await reg.gc({ graceMs: 60 * 60 * 1000 });
    expect([report.deletedBlobs, report.deletedManifests]).toEqual([0, 0]);
    expect(await reg.store.head(blobKey(artifact.manifest.get('a.txt')!.digest))).toBeDefined();
    // Once older than the grace period (seen from an hour later), it goes.
    const later = await reg.gc({ graceMs: 60 * 60 * 1000, at: Date.now() + 2 * 60 * 60 * 1000 });
    expect(later.deletedBlobs).toBe(1);
  });
});
