/**
 * The local cache in front of a registry in a bucket, proven by the requests that reach the real
 * server (through a proxy that records them): blobs fetched once are served from the cache,
 * manifests and run records are never fetched twice, collection documents are revalidated with a
 * conditional GET that moves no body, and uploads send only the blobs the bucket lacks.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Registry } from '../../src/registry/registry';
import { FaultProxy, startFaultProxy, type SeenRequest } from '../support/fault-proxy';
import { describeEachStore, registryAt } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

const isBlob = (r: SeenRequest) => r.url.includes('/objects/md5/');
const isManifest = (r: SeenRequest) => r.url.includes('/manifests/');
const isDocument = (r: SeenRequest) => /\/entities\/.*index\.json/.test(decodeURIComponent(r.url));
const isRun = (r: SeenRequest) => r.url.includes('/runs/');

async function logTree(reg: Registry, name: string, files: Record<string, string>) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, 'dataset');
  await a.addDir(dir);
  return reg.log(a);
}

describeEachStore(
  'cache in front of a remote registry',
  (kind) => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(kind.target!);
    });
    afterAll(async () => {
      await proxy.close();
    });
    beforeEach(() => proxy.clear());

    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`part-${i % 3}/f${i}.bin`, `bytes of file ${i} `.repeat(100)]));
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}.txt`, `file ${i}`]));

    it('browsing and re-downloading a fetched version make no blob requests, and documents come back as 304', async () => {
      const location = kind.location();
      await logTree(registryAt(kind, location), 'ds', files);
      const cache = tempDir('artifacts-cache-');
      const viaProxy = () => registryAt(kind, kind.via(location, proxy.url), { localRoot: cache });

      const first = viaProxy();
      await (await first.get('ds')).download(tempDir());
      expect(proxy.seen.filter(isBlob).length).toBeGreaterThanOrEqual(20);

      // The same process browses and downloads again, into a new folder.
      proxy.clear();
      const browse = async (reg: Registry) => {
        const collections = await reg.listCollections();
        expect(collections.map((c) => c.collection)).toEqual(['ds']);
        const [v0] = await reg.listVersions(collections[0]!);
        const a = await reg.get(v0!.qualifiedName);
        expect(a.manifest.fileCount).toBe(20);
        await a.loggedBy();
        const out = tempDir();
        const r = await a.download(out);
        expect(r.written).toHaveLength(20);
        expect((await a.verify(out)).ok).toBe(true);
        const entry = await reg.openEntry(a, 'part-0/f0.bin');
        let text = '';
        for await (const chunk of entry.stream) text += chunk;
        expect(text).toBe(files['part-0/f0.bin']);
      };
      await browse(first);
      expect(proxy.seen.filter(isBlob).map((r) => `${r.method} ${r.url}`)).toEqual([]);
      expect(proxy.seen.filter(isManifest)).toEqual([]);
      expect(proxy.seen.filter((r) => isRun(r) && r.method === 'GET').length).toBeLessThanOrEqual(1); // read once, for loggedBy
      const docs = proxy.seen.filter(isDocument);
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.every((r) => r.status === 304 && r.headers?.['if-none-match'])).toBe(true);

      // Another process (a new Registry on the same cache folder): the same, from the disk cache.
      proxy.clear();
      await browse(viaProxy());
      expect(proxy.seen.filter((r) => (isBlob(r) || isManifest(r) || isRun(r)) && r.method === 'GET').map((r) => r.url)).toEqual([]);
      expect(proxy.seen.filter(isDocument).every((r) => r.status === 304)).toBe(true);
    });

    it('cache info and cleanup apply to blobs fetched from the bucket, never to what the local registry needs', async () => {
      const location = kind.location();
      await logTree(registryAt(kind, location), 'remote-ds', { 'r1.txt': 'from the bucket 1', 'r2.txt': 'from the bucket 2' });
      const cache = tempDir('artifacts-cache-');
      const local = new Registry({ root: cache, entity: 'alice', project: 'demo' });
      await logTree(local, 'local-ds', { 'l.txt': 'the local registry needs this' });
      const remote = registryAt(kind, location, { localRoot: cache });
      await (await remote.get('remote-ds')).download(tempDir());
      const info = await remote.cacheInfo();
      expect([info.files, info.liveFiles]).toEqual([3, 1]);
      const cleaned = await remote.cacheCleanup(0, { graceMs: 0 });
      expect(cleaned.removedFiles).toBe(2);
      expect((await remote.cacheInfo()).files).toBe(1);
      const out = tempDir();
      await (await local.get('local-ds')).download(out);
      expect(await fsp.readFile(path.join(out, 'l.txt'), 'utf8')).toBe('the local registry needs this');
      // The fetched blobs come back on the next download.
      await (await remote.get('remote-ds')).download(tempDir());
      expect((await remote.cacheInfo()).files).toBe(3);
    });

    it('a document changed by another writer is read afresh, never served stale', async () => {
      const location = kind.location();
      const writer = registryAt(kind, location);
      await logTree(writer, 'ds', { 'a.txt': 'one' });
      const reader = registryAt(kind, kind.via(location, proxy.url));
      expect((await reader.get('ds')).version).toBe('v0');
      await logTree(writer, 'ds', { 'a.txt': 'two' });
      proxy.clear();
      expect((await reader.get('ds')).version).toBe('v1');
      expect(proxy.seen.filter(isDocument).map((r) => r.status)).toEqual([200]);
    });

    it('uploads only the blobs the bucket lacks: an unchanged re-log uploads no blob bytes', async () => {
      const location = kind.location();
      const reg = registryAt(kind, kind.via(location, proxy.url));
      await logTree(reg, 'ds', many);
      const puts = () => proxy.seen.filter((r) => r.method === 'PUT' && isBlob(r));
      expect(puts()).toHaveLength(100);
      proxy.clear();
      expect((await logTree(reg, 'ds', many)).deduplicated).toBe(true);
      expect(puts()).toEqual([]);
      // Another machine (its own cache) logs the same files plus one: one blob goes up.
      proxy.clear();
      const other = registryAt(kind, kind.via(location, proxy.url));
      const { artifact } = await logTree(other, 'ds', { ...many, 'extra.txt': 'new' });
      expect(artifact.version).toBe('v1');
      expect(puts()).toHaveLength(1);
      // And it asked about the others with one listing, not a request per blob.
      expect(proxy.seen.filter((r) => r.method === 'HEAD' && isBlob(r))).toEqual([]);
      const out = tempDir();
      await artifact.download(out);
      expect(await fsp.readFile(path.join(out, 'extra.txt'), 'utf8')).toBe('new');
    });
  },
  { remoteOnly: true },
);
