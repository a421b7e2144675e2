/**
 * Races between processes on one registry, on a folder and on the real servers (S3 on Ceph, Azure on
 * Azurite): concurrent logs into one collection all get versions of their own, concurrent alias
 * moves leave the alias on exactly one version, and a writer killed in the middle of its upload
 * leaves no half version behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectionKey } from '../../src/registry/layout';
import { openStoreLazily } from '../../src/store/lazy-store';
import { CLI, runCli } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { describeEachStore, registryAt, type StoreKind } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

const WRITER = path.resolve(__dirname, '../support/log-versions.cjs');

function run(cmd: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, cmd, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** The collection document as stored (no cache in between). */
async function documentOf(kind: StoreKind, location: string, collection: string) {
  const store = openStoreLazily(location, { ...process.env, ...kind.env });
  const obj = await store.get(collectionKey({ entity: 'alice', project: 'demo', collection }));
  return obj && (JSON.parse(obj.body.toString('utf8')) as { versions: Array<{ index: number; state: string; digest: string }>; aliases: Record<string, number> });
}

describeEachStore('races', (kind) => {
  const env = () => ({ ...kind.env, ARTIFACTS_REGISTRY: tempDir('artifacts-home-') });

  it('8 processes logging 10 versions each into one collection get 80 distinct versions', async () => {
    const location = kind.location();
    const writers = Array.from({ length: 8 }, (_, w) => run([WRITER, location, 'race', '10', String(w)], env()));
    const results = await Promise.all(writers.map((w) => w.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const refs = results.flatMap((r) => r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { ref: string }).ref));
    expect(refs).toHaveLength(80);
    expect(new Set(refs).size).toBe(80);
    const doc = (await documentOf(kind, location, 'race'))!;
    expect(doc.versions.map((v) => v.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(new Set(doc.versions.map((v) => v.digest)).size).toBe(80);
    expect(doc.aliases.latest).toBe(79);
    // Every version is whole.
    const reg = registryAt(kind, location);
    for (const ref of [refs[0]!, refs[41]!, refs[79]!]) {
      const out = tempDir();
      const a = await reg.get(ref);
      await a.download(out);
      expect((await a.verify(out)).ok).toBe(true);
    }
  }, 240_000);

  it('8 processes moving one alias leave it on exactly one version', async () => {
    const location = kind.location();
    const seed = run([WRITER, location, 'moved', '8', 'seed'], env());
    expect((await seed.done).code).toBe(0);
    const e = env();
    const movers = Array.from({ length: 8 }, (_, i) =>
      run([CLI, '--registry', location, '--entity', 'alice', '--project', 'demo', 'alias', 'add', `moved:v${i}`, 'champion'], e),
    );
    const results = await Promise.all(movers.map((m) => m.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const doc = (await documentOf(kind, location, 'moved'))!;
    const holder = doc.aliases.champion;
    expect(holder).toBeGreaterThanOrEqual(0);
    expect(holder).toBeLessThan(8);
    const reg = registryAt(kind, location);
    const holders = (await reg.listVersions({ entity: 'alice', project: 'demo', collection: 'moved' })).filter((a) => a.aliases.includes('champion'));
    expect(holders.map((a) => a.version)).toEqual([`v${holder}`]);
  }, 120_000);

  describeKilledWriter(kind, env);
});

/** A writer killed in the middle of its upload (seen through a proxy in front of the server). */
function describeKilledWriter(kind: StoreKind, env: () => Record<string, string>): void {
  if (!kind.remote) {
    it('a writer killed mid-upload leaves no version, and the next log succeeds', async () => {
      const location = kind.location();
      const data = tempDir();
      await writeTree(data, Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}.bin`, `${i} `.repeat(20_000)])));
      const e = env();
      const w = run([CLI, '--registry', location, '--entity', 'alice', '--project', 'demo', 'log', data, '--name', 'big', '--type', 'dataset'], { ...e, ARTIFACTS_CRASH_AT: 'after-manifest' });
      expect((await w.done).code).toBeNull();
      expect(await documentOf(kind, location, 'big')).toBeUndefined();
      const next = await runCli(['--registry', location, '--entity', 'alice', '--project', 'demo', 'log', data, '--name', 'big', '--type', 'dataset', '--json'], { env: e });
      expect(next.code, next.stderr).toBe(0);
      expect(JSON.parse(next.stdout).version).toBe('v0');
    });
    return;
  }
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(kind.target!);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('a writer killed mid-upload leaves no visible half version, and the next log succeeds', async () => {
    const location = kind.location();
    const viaProxy = kind.via(location, proxy.url);
    const data = tempDir();
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}.bin`, `${i} `.repeat(50_000)]));
    await writeTree(data, files);
    const e = env();
    proxy.clear();
    const w = run([CLI, '--registry', viaProxy, '--entity', 'alice', '--project', 'demo', 'log', data, '--name', 'big', '--type', 'dataset'], e);
    const isBlobPut = () => proxy.seen.filter((r) => r.method === 'PUT' && r.url.includes('/objects/md5/')).length;
    for (let t = 0; isBlobPut() < 10 && t < 600; t++) await new Promise((r) => setTimeout(r, 10));
    expect(isBlobPut()).toBeGreaterThanOrEqual(10);
    w.child.kill('SIGKILL');
    await w.done;
    expect(isBlobPut()).toBeLessThan(60); // it really died in the middle
    expect(await documentOf(kind, location, 'big')).toBeUndefined();
    const listed = await runCli(['--registry', location, '--entity', 'alice', '--project', 'demo', 'ls', 'demo'], { env: e });
    expect(listed.stdout).not.toMatch(/^big/m);
    const next = await runCli(['--registry', location, '--entity', 'alice', '--project', 'demo', 'log', data, '--name', 'big', '--type', 'dataset', '--json'], { env: e });
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).version).toBe('v0');
    const out = tempDir();
    const a = await registryAt(kind, location).get('big');
    await a.download(out);
    expect((await a.verify(out)).ok).toBe(true);
    expect(await fsp.readFile(path.join(out, 'f7.bin'), 'utf8')).toBe(files['f7.bin']);
  }, 120_000);
}
