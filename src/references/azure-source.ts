/**
 * Reading referenced blobs in an Azure container, with the registry store's retries, timeouts and
 * one-line errors (an AzureBlobStore on the container, no prefix). Loaded only when such a
 * reference is first used: it pulls in the Azure SDK.
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AzureBlobStore, type AzureStoreOptions } from '../store/azure-store';
import type { CloudObject, ObjectSource } from './cloud-objects';

const unquote = (etag: string | undefined) => (etag ?? '').replace(/^"(.*)"$/, '$1');
const statusOf = (e: unknown) => (e as { statusCode?: number })?.statusCode;

export class AzureReferenceSource implements ObjectSource {
  private readonly store: AzureBlobStore;

  constructor(opts: AzureStoreOptions) {
    this.store = new AzureBlobStore({ ...opts, prefix: '' });
  }

  private blob(key: string, versionId?: string) {
    const b = this.store.container.getBlobClient(key);
    return versionId ? b.withVersion(versionId) : b;
  }

  async head(key: string, versionId?: string): Promise<CloudObject | undefined> {
    const p = await this.store.run(`HEAD ${key}`, undefined, async (io) => {
      try {
        return await this.blob(key, versionId).getProperties({ abortSignal: io.signal });
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    });
    if (!p) {
      await this.store.confirmMissing();
      return undefined;
    }
    // A folder stub of a hierarchical namespace is not an object.
    if (p.metadata?.hdi_isfolder === 'true') return undefined;
    return { key, size: p.contentLength ?? 0, etag: unquote(p.etag), versionId: p.versionId || undefined };
  }

  async list(prefix: string, limit: number): Promise<CloudObject[]> {
    const out: CloudObject[] = [];
    let marker: string | undefined;
    do {
      const page = await this.store.run(`LIST ${prefix}`, undefined, async (io) => {
        const pages = this.store.container.listBlobsFlat({ prefix, includeMetadata: true, abortSignal: io.signal }).byPage({ continuationToken: marker, maxPageSize: 1000 });
        return (await pages.next()).value as {
          continuationToken?: string;
          segment: { blobItems: Array<{ name: string; versionId?: string; metadata?: Record<string, string>; properties: { contentLength?: number; etag?: string } }> };
        };
      });
      for (const b of page.segment.blobItems) {
        if (b.metadata?.hdi_isfolder === 'true' || !b.properties.contentLength || b.name.endsWith('/')) continue;
        out.push({ key: b.name, size: b.properties.contentLength ?? 0, etag: unquote(b.properties.etag), versionId: b.versionId || undefined });
      }
      marker = page.continuationToken || undefined;
    } while (marker && out.length < limit);
    return out.slice(0, limit);
  }

  async download(key: string, { versionId, etag, dest, signal }: { versionId?: string; etag: string; dest: string; signal?: AbortSignal }): Promise<'written' | 'missing' | 'changed'> {
    return this.store.run(`GET ${key}`, signal, async (io) => {
      let res;
      try {
        res = await this.blob(key, versionId).download(0, undefined, {
          abortSignal: io.signal,
          maxRetryRequests: 0,
          conditions: versionId ? undefined : { ifMatch: `"${etag}"` },
        });
      } catch (e) {
        if (statusOf(e) === 404) return 'missing';
        if (statusOf(e) === 412) return 'changed';
        throw e;
      }
      if (unquote(res.etag) !== etag) {
        (res.readableStreamBody as Readable | undefined)?.destroy();
        return 'changed';
      }
      await pipeline(res.readableStreamBody as Readable, createWriteStream(dest, { mode: 0o644 }), { signal: io.signal });
      return 'written';
    });
  }

  async versionWithEtag(key: string, etag: string): Promise<string | undefined> {
    try {
      for await (const b of this.store.container.listBlobsFlat({ prefix: key, includeVersions: true })) {
        if (b.name === key && unquote(b.properties.etag) === etag && b.versionId) return b.versionId;
      }
    } catch {
      // A service without blob versioning cannot list versions: there is no older copy to find.
    }
    return undefined;
  }
}
