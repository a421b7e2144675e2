import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { b64ToHex } from '../../src/core/digest';
import { LocalObjectStore } from '../../src/store/local-store';
import { CLI, cliIn, runCli } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it)`);
});

interface LogJson {
  ref: string;
  name: string;
  version: string;
  digest: string;
  size: number;
  fileCount: number;
  aliases: string[];
  tags: string[];
  deduplicated: boolean;
}

async function dataDir(files: Record<string, string> = { 'file1.txt': 'hello', 'sub/b.txt': 'world' }) {
  const dir = tempDir();
  await writeTree(dir, files);
  return dir;
}

describe('artifacts log / show / ls / manifest', () => {
  it('logs a folder and prints the new ref, or JSON with the documented keys', async () => {
    const cli = cliIn(tempDir());
    const dir = await dataDir();
    const text = await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    expect(text.stdout.trim()).toBe('alice/demo/ds:v0');
    await writeTree(dir, { 'c.txt': 'new' });
    const j = await cli.json<LogJson>(['log', dir, '--name', 'ds', '--type', 'dataset', '--alias', 'best', '--tag', 'first run', '--description', 'hi', '--metadata', '{"rows": 3}', '--ttl', '30d']);
    expect(Object.keys(j).sort()).toEqual(['aliases', 'collection', 'deduplicated', 'digest', 'fileCount', 'name', 'ref', 'size', 'tags', 'version'].sort());
    expect(j).toMatchObject({ ref: 'alice/demo/ds:v1', name: 'ds:v1', version: 'v1', fileCount: 3, size: 13, aliases: ['latest', 'best'], tags: ['first run'], deduplicated: false });
    const show = await cli.json(['show', 'ds:best']);
    expect(show).toMatchObject({ version: 'v1', description: 'hi', metadata: { rows: 3 }, ttl: 30 * 86400, type: 'dataset', digest: j.digest });
    const versions = await cli.json<Array<{ version: string; aliases: string[] }>>(['ls', 'alice/demo/ds']);
    expect(versions.map((v) => [v.version, v.aliases])).toEqual([
      ['v1', ['latest', 'best']],
      ['v0', []],
    ]);
    const cols = await cli.json<Array<{ collection: string; versionCount: number }>>(['ls']);
    expect(cols).toMatchObject([{ collection: 'ds', versionCount: 2 }]);
    const listing = await cli.ok(['ls']);
    expect(listing.stdout).toMatch(/^COLLECTION\s+TYPE\s+KIND\s+VERSIONS\s+LATEST/);
    const manifest = JSON.parse((await cli.ok(['manifest', 'ds:v0'])).stdout);
    expect(manifest).toEqual({
      version: 1,
      storagePolicy: 'wandb-storage-policy-v1',
      storagePolicyConfig: { storageLayout: 'V2' },
      contents: {
        'file1.txt': { digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5 },
        'sub/b.txt': { digest: 'fXkwN6B2AYZXSwKC8vQ15w==', size: 5 },
      },
    });
  });

  it('places PATH=NAME: a file at NAME, a folder under NAME; references with =NAME', async () => {
    const cli = cliIn(tempDir());
    const dir = await dataDir();
    const j = await cli.json<LogJson>([
      'log',
      `${dir}/file1.txt=renamed.txt`,
      `${dir}/sub=nested/folder`,
      '--reference',
      'ref://example.com/somefile.txt=ref',
      '--reference',
      `file://${dir}/file1.txt=local-ref.txt`,
      '--name',
      'placed',
      '--type',
      'dataset',
    ]);
    const manifest = JSON.parse((await cli.ok(['manifest', j.ref])).stdout);
    expect(Object.keys(manifest.contents).sort()).toEqual(['local-ref.txt', 'nested/folder/b.txt', 'ref', 'renamed.txt']);
    expect(manifest.contents.ref).toEqual({ digest: 'ref://example.com/somefile.txt', ref: 'ref://example.com/somefile.txt' });
    expect(manifest.contents['local-ref.txt']).toEqual({ digest: 'XUFAKrxLKna5cZ2REBfFkg==', ref: `file://${dir}/file1.txt`, size: 5 });
  });

  it('says when the content equals latest and makes no new version', async () => {
    const cli = cliIn(tempDir());
    const dir = await dataDir();
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    const again = await cli.run(['log', dir, '--name', 'ds', '--type', 'dataset', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 'v0', deduplicated: true });
    expect(again.stderr).toMatch(/same content as v0\. No new version was created/);
  });

  it('digest PATH equals the digest the log gets (and W&B vector #2 for a single file)', async () => {
    const cli = cliIn(tempDir());
    const dir = await dataDir();
    const d = await cli.json<{ digest: string; fileCount: number }>(['digest', dir]);
    const logged = await cli.json<LogJson>(['log', dir, '--name', 'ds', '--type', 'dataset']);
    expect(d.digest).toBe(logged.digest);
    expect((await cli.ok(['digest', `${dir}/file1.txt`])).stdout.trim()).toBe('a00c2239f036fb656c1dcbf9a32d89b4');
  });

  it('uses ARTIFACTS_REGISTRY, the OS user as entity and uncategorized as project by default', async () => {
    const reg = tempDir();
    const dir = await dataDir();
    const r = await runCli(['log', dir, '--name', 'ds', '--type', 'dataset'], { env: { ARTIFACTS_REGISTRY: reg } });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`${userInfo().username}/uncategorized/ds:v0`);
    expect(await new LocalObjectStore(reg).head(`entities/${userInfo().username}/projects/uncategorized/collections/ds/index.json`)).toBeDefined();
  });
});

describe('ls', () => {
  it("lists the entity's projects, a project's collections, a collection's versions; names a collection given as a project", async () => {
    const reg = tempDir();
    const dir = await dataDir();
    const cli = cliIn(reg, ['--entity', 'alice']);
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    await cli.ok(['--project', 'other', 'log', dir, '--name', 'm', '--type', 'model']);
    expect(await cli.json(['ls'])).toEqual([{ entity: 'alice', project: 'other' }, { entity: 'alice', project: 'uncategorized' }]);
    expect((await cli.ok(['ls'])).stdout).toMatch(/^PROJECT\nother\nuncategorized/);
    expect((await cli.json<Array<{ collection: string }>>(['ls', 'other'])).map((c) => c.collection)).toEqual(['m']);
    expect((await cli.json<Array<{ collection: string }>>(['ls', 'alice/uncategorized'])).map((c) => c.collection)).toEqual(['ds']);
    expect((await cli.json<Array<{ version: string }>>(['ls', 'alice/other/m'])).map((v) => v.version)).toEqual(['v0']);
    const asProject = await cli.run(['ls', 'ds']);
    expect(asProject.code).toBe(2);
    expect(asProject.stderr).toMatch(/'ds' is not a project of alice but a collection of alice\/uncategorized: list its versions with artifacts ls alice\/uncategorized\/ds/);
    const bad = await cli.run(['ls', 'a/b/c/d']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected \[entity\/\]project\[\/collection\]/);
  });
});

describe('managing versions from the CLI', () => {
  it('alias, tag, ttl, describe, link, unlink, delete, gc', async () => {
    const cli = cliIn(tempDir());
    const dir = await dataDir();
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    await writeTree(dir, { 'more.txt': 'more' });
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    expect((await cli.json(['alias', 'add', 'ds:v0', 'golden', 'old'])).aliases).toEqual(['golden', 'old']);
    expect((await cli.json(['alias', 'rm', 'ds:v0', 'old'])).aliases).toEqual(['golden']);
    expect((await cli.json(['tag', 'add', 'ds:golden', 'reviewed', 'raw'])).tags).toEqual(['reviewed', 'raw']);
    expect((await cli.json(['tag', 'rm', 'ds:golden', 'raw'])).tags).toEqual(['reviewed']);
    expect((await cli.json(['ttl', 'ds:v0', '12h'])).ttl).toBe(43200);
    expect((await cli.json(['ttl', 'ds:v0', 'none'])).ttl).toBeNull();
    expect((await cli.json(['describe', 'ds:v0', '--description', 'the first', '--metadata', '{"a":1}'])).metadata).toEqual({ a: 1 });
    const link = await cli.json(['link', 'ds:v1', 'prod', '--alias', 'champion']);
    expect(link).toMatchObject({ ref: 'alice/demo/prod:v0', isLink: true, source: 'alice/demo/ds:v1', aliases: ['latest', 'champion'] });
    expect((await cli.ok(['unlink', 'prod:champion'])).stdout).toMatch(/unlinked alice\/demo\/prod:v0/);
    const refused = await cli.run(['delete', 'ds:v1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/has aliases \(latest\).*--delete-aliases/);
    await cli.ok(['delete', 'ds:v1', '--delete-aliases']);
    expect((await cli.json(['show', 'ds:latest'])).version).toBe('v0');
    const gc = await cli.json(['gc']);
    expect(gc).toMatchObject({ expired: [], deletedBlobs: 0 }); // within the grace period nothing goes
  });
});

describe('exit codes and messages', () => {
  it('exits 2 with one line naming the broken rule, never a stack trace', async () => {
    const cli = cliIn(tempDir());
    const dir = await dataDir();
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    const cases: Array<[string[], RegExp]> = [
      [['log', dir, '--name', 'bad name', '--type', 'dataset'], /alphanumeric characters, dashes, underscores, and dots/],
      [['log', dir, '--name', 'ds', '--type', 'model'], /already exists with type 'dataset'/],
      [['log', dir, '--name', 'x', '--type', 'wandb-history'], /reserved for internal use/],
      [['log', dir, '--name', 'x', '--type', 'dataset', '--metadata', '{"a": Infinity}'], /Metadata is not valid JSON/],
      [['log', dir, '--name', 'x', '--type', 'dataset', '--tag', 'bad!tag'], /Invalid tag/],
      [['log', dir, '--name', 'x', '--type', 'dataset', '--alias', 'a/b'], /must not contain/],
      [['log', dir, '--name', 'x', '--type', 'dataset', '--ttl', '0d'], /positive duration/],
      [['log', `${dir}/nope`, '--name', 'x', '--type', 'dataset'], /No such file or folder/],
      [['log', `${dir}/file1.txt=../escape`, '--name', 'x', '--type', 'dataset'], /'\.\.' segment/],
      [['log', '--name', 'x', '--type', 'dataset'], /Nothing to log/],
      [['show', 'ds:v9'], /ds:v9 does not exist/],
      [['show', 'nothere'], /Collection alice\/demo\/nothere does not exist/],
      [['show', 'a/b/c/d'], /expected \[entity\/\]\[project\/\]collection/],
      [['alias', 'add', 'ds:v0', 'latest'], /managed/],
      [['alias', 'add', 'ds:v0', 'v2'], /reserved/],
      [['ttl', 'ds:v0', 'soon'], /Invalid TTL/],
      [['log', dir, '--type', 'dataset'], /required option '--name <collection>' not specified/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['show', 'ds', '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(/^artifacts: error: /);
    }
  });

  it('exits 0 for --help and --version', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['log', '--help'])).stdout).toMatch(/--reference <uri>/);
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('lineage from the CLI', () => {
  it('records the command, user, host, cwd and git commit of the logging process', async () => {
    const cli = cliIn(tempDir());
    const repo = tempDir();
    await writeTree(repo, { 'data/a.txt': 'a' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).toString().trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    const sha = git('rev-parse', 'HEAD');
    await cli.ok(['log', 'data', '--name', 'ds', '--type', 'dataset'], { cwd: repo });
    const show = await cli.json<{ loggedBy: Record<string, string> }>(['show', 'ds:v0']);
    expect(show.loggedBy).toMatchObject({ cwd: repo, gitCommit: sha, user: userInfo().username });
    expect(show.loggedBy.command).toMatch(/^artifacts .*log data --name ds --type dataset$/);
  });
});

describe('safety: concurrency and crashes', () => {
  it('concurrent logs from separate processes get distinct versions and none is lost', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    const n = 8;
    const dirs = await Promise.all(Array.from({ length: n }, (_, i) => dataDir({ 'who.txt': `writer ${i}`, 'shared.txt': 'same bytes' })));
    const results = await Promise.all(dirs.map((d) => cli.json<LogJson>(['log', d, '--name', 'race', '--type', 'dataset', '--alias', `w${dirs.indexOf(d)}`])));
    expect(new Set(results.map((r) => r.version)).size).toBe(n);
    expect(results.map((r) => r.version).sort()).toEqual(Array.from({ length: n }, (_, i) => `v${i}`).sort());
    const versions = await cli.json<Array<{ version: string; digest: string; aliases: string[] }>>(['ls', 'alice/demo/race']);
    expect(versions).toHaveLength(n);
    for (const r of results) {
      const v = versions.find((x) => x.version === r.version)!;
      expect(v.digest).toBe(r.digest);
      expect(v.aliases).toContain(`w${results.indexOf(r)}`);
    }
    // latest names the highest number even though the swaps finished in any order.
    expect(versions[0]).toMatchObject({ version: `v${n - 1}` });
    expect(versions[0]!.aliases).toContain('latest');
  });

  for (const point of ['after-manifest', 'after-blobs', 'before-commit'] as const) {
    it(`a crash ${point} leaves no version visible and the next log takes v1`, async () => {
      const reg = tempDir();
      const cli = cliIn(reg);
      await cli.ok(['log', await dataDir({ 'a.txt': 'v0' }), '--name', 'ds', '--type', 'dataset']);
      const crashed = await cli.run(['log', await dataDir({ 'a.txt': 'v1 content', 'b.txt': 'bbb' }), '--name', 'ds', '--type', 'dataset', '--alias', 'new'], { env: { ARTIFACTS_CRASH_AT: point } });
      expect(crashed.signal).toBe('SIGKILL');
      const versions = await cli.json<Array<{ version: string }>>(['ls', 'alice/demo/ds']);
      expect(versions.map((v) => v.version)).toEqual(['v0']);
      expect((await cli.json(['show', 'ds:latest'])).version).toBe('v0');
      expect((await cli.run(['show', 'ds:new'])).code).toBe(2);
      const next = await cli.json<LogJson>(['log', await dataDir({ 'a.txt': 'v1 content', 'b.txt': 'bbb' }), '--name', 'ds', '--type', 'dataset']);
      expect(next.version).toBe('v1');
    });
  }

  it('a crash after the commit leaves the whole version visible, with every blob', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    const crashed = await cli.run(['log', await dataDir({ 'a.txt': 'aaa', 'b.txt': 'bbb' }), '--name', 'ds', '--type', 'dataset', '--alias', 'new'], { env: { ARTIFACTS_CRASH_AT: 'after-commit' } });
    expect(crashed.signal).toBe('SIGKILL');
    const show = await cli.json(['show', 'ds:new']);
    expect(show).toMatchObject({ version: 'v0', fileCount: 2 });
    const manifest = JSON.parse((await cli.ok(['manifest', 'ds:v0'])).stdout);
    for (const e of Object.values(manifest.contents) as Array<{ digest: string }>) {
      const hex = b64ToHex(e.digest);
      expect(existsSync(path.join(reg, 'objects', 'md5', hex.slice(0, 2), hex.slice(2)))).toBe(true);
    }
  });

  it('killing logs at random moments never exposes a version with missing parts', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}.bin`, `${i}`.repeat(2000)]));
    for (let round = 0; round < 6; round++) {
      const dir = await dataDir({ ...files, 'round.txt': String(round) });
      const child = spawn(process.execPath, [CLI, '--registry', reg, '--entity', 'alice', '--project', 'demo', 'log', dir, '--name', 'ds', '--type', 'dataset'], { stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, 40 + round * 45));
      child.kill('SIGKILL');
      await closed;
    }
    const versions = await cli.json<Array<{ version: string; fileCount: number }>>(['ls', 'alice/demo/ds']).catch(() => []);
    for (const v of versions) {
      const manifest = JSON.parse((await cli.ok(['manifest', `ds:${v.version}`])).stdout);
      expect(Object.keys(manifest.contents)).toHaveLength(v.fileCount);
      for (const e of Object.values(manifest.contents) as Array<{ digest: string }>) {
        const hex = b64ToHex(e.digest);
        expect(existsSync(path.join(reg, 'objects', 'md5', hex.slice(0, 2), hex.slice(2)))).toBe(true);
      }
    }
    // The registry still works after all that.
    const after = await cli.json<LogJson>(['log', await dataDir({ 'final.txt': 'ok' }), '--name', 'ds', '--type', 'dataset']);
    expect(after.version).toBe(`v${versions.length}`);
    await fsp.rm(path.join(reg, 'tmp'), { recursive: true, force: true });
  });
});
