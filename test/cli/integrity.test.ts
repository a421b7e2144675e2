// Issue "Never lose what was reported saved": wrong files written silently, clear errors instead of
// exit 3, and fsck. Real processes (the built CLI), real folders, a real HTTP server on 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { b64ToHex, md5B64 } from '../../src/core/digest';
import { Manifest } from '../../src/core/manifest';
import { collectionKey, manifestKey } from '../../src/registry/layout';
import { LocalObjectStore } from '../../src/store/local-store';
import { cliIn, runCli } from '../support/cli';
import { serveForSuite } from '../support/http';
import { tempDir, writeTree } from '../support/tmp';

async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = tempDir();
  await writeTree(dir, files);
  return dir;
}

function blobPath(reg: string, content: string): string {
  const hex = b64ToHex(md5B64(content));
  return path.join(reg, 'objects', 'md5', hex.slice(0, 2), hex.slice(2));
}

/** Replaces version `index` of alice/demo/`name` with a hand-made manifest (a hostile or damaged registry). */
async function forgeManifest(reg: string, name: string, manifest: Manifest | string, index = 0): Promise<void> {
  const store = new LocalObjectStore(reg);
  const bytes = typeof manifest === 'string' ? manifest : manifest.serialize();
  const { createHash } = await import('node:crypto');
  const key = manifestKey(createHash('md5').update(bytes).digest('hex'));
  await store.put(key, bytes);
  const cKey = collectionKey({ entity: 'alice', project: 'demo', collection: name });
  const cur = (await store.get(cKey))!;
  const doc = JSON.parse(cur.body.toString());
  const v = doc.versions.find((x: { index: number }) => x.index === index);
  v.manifest = key;
  expect(await store.compareAndSwap(cKey, cur.etag, JSON.stringify(doc))).toBe(true);
}

async function setDoc(reg: string, name: string, body: string): Promise<void> {
  const store = new LocalObjectStore(reg);
  const cKey = collectionKey({ entity: 'alice', project: 'demo', collection: name });
  expect(await store.compareAndSwap(cKey, (await store.get(cKey))!.etag, body)).toBe(true);
}

function expectOneLine(r: { code: number | null; stderr: string }, code: number, message: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |unexpected error/);
}

describe('wrong files are never written silently', () => {
  it('a stored blob with a flipped byte is refused by download (exit 2, nothing written) and found by fsck', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'precious bytes', 'b.txt': 'more' }), '--name', 'ds', '--type', 'dataset']);
    const blob = blobPath(reg, 'precious bytes');
    const st = await fsp.stat(blob);
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'precious bytez');
    await fsp.utimes(blob, st.atime, st.mtime); // and set its times back
    const root = tempDir();
    expectOneLine(await cli.run(['download', 'ds', '--root', root]), 2, /Corrupted object .*alice\/demo\/ds:v0 a\.txt/);
    expect(existsSync(path.join(root, 'a.txt'))).toBe(false);
    const f = await cli.run(['fsck', '--json']);
    expect(f.code).toBe(1);
    expect(JSON.parse(f.stdout).problems).toMatchObject([{ kind: 'corrupt-blob', detail: expect.stringMatching(/needed by alice\/demo\/ds:v0 a\.txt/) }]);
  });

  it('checkout ends equal to the version or fails naming the path: folders in the way, symlinks never followed', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'data': 'a file named data', 'sub/b.txt': 'b' }), '--name', 'ds', '--type', 'dataset']);
    const root = tempDir();
    const outside = tempDir();
    await writeTree(root, { 'data/inner.txt': 'a folder where a file should be' });
    await fsp.symlink(outside, path.join(root, 'sub'));
    expectOneLine(await cli.run(['download', 'ds', '--root', root]), 2, /a folder is in the way|is a symlink, which is never followed/);
    const r = await cli.run(['checkout', 'ds', '--root', root, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await fsp.readFile(path.join(root, 'data'), 'utf8')).toBe('a file named data');
    expect((await fsp.lstat(path.join(root, 'sub'))).isDirectory()).toBe(true);
    expect(await fsp.readdir(outside)).toEqual([]); // nothing written or deleted through the link
    await cli.ok(['verify', 'ds', '--root', root]);
  });

  it('a 4,201-character manifest path is refused at once, before any folder is made', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'A' }), '--name', 'ds', '--type', 'dataset']);
    const deep = Array.from({ length: 2100 }, () => 'd').join('/') + '/f.txt';
    expect(deep.length).toBeGreaterThan(4200);
    await forgeManifest(reg, 'ds', JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: {}, contents: { [deep]: { digest: md5B64('A'), size: 1 } } }));
    const root = path.join(tempDir(), 'out');
    const t = Date.now();
    expectOneLine(await cli.run(['download', 'ds', '--root', root]), 2, /cannot exist on disk: it is longer than 4096 bytes/);
    expectOneLine(await cli.run(['verify', 'ds', '--root', root]), 2, /cannot exist on disk/);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(existsSync(root)).toBe(false);
  });

  it('hostile or damaged manifests exit 2 with one line naming the problem', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'A' }), '--name', 'ds', '--type', 'dataset']);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ 'a.txt': { digest: '' } }, /has no digest/],
      [{ '../escape.txt': { digest: md5B64('A'), size: 1 } }, /unsafe path/],
      [{ '/etc/passwd': { digest: md5B64('A'), size: 1 } }, /unsafe path/],
      [{ d: { digest: md5B64('A'), size: 1 }, 'd/b.txt': { digest: md5B64('A'), size: 1 } }, /holds both d and d\/b\.txt/],
      [{ [`${'x'.repeat(300)}.txt`]: { digest: md5B64('A'), size: 1 } }, /longer than 255 bytes/],
      [{ 'a.txt': { digest: md5B64('A'), size: -5 } }, /is not a byte count/],
    ];
    for (const [contents, message] of cases) {
      await forgeManifest(reg, 'ds', JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: {}, contents }));
      const parent = tempDir();
      expectOneLine(await cli.run(['download', 'ds', '--root', path.join(parent, 'r')]), 2, message);
      expect(await fsp.readdir(parent)).toEqual([]);
    }
  });

  it('a blob replaced by a folder is reported, not an unexpected failure', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'AAA' }), '--name', 'ds', '--type', 'dataset']);
    const blob = blobPath(reg, 'AAA');
    await fsp.rm(blob, { force: true });
    await fsp.mkdir(blob);
    expectOneLine(await cli.run(['download', 'ds', '--root', tempDir()]), 2, /Corrupted object .* a folder or other non-file in the store/);
  });
});

describe('an http reference that misbehaves', () => {
  let mode: 'short' | 'whole' | 'stall' = 'short';
  const body = 'x'.repeat(10_000);
  const http = serveForSuite({
    '/data.bin': (_req, res) => {
      res.writeHead(200, { etag: '"e1"', 'content-length': String(body.length) });
      if (mode === 'whole') return void res.end(body);
      if (mode === 'short') {
        res.write(body.slice(0, 4000));
        return void setTimeout(() => res.destroy(), 50);
      }
      res.write(body.slice(0, 100)); // stall: never finish
    },
  });

  it('a body shorter than its Content-Length is refused and never recorded; fixed, it is written whole', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    mode = 'whole';
    await cli.ok(['log', '--reference', `${http.base}/data.bin`, '--name', 'ref', '--type', 'dataset']);
    mode = 'short';
    const root = tempDir();
    const bad = await cli.run(['download', 'ref', '--root', root, '--skip-cache'], { env: { ARTIFACTS_HTTP_RETRIES: '0' } });
    expect(bad.code, bad.stderr).toBe(2);
    expect(existsSync(path.join(root, 'data.bin'))).toBe(false);
    expect((await fsp.readdir(root)).filter((n) => n.startsWith('.artifacts-tmp'))).toEqual([]);
    mode = 'whole';
    const good = await cli.json<{ written: string[] }>(['download', 'ref', '--root', root]);
    expect(good.written).toEqual(['data.bin']);
    expect(await fsp.readFile(path.join(root, 'data.bin'), 'utf8')).toBe(body);
  });

  it('a server that stalls mid-body hits the idle timeout; nothing is left behind', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    mode = 'whole';
    await cli.ok(['log', '--reference', `${http.base}/data.bin`, '--name', 'ref', '--type', 'dataset']);
    mode = 'stall';
    const root = tempDir();
    const t = Date.now();
    const r = await cli.run(['download', 'ref', '--root', root, '--skip-cache'], { env: { ARTIFACTS_HTTP_TIMEOUT_MS: '700', ARTIFACTS_HTTP_RETRIES: '1' } });
    expectOneLine(r, 2, /stopped sending|no answer within/);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(await fsp.readdir(root)).toEqual([]);
  });
});

describe('clear errors instead of exit 3', () => {
  it('damaged collection documents are named; ls lists the others; gc deletes nothing; fsck reports them', async () => {
    for (const [label, body] of [
      ['truncated', '{"format":1,"kind":"seq'],
      ['garbage', '\u0000\u0001 not json'],
      ['empty', ''],
      ['wrong shape', JSON.stringify({ format: 1, kind: 'sequence', versions: 'many' })],
    ] as const) {
      const reg = tempDir();
      const cli = cliIn(reg);
      const dir = await dataDir({ 'a.txt': 'A' });
      await cli.ok(['log', dir, '--name', 'broken', '--type', 'dataset']);
      await cli.ok(['log', await dataDir({ 'b.txt': 'B' }), '--name', 'fine', '--type', 'dataset']);
      await setDoc(reg, 'broken', body);
      expectOneLine(await cli.run(['show', 'broken']), 2, /collection document entities\/alice\/projects\/demo\/collections\/broken\/index\.json in .* is damaged/);
      const ls = await cli.run(['ls', '--json']);
      expect(ls.code, `${label}: ${ls.stderr}`).toBe(0);
      const listed = JSON.parse(ls.stdout) as Array<{ collection: string; error?: string }>;
      expect(listed.find((c) => c.collection === 'fine')).toMatchObject({ collection: 'fine' });
      expect(listed.find((c) => c.collection === 'broken')?.error).toMatch(/is damaged/);
      expect(ls.stderr).toMatch(/warning: .*broken/);
      const gc = await cli.json<{ unreadable: string[]; deletedBlobs: number }>(['gc', '--min-age', '0']);
      expect(gc.unreadable).toHaveLength(1);
      expect(gc.deletedBlobs).toBe(0);
      const f = await cli.run(['fsck', '--json']);
      expect(f.code).toBe(1);
      expect(JSON.parse(f.stdout).problems.map((p: { kind: string }) => p.kind)).toContain('damaged-collection');
    }
  });

  it('exit 2 with one line for the rest of the list', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'A' }), '--name', 'ds', '--type', 'dataset']);
    const file = path.join(tempDir(), 'plain.txt');
    await fsp.writeFile(file, 'x');
    expectOneLine(await cli.run(['download', 'ds', '--root', file]), 2, /is a file, not a folder/);
    expectOneLine(await cli.run(['download', 'ds', '--root', '']), 2, /destination folder is empty/);
    for (const r of ['/etc/passwd', '/dev/null']) expectOneLine(await runCli(['--registry', r, 'ls']), 2, /is not a folder/);
    for (const group of ['alias', 'tag', 'cache']) expectOneLine(await cli.run([group]), 2, /needs a subcommand/);
    expectOneLine(await cli.run(['log', '--reference', 'https://', '--name', 'r', '--type', 'dataset']), 2, /Invalid reference URL/);
    expectOneLine(await cli.run(['log', '--reference', 'http://[bad', '--name', 'r', '--type', 'dataset']), 2, /Invalid reference URL/);
    expectOneLine(await cli.run(['log', '--reference', 'file:///', '--no-checksum', '--name', 'r', '--type', 'dataset']), 2, /root of the file system/);
  });

  it('an undeletable file during checkout is named (not a misleading ENOTDIR)', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'A' }), '--name', 'ds', '--type', 'dataset']);
    const root = await dataDir({ 'stuck.txt': 'immutable' });
    const stuck = path.join(root, 'stuck.txt');
    if (spawnSync('chattr', ['+i', stuck]).status !== 0) {
      console.warn('skipped: chattr +i is not available here');
      return;
    }
    try {
      expectOneLine(await cli.run(['checkout', 'ds', '--root', root, '--yes']), 2, /Cannot delete stuck\.txt in .*: EPERM/);
    } finally {
      execFileSync('chattr', ['-i', stuck]);
    }
  });

  it('names, paths and descriptions cannot send terminal escapes', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    const evil = '\u001b]0;pwned\u0007\u001b[2J';
    const dir = await dataDir({ [`x${evil}.txt`]: 'A' });
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset', '--description', `desc ${evil}`, '--metadata', JSON.stringify({ k: `v\u009b${evil}` })]);
    await cli.ok(['log', await dataDir({ 'y.txt': 'B' }), '--name', 'ds', '--type', 'dataset']);
    for (const args of [['show', 'ds:v0'], ['diff', 'ds:v0', 'ds:v1'], ['ls', 'alice/demo/ds'], ['ls']]) {
      const r = await cli.run(args);
      expect(r.stdout, args.join(' ')).not.toMatch(/[\u001b\u0007\u009b]/);
    }
    expect((await cli.run(['show', 'ds:v0'])).stdout).toMatch(/\\x1b\]0;pwned\\x07/);
  });

  it('a registry whose records and lineage cannot be written still downloads, with warnings', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'A' }), '--name', 'ds', '--type', 'dataset']);
    // The folders downloads write into are files: as on a registry this user cannot write.
    await fsp.rm(path.join(reg, 'checksums'), { recursive: true, force: true });
    await fsp.writeFile(path.join(reg, 'checksums'), 'in the way');
    await fsp.rm(path.join(reg, 'uses'), { recursive: true, force: true });
    await fsp.writeFile(path.join(reg, 'uses'), 'in the way');
    const root = tempDir();
    const r = await cli.run(['download', 'ds', '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: Could not save the records/);
    expect(r.stderr).toMatch(/warning: Could not record the use/);
    expect(await fsp.readFile(path.join(root, 'a.txt'), 'utf8')).toBe('A');
  });
});

describe('fsck', () => {
  it('reports each problem by name and exits 1; --repair quarantines what it cannot fix and never deletes a needed blob', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    await cli.ok(['log', await dataDir({ 'a.txt': 'alpha', 'b.txt': 'beta' }), '--name', 'ds', '--type', 'dataset', '--alias', 'best']);
    await cli.ok(['log', await dataDir({ 'c.txt': 'gamma' }), '--name', 'ds', '--type', 'dataset']);
    await cli.ok(['log', await dataDir({ 'm.txt': 'manifest will be cut' }), '--name', 'other', '--type', 'dataset']);
    expect((await cli.run(['fsck'])).code).toBe(0);
    // A flipped byte, a missing blob, a truncated manifest, a dangling alias.
    const alpha = blobPath(reg, 'alpha');
    await fsp.chmod(alpha, 0o644);
    await fsp.writeFile(alpha, 'alphA');
    await fsp.rm(blobPath(reg, 'beta'));
    const store = new LocalObjectStore(reg);
    const otherDoc = JSON.parse((await store.get(collectionKey({ entity: 'alice', project: 'demo', collection: 'other' })))!.body.toString());
    const mPath = path.join(reg, ...otherDoc.versions[0].manifest.split('/'));
    await fsp.chmod(mPath, 0o644).catch(() => undefined);
    await fsp.writeFile(mPath, (await fsp.readFile(mPath, 'utf8')).slice(0, 20));
    const cKey = collectionKey({ entity: 'alice', project: 'demo', collection: 'ds' });
    const cur = (await store.get(cKey))!;
    const doc = JSON.parse(cur.body.toString());
    doc.aliases.ghost = 7;
    expect(await store.compareAndSwap(cKey, cur.etag, JSON.stringify(doc))).toBe(true);
    const r = await cli.run(['fsck', '--json']);
    expect(r.code).toBe(1);
    const kinds = (JSON.parse(r.stdout).problems as Array<{ kind: string }>).map((p) => p.kind).sort();
    expect(kinds).toEqual(['corrupt-blob', 'damaged-manifest', 'dangling-alias', 'missing-blob']);
    const text = await cli.run(['fsck']);
    expect(text.stdout).toMatch(/dangling-alias +alice\/demo\/ds:ghost: points at v7, which does not exist/);
    const repaired = JSON.parse((await cli.run(['fsck', '--repair', '--json'])).stdout) as { problems: Array<{ kind: string; repaired?: string }> };
    expect(repaired.problems.find((p) => p.kind === 'corrupt-blob')?.repaired).toMatch(/moved to quarantine\//);
    expect(repaired.problems.find((p) => p.kind === 'dangling-alias')?.repaired).toBe('alias removed');
    // Still broken (the missing blob and the cut manifest cannot be repaired here), but nothing more went.
    const after = await cli.run(['fsck', '--json']);
    expect(after.code).toBe(1);
    expect((JSON.parse(after.stdout).problems as Array<{ kind: string }>).map((p) => p.kind).sort()).toEqual(['damaged-manifest', 'missing-blob', 'missing-blob']);
    expect(existsSync(blobPath(reg, 'gamma'))).toBe(true);
    const quarantined = await fsp.readdir(path.join(reg, 'quarantine'));
    expect(quarantined).toHaveLength(1);
  });
});
