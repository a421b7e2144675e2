/**
 * The built CLI (dist/cli.js) with `--registry` naming a folder, an S3 bucket on Ceph or an Azure
 * container on Azurite: every command works the same, credentials come from the environment only,
 * and `push`/`pull` move a version between two registries of different kinds.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { cliIn, runCli } from '../support/cli';
import { describeBothRemotes, describeEachStore, type StoreKind } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

function cliOn(kind: StoreKind, location: string) {
  const cli = cliIn(location);
  const env = { ...kind.env, ARTIFACTS_REGISTRY: tempDir('artifacts-home-') }; // the cache in front of a bucket
  return {
    ok: (args: string[]) => cli.ok(args, { env }),
    run: (args: string[]) => cli.run(args, { env }),
    json: <T = Record<string, unknown>>(args: string[]) => cli.json<T>(args, { env }),
  };
}

describeEachStore('CLI', (kind) => {
  it('log, ls, show, manifest, download, checkout, verify, diff, alias, tag, ttl, describe, link, unlink, delete, gc, cache', async () => {
    const cli = cliOn(kind, kind.location());
    const data = tempDir();
    await writeTree(data, { 'a.txt': 'one', 'sub/b.txt': 'two' });
    expect((await cli.json<{ ref: string }>(['log', data, '--name', 'ds', '--type', 'dataset', '--alias', 'raw'])).ref).toBe('alice/demo/ds:v0');
    await fsp.writeFile(path.join(data, 'a.txt'), 'one, edited');
    expect((await cli.json<{ version: string }>(['log', data, '--name', 'ds', '--type', 'dataset'])).version).toBe('v1');
    expect((await cli.ok(['ls'])).stdout).toMatch(/^ds\s+dataset/m);
    expect((await cli.ok(['ls', 'demo'])).stdout).toMatch(/ds\s+dataset\s+source\s+2\s+v1/);
    expect((await cli.json<Array<{ version: string }>>(['ls', 'alice/demo/ds'])).map((v) => v.version)).toEqual(['v1', 'v0']);
    expect((await cli.json<{ aliases: string[] }>(['show', 'ds:raw'])).aliases).toEqual(['raw']);
    expect(JSON.parse((await cli.ok(['manifest', 'ds:v1'])).stdout).contents['sub/b.txt']).toBeDefined();
    const root = tempDir();
    await cli.ok(['download', 'ds:raw', '--root', root]);
    expect(await fsp.readFile(path.join(root, 'a.txt'), 'utf8')).toBe('one');
    expect((await cli.run(['verify', 'ds:v1', '--root', root])).code).toBe(1);
    await writeTree(root, { 'stray.txt': 'not in the version' });
    await cli.ok(['checkout', 'ds:v1', '--root', root, '--yes']);
    expect((await cli.run(['verify', 'ds:v1', '--root', root])).code).toBe(0);
    expect((await cli.run(['diff', 'ds:v0', 'ds:v1'])).stdout).toMatch(/M {2}a\.txt/);
    await cli.ok(['alias', 'add', 'ds:v1', 'best']);
    await cli.ok(['tag', 'add', 'ds:v1', 'checked']);
    await cli.ok(['ttl', 'ds:v0', '1d']);
    await cli.ok(['describe', 'ds:v1', '--description', 'the good one', '--metadata', '{"rows":2}']);
    const best = await cli.json<{ version: string; tags: string[]; description: string; metadata: unknown }>(['show', 'ds:best']);
    expect([best.version, best.tags, best.description, best.metadata]).toEqual(['v1', ['checked'], 'the good one', { rows: 2 }]);
    await cli.ok(['link', 'ds:v1', 'production', '--alias', 'golden']);
    expect((await cli.json<{ isLink: boolean }>(['show', 'production:golden'])).isLink).toBe(true);
    await cli.ok(['unlink', 'production:v0']);
    await cli.ok(['delete', 'ds:v0', '--delete-aliases']);
    expect((await cli.run(['show', 'ds:raw'])).code).toBe(2);
    const gc = await cli.json<{ deletedBlobs: number }>(['gc', '--min-age', '0']);
    expect(gc.deletedBlobs).toBe(1);
    const info = await cli.json<{ files: number }>(['cache', 'info']);
    expect(info.files).toBeGreaterThanOrEqual(kind.remote ? 3 : 2);
    await cli.ok(['cache', 'cleanup', '0', '--min-age', '0']);
    const again = tempDir();
    await cli.ok(['download', 'ds:best', '--root', again]);
    expect((await cli.run(['verify', 'ds:best', '--root', again])).code).toBe(0);
  });
});

describeBothRemotes('CLI push and pull', (s3, azure) => {
  it('moves a version folder → S3 → Azure → folder with the CLI: same digest, only missing files, nothing twice', async () => {
    const env = { ...s3.env, ...azure.env, ARTIFACTS_REGISTRY: tempDir('artifacts-home-') };
    const run = async (args: string[]) => {
      const r = await runCli(['--entity', 'alice', '--project', 'demo', ...args], { env });
      if (r.code !== 0) throw new Error(`artifacts ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return r;
    };
    const local = tempDir('artifacts-local-');
    const data = tempDir();
    await writeTree(data, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.txt`, `file ${i}`])));
    const logged = JSON.parse((await run(['--registry', local, 'log', data, '--name', 'ds', '--type', 'dataset', '--json'])).stdout) as { digest: string };
    const bucket = s3.location();
    const container = azure.location();
    const toS3 = JSON.parse((await run(['--registry', local, 'push', 'ds', '--to', bucket, '--alias', 'shared', '--json'])).stdout);
    expect(toS3).toMatchObject({ ref: 'alice/demo/ds:v0', digest: logged.digest, blobsCopied: 12, existed: false });
    expect((await run(['--registry', local, 'push', 'ds', '--to', bucket])).stdout).toMatch(/already in .* as alice\/demo\/ds:v0: nothing copied/);
    const toAzure = JSON.parse((await run(['--registry', bucket, 'push', 'ds:shared', '--to', container, '--alias', 'from-s3', '--json'])).stdout);
    expect(toAzure).toMatchObject({ ref: 'alice/demo/ds:v0', digest: logged.digest, blobsCopied: 12 });
    const fresh = tempDir('artifacts-pulled-');
    const pulled = JSON.parse((await run(['--registry', fresh, 'pull', 'ds:from-s3', '--from', container, '--alias', 'mine', '--json'])).stdout);
    expect(pulled).toMatchObject({ ref: 'alice/demo/ds:v0', digest: logged.digest, blobsCopied: 12 });
    const root = tempDir();
    await run(['--registry', fresh, 'download', 'ds:mine', '--root', root]);
    await run(['--registry', fresh, 'verify', 'ds:mine', '--root', root]);
    expect(JSON.parse((await run(['--registry', fresh, 'show', 'ds:mine', '--json'])).stdout).loggedBy.command).toMatch(/^artifacts .*log/);
  });
});
