/**
 * ObjectStore on an S3 bucket (AWS S3, Ceph RADOS Gateway, MinIO, R2…), keys under an optional prefix.
 *
 * How each operation maps to the S3 API:
 * - get / getStream: GetObject (a stream that breaks is resumed with a Range from where it stopped,
 *   pinned to the first answer's ETag by If-Match); head: HeadObject; delete: DeleteObject.
 * - list: ListObjectsV2 (Prefix, Delimiter, MaxKeys); the cursor is the continuation token. An
 *   object's version is its ETag; its time is cut to whole seconds so that head and list agree.
 * - deleteIfUnchanged: not offered. Ceph deletes whatever If-Match says on DeleteObject, and an
 *   ETag (an MD5) is the same for the same bytes written again: the registry's fallback, a fresh
 *   head compared by ETag and time before a plain delete, tells a rewrite apart.
 * - put: PutObject with Content-MD5, so the server rejects bytes damaged on the way.
 * - putIfAbsent: PutObject with `If-None-Match: *` → 412 (or 409 while a concurrent conditional
 *   write is in flight) means someone else's object is there: false.
 * - compareAndSwap: PutObject with `If-Match: <etag>` → 412/409/404 false. The ETag is sent
 *   unquoted (Ceph answers 412 to the quoted form even when it matches); etags handed back are
 *   unquoted too, and a quoted one given to us is accepted.
 * - putFile: one PutObject with Content-MD5 up to `multipartThreshold`; above it a multipart
 *   upload with a Content-MD5 on every part, bounded concurrency, and AbortMultipartUpload on every
 *   failure or cancellation (after every in-flight part has settled), so nothing is left pending.
 *   (Our own loop rather than lib-storage's Upload: its done() rejects on abort before the server's
 *   AbortMultipartUpload is sent, and its parts cannot carry their own Content-MD5.)
 * - getFile: ranged GETs in parallel into a temp file beside the destination, renamed at the end.
 *
 * Why each commit point is safe: a registry commit is always one small single-request PutObject
 * with If-None-Match or If-Match, which S3 (and RGW, checked with 16-client races) evaluates
 * atomically: of concurrent writers exactly one gets 2xx. A multipart completion is never a commit
 * point (Ceph ignores If-None-Match on CompleteMultipartUpload); it only stores content-addressed
 * blobs, where a duplicate write is harmless. When a conditional PUT's answer is lost and the retry
 * meets 412, the write id in the object's metadata tells whether the first try won (not its bytes:
 * another writer may store the same bytes). Ceph answers 500 to some losers of an If-Match race;
 * that is how such an unclear answer comes about even without a network fault.
 * (Should a third writer replace our object before that check, we answer false although our write
 * happened: never true for a write that did not happen, which is the answer that would lose data.)
 *
 * Retries: ours (retry.ts), around whole operations including the body; the SDK's are off.
 * Timeouts: connect and socket-idle on the SDK's Node handler. Checksums: only when the API
 * requires one (`WHEN_REQUIRED`): Ceph answers 411 to the SDK's default streamed checksums.
 * Credentials: the SDK's default provider chain unless the caller hands some over.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { promises as fsp } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type GetObjectCommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { FileHandle } from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import { ArtifactsError, CancelledError, CorruptObjectError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { assertValidKey, type ListPage, type ObjectInfo, type ObjectStore, type StoredObject, type TransferOptions } from './object-store';
import { DEFAULT_RETRY, DEFAULT_TIMEOUTS, networkCode, withRetries, type RetryPolicy, type TimeoutPolicy, type Verdict } from './retry';
import { downloadFile, openStream, type OpenedObject, type RangeReader, type TryIo } from './remote-reads';
import { StoreAccessError, StoreRequestError, StoreUnavailableError } from './store-errors';
import { s3LocationText } from './store-location';
import { DEFAULT_TUNING, md5Base64, md5FileBase64, planParts, progressReporter, readRange, runPool, type TransferTuning } from './transfer-files';

export interface S3StoreOptions {
  bucket: string;
  /** Keys live under this prefix (no leading or trailing slash needed). */
  prefix?: string;
  region?: string;
  /** A non-AWS endpoint, e.g. `http://127.0.0.1:7480`. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`); default: on with a custom endpoint, off for AWS. */
  forcePathStyle?: boolean;
  /**
   * Only for a host that already holds credentials (and tests). Without it the SDK's default
   * chain applies: environment, shared config and profiles, SSO, container and instance roles.
   */
  credentials?: S3ClientConfig['credentials'];
  /** A shared-config profile (default: AWS_PROFILE, else `default`). */
  profile?: string;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<TimeoutPolicy>;
  tuning?: Partial<TransferTuning>;
}

const LIST_PAGE = 1000;
/** User metadata (x-amz-meta-…) naming the conditional write that stored an object. */
const WRITE_ID = 'artifacts-write';

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/**
 * Whole seconds, as milliseconds: HEAD's Last-Modified has second resolution while a listing may
 * have milliseconds (Ceph's does), and head and list must agree on an object's time.
 */
function seconds(date: Date | undefined): number {
  return date ? Math.floor(date.getTime() / 1000) * 1000 : 0;
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function codeOf(e: unknown): string | undefined {
  const err = e as { Code?: unknown; name?: unknown };
  if (typeof err?.Code === 'string') return err.Code;
  // l10n-ignore: the SDK's error names
  return typeof err?.name === 'string' && err.name !== 'Error' && err.name !== 'S3ServiceException' ? err.name : undefined;
}

/** What an S3 error code (or the SDK's credential error) means for the person who set up the store. */
function accessReason(code: string | undefined): string | undefined {
  switch (code) {
    case 'InvalidAccessKeyId':
      return l10n.t('the access key is not known to the server');
    case 'SignatureDoesNotMatch':
      return l10n.t('the secret key does not match the access key');
    case 'AccessDenied':
      return l10n.t('access denied');
    case 'AllAccessDisabled':
      return l10n.t('access to the bucket is disabled');
    case 'ExpiredToken':
      return l10n.t('the session token has expired');
    case 'InvalidToken':
      return l10n.t('the session token is not valid');
    case 'TokenRefreshRequired':
      return l10n.t('the session token must be refreshed');
    case 'NoSuchBucket':
      return l10n.t('the bucket does not exist');
    case 'AuthorizationHeaderMalformed':
      return l10n.t('the request was signed for another region (set the region)');
    case 'PermanentRedirect':
      return l10n.t('the bucket is in another region or needs another endpoint');
    case 'InvalidBucketName':
      return l10n.t('the bucket name is not valid');
    case 'CredentialsProviderError':
      return l10n.t('no AWS credentials found (environment, shared config or profile, SSO, container or instance role)');
    default:
      return undefined;
  }
}

export class S3ObjectStore implements ObjectStore, RangeReader {
  readonly location: string;
  readonly bucket: string;
  /** '' or ends with '/'. */
  readonly prefix: string;
  private readonly client: S3Client;
  readonly retryPolicy: RetryPolicy;
  readonly tuning: TransferTuning;
  readonly idleMs: number;
  private bucketSeen = false;

  constructor(opts: S3StoreOptions) {
    this.bucket = opts.bucket;
    const prefix = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = prefix ? `${prefix}/` : '';
    this.location = s3LocationText(opts);
    this.retryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
    this.tuning = { ...DEFAULT_TUNING, ...opts.tuning };
    const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.idleMs = timeouts.idleMs;
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.client = new S3Client({
      // Without one: the SDK's own lookup (AWS_REGION, the profile); S3-compatible servers mostly use us-east-1.
      region: opts.region ?? (opts.endpoint ? 'us-east-1' : undefined),
      profile: opts.profile,
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint),
      credentials: opts.credentials,
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: timeouts.connectMs,
        socketTimeout: timeouts.idleMs,
        httpAgent: new http.Agent(agentOptions),
        httpsAgent: new https.Agent(agentOptions),
      },
    });
  }

  /** Closes idle connections. */
  destroy(): void {
    this.client.destroy();
  }

  private fullKey(key: string): string {
    assertValidKey(key);
    return this.prefix + key;
  }

  // ---- errors and retries --------------------------------------------------------------------

  classify = (e: unknown): Verdict => {
    if (e instanceof ArtifactsError) return { retry: false };
    const status = statusOf(e);
    const code = codeOf(e);
    // l10n-ignore: S3 error codes
    if (status === 503 || status === 429 || code === 'SlowDown' || code === 'Throttling' || code === 'ThrottlingException') return { retry: true, throttled: true };
    if (status !== undefined && (status >= 500 || status === 408)) return { retry: true };
    if (code === 'RequestTimeout' || code === 'BadDigest') return { retry: true }; // BadDigest: bytes damaged on the way
    if (networkCode(e)) return { retry: true };
    return { retry: false };
  };

  /** `what`: the request as `run` was given it. */
  giveUp(what: string) {
    return (e: unknown, attempts: number): Error => {
      if (e instanceof ArtifactsError) return e;
      const status = statusOf(e);
      const code = codeOf(e);
      const failure = { status, code };
      const reason = accessReason(code);
      if (reason) return new StoreAccessError(this.location, reason, failure);
      if (status === 401 || status === 403) return new StoreAccessError(this.location, l10n.t('access denied'), failure);
      // l10n-ignore: the SDK's own message
      if (/Region is missing/i.test((e as Error)?.message ?? '')) return new StoreAccessError(this.location, l10n.t('no AWS region set (add ?region=…, or set AWS_REGION or a region in the profile)'));
      if (status === 301) return new StoreAccessError(this.location, accessReason('PermanentRedirect')!, failure);
      const net = networkCode(e);
      if (net) {
        const reason = attempts > 1 ? l10n.t('{0} got no answer after {1} tries', what, formatNumber(attempts)) : l10n.t('{0} got no answer', what);
        return new StoreUnavailableError(this.location, reason, { code: net });
      }
      if (status !== undefined && (status >= 500 || status === 429 || status === 408)) {
        const reason = attempts > 1 ? l10n.t('{0} failed after {1} tries', what, formatNumber(attempts)) : l10n.t('{0} failed', what);
        return new StoreUnavailableError(this.location, reason, failure);
      }
      return new StoreRequestError(this.location, what, failure);
    };
  }

  run<T>(what: string, signal: AbortSignal | undefined, fn: (io: TryIo, attempt: number) => Promise<T>): Promise<T> {
    // The SDK's handler enforces the idle timeout on the socket: nothing to touch.
    const io: TryIo = { signal, touch: () => undefined };
    return withRetries(this.retryPolicy, signal, this.classify, this.giveUp(what), (attempt) => fn(io, attempt));
  }

  /**
   * One SDK command this store does not make itself (reads of references: a version, a listing of
   * versions), for use inside run() so it gets the same retries and one-line errors. Keys are the
   * bucket's own: no prefix is added.
   */
  sendRaw<T>(command: unknown, signal?: AbortSignal): Promise<T> {
    return this.client.send(command as GetObjectCommand, { abortSignal: signal }) as unknown as Promise<T>;
  }

  /** After a 404 without a code (HEAD has no body): is it the key or the whole bucket? */
  async confirmMissing(signal?: AbortSignal): Promise<void> {
    if (!this.bucketSeen) {
      // l10n-ignore: the S3 request (HeadBucket), as requests are named in errors
      await this.run('HEAD bucket', signal, () => this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal })).catch((e) => {
        throw (e as StoreRequestError).status === 404 ? new StoreAccessError(this.location, accessReason('NoSuchBucket')!, { status: 404, code: 'NoSuchBucket' }) : e;
      });
      this.bucketSeen = true;
    }
  }

  private isNoSuchKey(e: unknown): boolean {
    return statusOf(e) === 404 && codeOf(e) !== 'NoSuchBucket';
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get(key: string): Promise<StoredObject | undefined> {
    const Key = this.fullKey(key);
    const got = await this.run(`GET ${key}`, undefined, async () => {
      try {
        const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
        const body = Buffer.from(await res.Body!.transformToByteArray());
        return { body, etag: unquote(res.ETag) };
      } catch (e) {
        if (codeOf(e) === 'NoSuchKey' || this.isNoSuchKey(e)) return undefined;
        throw e;
      }
    });
    if (got) this.bucketSeen = true;
    return got;
  }

  /** GetObject with If-None-Match: a 304 answer moves no body. */
  async getIfChanged(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined> {
    const Key = this.fullKey(key);
    const got = await this.run(l10n.t('GET {0} (if changed)', key), undefined, async () => {
      try {
        const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, IfNoneMatch: `"${unquote(etag)}"` }));
        const body = Buffer.from(await res.Body!.transformToByteArray());
        return { body, etag: unquote(res.ETag) };
      } catch (e) {
        if (statusOf(e) === 304) return 'unchanged' as const;
        if (codeOf(e) === 'NoSuchKey' || this.isNoSuchKey(e)) return undefined;
        throw e;
      }
    });
    if (got) this.bucketSeen = true;
    return got;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const Key = this.fullKey(key);
    const info = await this.run(`HEAD ${key}`, undefined, async () => {
      try {
        const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
        return { key, size: res.ContentLength ?? 0, lastModified: seconds(res.LastModified), version: unquote(res.ETag) };
      } catch (e) {
        if (this.isNoSuchKey(e)) return undefined;
        throw e;
      }
    });
    if (!info) return void (await this.confirmMissing());
    this.bucketSeen = true;
    return info;
  }

  /** One GetObject of bytes [start, end) (remote-reads.ts does the rest). */
  async open(key: string, range: { start?: number; end?: number; etag?: string }, io: TryIo): Promise<OpenedObject | undefined> {
    const ranged = range.start !== undefined || range.end !== undefined;
    const Range = ranged ? `bytes=${range.start ?? 0}-${range.end !== undefined ? range.end - 1 : ''}` : undefined;
    let res: GetObjectCommandOutput;
    try {
      res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Range, IfMatch: range.etag }), { abortSignal: io.signal });
    } catch (e) {
      if (codeOf(e) === 'NoSuchKey' || this.isNoSuchKey(e)) return undefined;
      if (statusOf(e) === 412) throw new StoreRequestError(this.location, l10n.t('a read of {0}: the object changed while it was read; try again', key), { status: 412 });
      throw e;
    }
    this.bucketSeen = true;
    const total = /\/(\d+)$/.exec(res.ContentRange ?? '')?.[1];
    return { body: res.Body as Readable, total: Number(total ?? res.ContentLength ?? 0), etag: unquote(res.ETag), ranged: Boolean(res.ContentRange) };
  }

  getStream(key: string): Promise<Readable | undefined> {
    return openStream(this, key);
  }

  getFile(key: string, dest: string, opts: TransferOptions = {}): Promise<boolean> {
    return downloadFile(this, key, dest, opts);
  }

  async list(prefix: string, opts: { delimiter?: string; cursor?: string; limit?: number } = {}): Promise<ListPage> {
    const limit = opts.limit ?? LIST_PAGE;
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    let token = opts.cursor;
    do {
      const res = await this.run(`LIST ${prefix || '/'}`, undefined, () =>
        this.client.send(new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          Delimiter: opts.delimiter,
          MaxKeys: Math.min(LIST_PAGE, limit - objects.length - prefixes.length),
          ContinuationToken: token,
        })));
      for (const o of res.Contents ?? []) {
        if (!o.Key?.startsWith(this.prefix)) continue;
        objects.push({ key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, lastModified: seconds(o.LastModified), version: unquote(o.ETag) });
      }
      for (const p of res.CommonPrefixes ?? []) if (p.Prefix?.startsWith(this.prefix)) prefixes.push(p.Prefix.slice(this.prefix.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token && objects.length + prefixes.length < limit);
    this.bucketSeen = true;
    return { objects, prefixes, cursor: token };
  }

  // ---- writes --------------------------------------------------------------------------------

  async put(key: string, body: Buffer | string): Promise<void> {
    const Key = this.fullKey(key);
    const bytes = Buffer.from(body);
    await this.run(`PUT ${key}`, undefined, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: bytes.length, ContentMD5: md5Base64(bytes) })));
  }

  /**
   * A conditional PutObject. Each one carries a random write id in its metadata. When a try gets no
   * clear answer (a network error or a 5xx: Ceph answers 500 to some losers of an If-Match race)
   * and a retry then meets 412/409, the write id on the object says whether the first try won. The
   * bytes cannot say it: another writer may have stored the very same bytes.
   */
  private async conditionalPut(key: string, body: Buffer | string, condition: { IfNoneMatch: '*' } | { IfMatch: string }): Promise<boolean> {
    const Key = this.fullKey(key);
    const bytes = Buffer.from(body);
    const md5 = md5Base64(bytes);
    const writeId = randomBytes(12).toString('hex');
    let ambiguous = false;
    const what = 'IfNoneMatch' in condition ? l10n.t('PUT {0} (if absent)', key) : l10n.t('PUT {0} (if unchanged)', key);
    return this.run(what, undefined, async () => {
      try {
        await this.client.send(new PutObjectCommand({
          Bucket: this.bucket, Key, Body: bytes, ContentLength: bytes.length, ContentMD5: md5, Metadata: { [WRITE_ID]: writeId }, ...condition,
        }));
        return true;
      } catch (e) {
        const status = statusOf(e);
        if (status === 412 || status === 409 || (status === 404 && 'IfMatch' in condition && codeOf(e) !== 'NoSuchBucket')) {
          return ambiguous ? (await this.writeIdOf(Key)) === writeId : false;
        }
        if (status === undefined || status >= 500) ambiguous = true;
        throw e;
      }
    });
  }

  private async writeIdOf(Key: string): Promise<string | undefined> {
    return this.run('HEAD', undefined, async () => {
      try {
        return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }))).Metadata?.[WRITE_ID];
      } catch (e) {
        if (this.isNoSuchKey(e)) return undefined;
        throw e;
      }
    });
  }

  putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    return this.conditionalPut(key, body, { IfNoneMatch: '*' });
  }

  compareAndSwap(key: string, expectedEtag: string | null, body: Buffer | string): Promise<boolean> {
    if (expectedEtag === null) return this.putIfAbsent(key, body);
    return this.conditionalPut(key, body, { IfMatch: unquote(expectedEtag) });
  }

  async delete(key: string): Promise<void> {
    const Key = this.fullKey(key);
    await this.run(`DELETE ${key}`, undefined, async () => {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
      } catch (e) {
        if (!(codeOf(e) === 'NoSuchKey' || this.isNoSuchKey(e))) throw e;
      }
    });
  }

  async putFile(key: string, localPath: string, opts: { move?: boolean; md5?: string } & TransferOptions = {}): Promise<void> {
    const Key = this.fullKey(key);
    const { signal } = opts;
    const report = progressReporter(opts.onBytes);
    const file = await fsp.open(localPath, 'r');
    try {
      const { size } = await file.stat();
      if (size <= this.tuning.multipartThreshold) {
        const bytes = await readRange(file, 0, size);
        // A given MD5 (the digest the caller hashed) goes as Content-MD5 as it is: the server checks
        // the bytes against it, and only when it refuses them are they hashed here, to tell a file
        // that changed (final) from bytes damaged on the way (retried).
        const md5 = opts.md5 ?? md5Base64(bytes);
        await this.run(`PUT ${key}`, signal, async () => {
          try {
            await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: size, ContentMD5: md5 }), { abortSignal: signal });
          } catch (e) {
            if (opts.md5 && (codeOf(e) === 'BadDigest' || codeOf(e) === 'InvalidDigest') && md5Base64(bytes) !== opts.md5) {
              throw new CorruptObjectError(key, `MD5 ${opts.md5}`, l10n.t('MD5 {0} in {1}', md5Base64(bytes), localPath));
            }
            throw e;
          }
        });
        report(size);
      } else {
        await this.multipartUpload(key, Key, file, localPath, size, opts.md5, signal, report);
      }
    } finally {
      await file.close();
    }
    if (opts.move) await fsp.rm(localPath, { force: true });
  }

  private async multipartUpload(
    key: string, Key: string, file: FileHandle, localPath: string, size: number,
    md5: string | undefined, signal: AbortSignal | undefined, report: (n: number) => void,
  ): Promise<void> {
    const created = await this.run(l10n.t('start upload of {0}', key), signal, () =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }), { abortSignal: signal }));
    const UploadId = created.UploadId!;
    // The whole file's MD5, read beside the parts: each part's Content-MD5 guards the transfer,
    // this guards against a file that changed since the caller hashed it.
    const wholeMd5 = md5 ? md5FileBase64(localPath, signal) : undefined;
    wholeMd5?.catch(() => undefined);
    try {
      const parts = planParts(size, this.tuning.partSize);
      const etags: string[] = [];
      await runPool(parts, this.tuning.concurrency, signal, async (part, inner) => {
        const bytes = await readRange(file, part.start, part.end - part.start);
        const res = await this.run(l10n.t('upload part {0} of {1}', formatNumber(part.index + 1), key), inner, () =>
          this.client.send(new UploadPartCommand({
            Bucket: this.bucket, Key, UploadId, PartNumber: part.index + 1, Body: bytes, ContentLength: bytes.length, ContentMD5: md5Base64(bytes),
          }), { abortSignal: inner }));
        etags[part.index] = res.ETag!;
        report(bytes.length);
      });
      if (wholeMd5) {
        const actual = await wholeMd5;
        if (actual !== md5) throw new CorruptObjectError(key, `MD5 ${md5}`, l10n.t('MD5 {0} in {1}', actual, localPath));
      }
      if (signal?.aborted) throw new CancelledError();
      await this.run(l10n.t('complete upload of {0}', key), signal, async (_io, attempt) => {
        try {
          await this.client.send(new CompleteMultipartUploadCommand({
            Bucket: this.bucket, Key, UploadId,
            MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.index + 1, ETag: etags[p.index] })) },
          }));
        } catch (e) {
          // A retry after a completion whose answer was lost finds no upload, and the object there.
          if (attempt > 1 && codeOf(e) === 'NoSuchUpload' && (await this.head(key))?.size === size) return;
          throw e;
        }
      });
    } catch (e) {
      await this.abortUpload(key, Key, UploadId);
      throw e;
    }
  }

  /** Best effort, never cancelled: a pending upload keeps its parts (and their cost) until aborted. */
  private async abortUpload(key: string, Key: string, UploadId: string): Promise<void> {
    await this.run(l10n.t('abort upload of {0}', key), undefined, async () => {
      try {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }));
      } catch (e) {
        if (codeOf(e) !== 'NoSuchUpload') throw e;
      }
    }).catch(() => undefined);
  }
}
