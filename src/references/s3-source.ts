/**
 * Reading referenced objects in an S3 bucket (or GCS through its S3 interoperability), with the
 * registry store's retries, timeouts and one-line errors (an S3ObjectStore on the bucket, no
 * prefix). Loaded only when such a reference is first used: it pulls in the AWS SDK.
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type GetBucketVersioningCommandOutput,
  type GetObjectCommandOutput,
  type HeadObjectCommandOutput,
  type ListObjectsV2CommandOutput,
  type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import { S3ObjectStore, type S3StoreOptions } from '../store/s3-store';
import type { CloudObject, ObjectSource } from './cloud-objects';

const unquote = (etag: string | undefined) => (etag ?? '').replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const realVersion = (v: string | undefined) => (v && v !== 'null' ? v : undefined);

export class S3ReferenceSource implements ObjectSource {
  private readonly store: S3ObjectStore;
  private readonly bucket: string;
  private versioning: Promise<boolean> | undefined;

  constructor(opts: S3StoreOptions) {
    this.store = new S3ObjectStore({ ...opts, prefix: '' });
    this.bucket = opts.bucket;
  }

  /** Whether the bucket keeps versions (asked once; a server that cannot say counts as no). */
  private versioned(): Promise<boolean> {
    this.versioning ??= this.store
      // l10n-ignore: the S3 request, as the store names requests in its errors
      .run('GET versioning', undefined, (io) => this.store.sendRaw<GetBucketVersioningCommandOutput>(new GetBucketVersioningCommand({ Bucket: this.bucket }), io.signal))
      // l10n-ignore: S3's own status values
      .then((r) => r.Status === 'Enabled' || r.Status === 'Suspended', () => false);
    return this.versioning;
  }

  async head(key: string, versionId?: string): Promise<CloudObject | undefined> {
    const got = await this.store.run(`HEAD ${key}`, undefined, async (io) => {
      try {
        return await this.store.sendRaw<HeadObjectCommandOutput>(new HeadObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }), io.signal);
      } catch (e) {
        if (statusOf(e) === 404 || (versionId && statusOf(e) === 400)) return undefined;
        throw e;
      }
    });
    if (!got) {
      await this.store.confirmMissing();
      return undefined;
    }
    return { key, size: got.ContentLength ?? 0, etag: unquote(got.ETag), versionId: realVersion(got.VersionId) };
  }

  async list(prefix: string, limit: number): Promise<CloudObject[]> {
    const out: CloudObject[] = [];
    if (await this.versioned()) {
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      do {
        // l10n-ignore: the S3 request, as the store names requests in its errors
        const page = await this.store.run(`LIST versions ${prefix}`, undefined, (io) =>
          this.store.sendRaw<ListObjectVersionsCommandOutput>(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker, VersionIdMarker, MaxKeys: 1000 }), io.signal));
        for (const v of page.Versions ?? []) {
          if (v.IsLatest && v.Key && (v.Size ?? 0) > 0 && !v.Key.endsWith('/')) out.push({ key: v.Key, size: v.Size ?? 0, etag: unquote(v.ETag), versionId: realVersion(v.VersionId) });
        }
        // A key whose newest entry is a delete marker is gone: its older versions are not listed above.
        KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (KeyMarker && out.length < limit);
    } else {
      let ContinuationToken: string | undefined;
      do {
        const page = await this.store.run(`LIST ${prefix}`, undefined, (io) =>
          this.store.sendRaw<ListObjectsV2CommandOutput>(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken, MaxKeys: 1000 }), io.signal));
        for (const o of page.Contents ?? []) if (o.Key && (o.Size ?? 0) > 0 && !o.Key.endsWith('/')) out.push({ key: o.Key, size: o.Size ?? 0, etag: unquote(o.ETag) });
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken && out.length < limit);
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, limit);
  }

  async download(key: string, { versionId, etag, dest, signal }: { versionId?: string; etag: string; dest: string; signal?: AbortSignal }): Promise<'written' | 'missing' | 'changed'> {
    return this.store.run(`GET ${key}`, signal, async (io) => {
      let res: GetObjectCommandOutput;
      try {
        res = await this.store.sendRaw<GetObjectCommandOutput>(
          new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : { IfMatch: etag }) }),
          io.signal,
        );
      } catch (e) {
        if (statusOf(e) === 404 || (versionId && statusOf(e) === 400)) return 'missing';
        if (statusOf(e) === 412) return 'changed';
        throw e;
      }
      if (unquote(res.ETag) !== etag) {
        (res.Body as Readable | undefined)?.destroy();
        return 'changed';
      }
      await pipeline(res.Body as Readable, createWriteStream(dest, { mode: 0o644 }), { signal: io.signal });
      return 'written';
    });
  }

  async versionWithEtag(key: string, etag: string): Promise<string | undefined> {
    if (!(await this.versioned())) return undefined;
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      // l10n-ignore: the S3 request, as the store names requests in its errors
      const page = await this.store.run(`LIST versions ${key}`, undefined, (io) =>
        this.store.sendRaw<ListObjectVersionsCommandOutput>(new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, KeyMarker, VersionIdMarker }), io.signal));
      const hit = (page.Versions ?? []).find((v) => v.Key === key && unquote(v.ETag) === etag);
      if (hit) return realVersion(hit.VersionId);
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker);
    return undefined;
  }
}
