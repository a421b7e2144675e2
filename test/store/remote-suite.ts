/**
 * What a remote ObjectStore must do beyond the conformance suite, run against a real server on
 * 127.0.0.1 (S3 on Ceph, Azure Blob on Azurite), partly through a fault-injecting proxy: large
 * files in parts and ranges, cancellation, races, retries, timeouts, and one-line errors that
 * never carry a credential.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, CorruptObjectError, isUserError } from '../../src/core/errors';
import type { ObjectStore } from '../../src/store/object-store';
import type { RetryPolicy } from '../../src/store/retry';
import { StoreAccessError, StoreUnavailableError } from '../../src/store/store-errors';
import type { TransferTuning } from '../../src/store/transfer-files';
import { FaultProxy, startFaultProxy, type FaultKind } from '../support/fault-proxy';

export interface MakeOptions {
  /** Another server URL (the proxy's) in place of the real one. */
  via?: string;
  /** Sign with this secret (S3) or account key (Azure) instead of the right one. */
  wrongSecret?: string;
  /** A bucket or container that does not exist. */
  missingContainer?: boolean;
  /** Another store on the real server with the same prefix as this one. */
  samePrefixAs?: ObjectStore;
  retry?: Partial<RetryPolicy>;
  idleMs?: number;
  tuning?: Partial<TransferTuning>;
}

export interface RemoteHarness {
  /** The real server, for the proxy to forward to. */
  target: string;
  /** A store with a fresh prefix. */
  make(opts?: MakeOptions): ObjectStore;
  /** Strings that must never appear in an error. */
  secrets: string[];
  /** A valid-looking wrong secret (or account key) to sign with. */
  wrongSecret: string;
  /** Uploads begun but neither completed nor aborted under the store's prefix; undefined when the API cannot tell. */
  pendingUploads?(store: ObjectStore): Promise<number>;
  /** An error answer as this server would give it. */
  errorAnswer(status: number, code: string): Extract<FaultKind, { kind: 'respond' }>;
  /** Codes for "busy, slow down" and "internal error" in this API's dialect. */
  busyCode: string;
  /** A request that uploads one part (S3 UploadPart, Azure Put Block). */
  isPartUpload(req: IncomingMessage): boolean;
}

const MiB = 1024 * 1024;
const FAST_RETRY: Partial<RetryPolicy> = { attempts: 4, baseDelayMs: 20, maxDelayMs: 200 };
const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');

async function md5OfFile(file: string): Promise<string> {
  const h = createHash('md5');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('base64');
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function expectOneLineNaming(e: unknown, store: ObjectStore): void {
  const message = (e as Error).message;
  expect(message).toContain(store.location);
  expect(message).not.toContain('\n');
}

export function remoteStoreSuite(name: string, h: RemoteHarness): void {
  describe(`remote store: ${name}`, () => {
    let dir: string;
    let proxy: FaultProxy;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'remote-store-'));
      proxy = await startFaultProxy(h.target);
    });
    afterEach(() => proxy.clear());
    afterAll(async () => {
      await proxy?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const proxied = (opts: MakeOptions = {}) => h.make({ via: proxy.url, retry: FAST_RETRY, ...opts });
    const requests = (method: string) => proxy.seen.filter((r) => r.method === method);

    describe('large files', () => {
      it('a 40 MiB file goes up in parts and comes down in parallel ranges, byte for byte', async () => {
        const store = proxied();
        const bytes = randomBytes(40 * MiB);
        const src = path.join(dir, 'big');
        writeFileSync(src, bytes);
        let up = 0;
        await store.putFile('blobs/big', src, { md5: md5(bytes), onBytes: (n) => (up += n) });
        expect(up).toBe(bytes.length);
        expect(proxy.seen.filter((r) => r.method === 'PUT' && r.url.match(/partNumber=|comp=block(?!list)/)).length).toBe(5);
        expect((await store.head('blobs/big'))?.size).toBe(bytes.length);
        proxy.clear();
        const dest = path.join(dir, 'big-down');
        let down = 0;
        expect(await store.getFile('blobs/big', dest, { onBytes: (n) => (down += n) })).toBe(true);
        expect(down).toBe(bytes.length);
        expect(await md5OfFile(dest)).toBe(md5(bytes));
        const ranges = requests('GET').map((r) => r.range);
        expect(ranges).toHaveLength(4); // the first 16 MiB, then three 8 MiB ranges
        expect(ranges.every((r) => r?.startsWith('bytes='))).toBe(true);
        expect(readdirSync(dir).filter((f) => f.includes('artifacts-tmp'))).toEqual([]);
        await store.delete('blobs/big');
        rmSync(dest);
      });

      it('a cancelled upload leaves no object and no pending upload', async () => {
        const store = h.make({ tuning: { multipartThreshold: 6 * MiB, partSize: 5 * MiB, concurrency: 2 } });
        const src = path.join(dir, 'cancel');
        writeFileSync(src, randomBytes(30 * MiB));
        const abort = new AbortController();
        let up = 0;
        const upload = store.putFile('blobs/cancelled', src, {
          signal: abort.signal,
          onBytes: (n) => {
            up += n;
            abort.abort(); // after the first part, with the next one in flight
          },
        });
        await expect(upload).rejects.toBeInstanceOf(CancelledError);
        expect(up).toBeGreaterThan(0);
        expect(up).toBeLessThan(30 * MiB);
        expect(await store.head('blobs/cancelled')).toBeUndefined();
        expect((await store.list('blobs/')).objects).toEqual([]);
        if (h.pendingUploads) expect(await h.pendingUploads(store)).toBe(0);
      });

      it('a part that keeps failing fails the upload, which is aborted on the server', async () => {
        const store = proxied({ tuning: { multipartThreshold: 6 * MiB, partSize: 5 * MiB, concurrency: 2 } });
        const src = path.join(dir, 'failing');
        writeFileSync(src, randomBytes(16 * MiB));
        let parts = 0;
        proxy.inject(h.errorAnswer(500, 'InternalError'), { times: Infinity, match: (req) => h.isPartUpload(req) && ++parts >= 3 });
        const error = await store.putFile('blobs/failing', src).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expectOneLineNaming(error, store);
        proxy.clear();
        expect(await store.head('blobs/failing')).toBeUndefined();
        if (h.pendingUploads) expect(await h.pendingUploads(store)).toBe(0);
      });

      it('a file that no longer matches its md5 is not stored, in parts either', async () => {
        const store = h.make({ tuning: { multipartThreshold: 6 * MiB, partSize: 5 * MiB } });
        const src = path.join(dir, 'changed');
        writeFileSync(src, randomBytes(12 * MiB));
        await expect(store.putFile('blobs/changed', src, { md5: md5(Buffer.from('what it was')) })).rejects.toBeInstanceOf(CorruptObjectError);
        expect(await store.head('blobs/changed')).toBeUndefined();
        if (h.pendingUploads) expect(await h.pendingUploads(store)).toBe(0);
      });
    });

    describe('races on the real server', () => {
      it('16 concurrent putIfAbsent on one key: exactly one winner, 20 rounds', async () => {
        const store = h.make();
        for (let round = 0; round < 20; round++) {
          const results = await Promise.all(Array.from({ length: 16 }, (_, i) => store.putIfAbsent(`race/${round}`, `writer ${i}`)));
          expect(results.filter(Boolean)).toHaveLength(1);
          expect((await store.get(`race/${round}`))?.body.toString()).toBe(`writer ${results.indexOf(true)}`);
        }
      });

      it('16 concurrent compareAndSwap from one etag: exactly one winner, 20 rounds', async () => {
        const store = h.make();
        await store.put('pointer', 'v0');
        for (let round = 0; round < 20; round++) {
          const { etag } = (await store.get('pointer'))!;
          const results = await Promise.all(Array.from({ length: 16 }, (_, i) => store.compareAndSwap('pointer', etag, `round ${round} writer ${i}`)));
          expect(results.filter(Boolean)).toHaveLength(1);
          expect((await store.get('pointer'))?.body.toString()).toBe(`round ${round} writer ${results.indexOf(true)}`);
        }
      });
    });

    describe('faults', () => {
      it('retries a 500 answer and recovers', async () => {
        const store = proxied();
        proxy.inject(h.errorAnswer(500, 'InternalError'), { times: 2 });
        await store.put('f/500', 'payload');
        expect(requests('PUT')).toHaveLength(3);
        proxy.inject(h.errorAnswer(500, 'InternalError'), { times: 2 });
        expect((await store.get('f/500'))?.body.toString()).toBe('payload');
      });

      it('backs off on 503 busy answers and recovers', async () => {
        const store = proxied();
        proxy.inject(h.errorAnswer(503, h.busyCode), { times: 3 });
        const t0 = Date.now();
        expect(await store.putIfAbsent('f/busy', 'x')).toBe(true);
        expect(requests('PUT')).toHaveLength(4);
        expect(requests('PUT').slice(0, 3).every((r) => r.fault === 'respond')).toBe(true);
        expect(Date.now() - t0).toBeLessThan(5_000);
      });

      it('retries a closed connection and recovers', async () => {
        const store = proxied();
        await store.put('f/close', 'abc');
        proxy.inject({ kind: 'close' }, { times: 2 });
        expect((await store.get('f/close'))?.body.toString()).toBe('abc');
        expect((await store.list('f/')).objects.map((o) => o.key)).toEqual(['f/close']);
      });

      it('a body that stalls hits the idle timeout, and the download resumes where it stopped', async () => {
        const store = proxied({ idleMs: 500 });
        const bytes = randomBytes(300_000);
        await store.put('f/stall', bytes);
        proxy.clear();
        proxy.inject({ kind: 'stall', afterBytes: 100_000 }, { times: 1, match: (req) => req.method === 'GET' });
        const t0 = Date.now();
        const dest = path.join(dir, 'stalled');
        expect(await store.getFile('f/stall', dest)).toBe(true);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
        expect(await md5OfFile(dest)).toBe(md5(bytes));
        const gets = requests('GET');
        expect(gets).toHaveLength(2);
        expect(gets[0]!.fault).toBe('stall');
        expect(gets[1]!.range).toMatch(/^bytes=100000-/); // resumed, not restarted
      });

      it('a stream that stalls resumes, and get() retries a stalled body', async () => {
        const store = proxied({ idleMs: 400 });
        const bytes = randomBytes(200_000);
        await store.put('f/stream', bytes);
        proxy.inject({ kind: 'stall', afterBytes: 50_000 }, { times: 1, match: (req) => req.method === 'GET' });
        const chunks: Buffer[] = [];
        for await (const c of (await store.getStream('f/stream'))!) chunks.push(c as Buffer);
        expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
        proxy.inject({ kind: 'stall', afterBytes: 10 }, { times: 1, match: (req) => req.method === 'GET' });
        expect((await store.get('f/stream'))?.body.equals(bytes)).toBe(true);
      });

      it('a body that always stalls gives StoreUnavailableError naming the location', async () => {
        const store = proxied({ idleMs: 300, retry: { attempts: 2, baseDelayMs: 10 } });
        await store.put('f/dead', 'x'.repeat(10_000));
        proxy.inject({ kind: 'stall', afterBytes: 0 }, { times: Infinity });
        const error = await store.get('f/dead').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expectOneLineNaming(error, store);
      });

      it('a permanent 500 gives StoreUnavailableError naming the location after the bounded tries', async () => {
        const store = proxied({ retry: { attempts: 3, baseDelayMs: 10 } });
        proxy.inject(h.errorAnswer(500, 'InternalError'), { times: Infinity });
        const error = await store.put('f/down', 'x').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(isUserError(error)).toBe(false);
        expectOneLineNaming(error, store);
        expect((error as Error).message).toMatch(/HTTP 500/);
        expect(requests('PUT')).toHaveLength(3);
      });

      it('a server that does not listen gives StoreUnavailableError', async () => {
        const port = await closedPort();
        const store = h.make({ via: h.target.replace(/:\d+/, `:${port}`), retry: { attempts: 2, baseDelayMs: 10 } });
        const error = await store.head('anything').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message).toMatch(/ECONNREFUSED/);
        expectOneLineNaming(error, store);
      });

      it('a conditional write whose answer was lost counts as ours when the object carries its write id', async () => {
        const store = proxied();
        proxy.inject({ kind: 'dropAnswer' }, { times: 1, match: (req) => req.method === 'PUT' });
        expect(await store.putIfAbsent('f/lost', 'mine')).toBe(true);
        expect(requests('PUT')).toHaveLength(2); // the retry met the object our first try created
        const { etag } = (await store.get('f/lost'))!;
        proxy.inject({ kind: 'dropAnswer' }, { times: 1, match: (req) => req.method === 'PUT' });
        expect(await store.compareAndSwap('f/lost', etag, 'mine, v2')).toBe(true);
        expect((await store.get('f/lost'))?.body.toString()).toBe('mine, v2');
        // Someone else's object is still someone else's.
        expect(await store.putIfAbsent('f/lost', 'other')).toBe(false);
      });

      it('a conditional write that never arrived is not mistaken for a twin that stored the same bytes', async () => {
        const store = proxied();
        const twin = h.make({ samePrefixAs: store });
        proxy.inject({ kind: 'close' }, { times: 1, match: (req) => req.method === 'PUT', before: async () => void (await twin.putIfAbsent('f/twin', 'same')) });
        expect(await store.putIfAbsent('f/twin', 'same')).toBe(false);
        await store.put('f/counter', '5');
        const { etag } = (await store.get('f/counter'))!;
        proxy.inject({ kind: 'close' }, { times: 1, match: (req) => req.method === 'PUT', before: async () => void (await twin.compareAndSwap('f/counter', etag, '6')) });
        expect(await store.compareAndSwap('f/counter', etag, '6')).toBe(false); // the twin's increment, not ours
        expect(requests('PUT').length).toBeGreaterThanOrEqual(3);
      });
    });

    describe('errors a user can fix', () => {
      const operations = (store: ObjectStore, file: string): [string, () => Promise<unknown>][] => [
        ['get', () => store.get('k')],
        ['head', () => store.head('k')],
        ['list', () => store.list('')],
        ['put', () => store.put('k', 'v')],
        ['putIfAbsent', () => store.putIfAbsent('k', 'v')],
        ['compareAndSwap', () => store.compareAndSwap('k', 'etag', 'v')],
        ['putFile', () => store.putFile('k', file)],
        ['getFile', () => store.getFile('k', path.join(dir, 'never'))],
        ['getStream', () => store.getStream('k')],
      ];

      it('wrong credentials give StoreAccessError, and no secret shows in the message or stack', async () => {
        const store = h.make({ wrongSecret: h.wrongSecret, retry: FAST_RETRY });
        const file = path.join(dir, 'small');
        writeFileSync(file, 'small');
        for (const [op, run] of operations(store, file)) {
          const error = await run().then(() => undefined, (e: unknown) => e);
          expect(error, op).toBeInstanceOf(StoreAccessError);
          expect(isUserError(error), op).toBe(true);
          expectOneLineNaming(error, store);
          const shown = `${(error as Error).message}\n${(error as Error).stack}\n${inspect(error)}`;
          for (const secret of [...h.secrets, h.wrongSecret]) expect(shown, op).not.toContain(secret);
        }
        expect(store.location).not.toMatch(new RegExp(h.secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')));
      });

      it('a missing bucket or container gives StoreAccessError', async () => {
        const store = h.make({ missingContainer: true, retry: FAST_RETRY });
        const file = path.join(dir, 'small');
        writeFileSync(file, 'small');
        for (const [op, run] of operations(store, file)) {
          const error = await run().then(() => undefined, (e: unknown) => e);
          expect(error, op).toBeInstanceOf(StoreAccessError);
          expect((error as Error).message, op).toMatch(/does not exist/);
          expectOneLineNaming(error, store);
        }
      });
    });
  });
}
