/**
 * What the CLI says when a registry in a bucket cannot be used: wrong credentials, a missing bucket
 * or container, a stopped server, a server that answers 500 (then recovers, or does not). Each is
 * one line naming the registry, never a credential, exit 2 for what the user can fix and 3 for the
 * rest; a failed log leaves no version behind and the next one succeeds.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli';
import { FaultProxy, startFaultProxy, type FaultKind } from '../support/fault-proxy';
import { describeEachStore, type StoreKind } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function serverError(kind: StoreKind, status: number, code: string): FaultKind {
  return kind.name.startsWith('S3')
    ? { kind: 'respond', status, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>` }
    : { kind: 'respond', status, headers: { 'content-type': 'application/xml', 'x-ms-error-code': code }, body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>` };
}

/** The one line of stderr, checked: names the registry, no stack, no secret. */
function oneLine(r: CliResult, kind: StoreKind, location: string, extraSecrets: string[] = []): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  // The location as the store names it: without the query's credentials (there are none) and with its endpoint.
  expect(lines[0]).toContain(location.split('?')[0]!);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  for (const s of [...kind.secrets, ...extraSecrets]) expect(r.stdout + r.stderr).not.toContain(s);
  return lines[0]!;
}

describeEachStore(
  'CLI faults',
  (kind) => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(kind.target!);
    });
    afterAll(async () => {
      await proxy.close();
    });
    beforeEach(() => proxy.clear());

    const cli = (location: string, args: string[], env: Record<string, string> = kind.env) =>
      runCli(['--registry', location, '--entity', 'alice', '--project', 'demo', ...args], { env: { ...env, ARTIFACTS_REGISTRY: tempDir('artifacts-home-') } });

    async function data(): Promise<string> {
      const dir = tempDir();
      await writeTree(dir, { 'a.txt': 'a', 'b.txt': 'b' });
      return dir;
    }

    it('wrong credentials: exit 2, one line naming the registry, no secret', async () => {
      const location = kind.location();
      const wrong = kind.name.startsWith('S3') ? 'wrong-secret-0123456789abcdefghijklmnop' : Buffer.from('wrong key '.repeat(6)).toString('base64');
      const env = kind.name.startsWith('S3') ? { ...kind.env, AWS_SECRET_ACCESS_KEY: wrong } : { ...kind.env, AZURE_STORAGE_KEY: wrong };
      const r = await cli(location, ['ls'], env);
      expect(r.code).toBe(2);
      expect(oneLine(r, kind, location, [wrong])).toMatch(/Cannot access the registry at .*: (the secret key does not match|the account key or SAS token is not valid)/);
    });

    it('a missing bucket or container: exit 2, one line', async () => {
      const location = kind.location().replace(kind.container!, `${kind.container!}-missing`);
      const r = await cli(location, ['log', await data(), '--name', 'ds', '--type', 'dataset']);
      expect(r.code).toBe(2);
      expect(oneLine(r, kind, location)).toMatch(/(bucket|container) does not exist/);
    });

    it('a stopped server: exit 3, one line saying it is unavailable', async () => {
      const port = await closedPort();
      const location = kind.via(kind.location(), `http://127.0.0.1:${port}`);
      const r = await cli(location, ['ls']);
      expect(r.code).toBe(3);
      expect(oneLine(r, kind, location)).toMatch(/The registry at .* is unavailable: .* got no answer after \d+ tries/);
    });

    it('a server that answers 500 and recovers: the retries succeed', async () => {
      const location = kind.via(kind.location(), proxy.url);
      proxy.inject(serverError(kind, 500, 'InternalError'), { times: 3 });
      const r = await cli(location, ['log', await data(), '--name', 'ds', '--type', 'dataset', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.seen.filter((s) => s.status === 500)).toHaveLength(3);
      expect((await cli(location, ['ls', 'alice/demo/ds', '--json'])).stdout).toContain('"version": "v0"');
    });

    it('a server that keeps answering 500 at the commit: exit 3, one line, no version; the next log succeeds', async () => {
      const location = kind.via(kind.location(), proxy.url);
      proxy.inject(serverError(kind, 503, kind.name.startsWith('S3') ? 'SlowDown' : 'ServerBusy'), { times: Infinity, match: (req) => req.method === 'PUT' && /index\.json/.test(decodeURIComponent(req.url ?? '')) });
      const r = await cli(location, ['log', await data(), '--name', 'ds', '--type', 'dataset']);
      expect(r.code).toBe(3);
      expect(oneLine(r, kind, location)).toMatch(/is unavailable: PUT .*index\.json .*failed after \d+ tries/);
      proxy.clear();
      const ls = await cli(location, ['ls', 'alice/demo/ds']);
      expect(ls.code).toBe(2);
      expect(ls.stderr).toMatch(/does not exist/);
      const again = await cli(location, ['log', await data(), '--name', 'ds', '--type', 'dataset', '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).version).toBe('v0');
    });
  },
  { remoteOnly: true },
);
