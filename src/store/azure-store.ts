/**
 * ObjectStore on an Azure Blob Storage container (or Azurite), keys as block blob names under an
 * optional prefix.
 *
 * How each operation maps to the Blob REST API:
 * - get / getStream: Get Blob (a broken body is resumed with x-ms-range from where it stopped,
 *   pinned by If-Match to the first answer's ETag); head: Get Blob Properties; delete: Delete Blob;
 *   deleteIfUnchanged: Delete Blob with If-Match (every write gets a new ETag, the version).
 * - list: List Blobs (flat, or by hierarchy with a delimiter); the cursor is the continuation marker.
 * - put: Put Blob with Content-MD5 (checked by the service) and x-ms-blob-content-md5 (kept).
 * - putIfAbsent: Put Blob with `If-None-Match: *` → 409 BlobAlreadyExists means taken: false.
 * - compareAndSwap: Put Blob with `If-Match: <etag>` → 412 ConditionNotMet (also for a blob that
 *   is gone) means someone else changed it: false. Etags are Azure's own, quoted as it gives them.
 * - putFile: one Put Blob up to `multipartThreshold`; above it Put Block for each part (each with
 *   its Content-MD5, bounded concurrency) and one Put Block List. A failed or cancelled upload
 *   never commits, so no blob appears; its uncommitted blocks are invisible and the service drops
 *   them after a week (the API has no call to drop them sooner without committing a blob).
 * - getFile: ranged Get Blob requests in parallel into a temp file beside the destination, renamed.
 *
 * Why each commit point is safe: a registry commit is one Put Blob with If-None-Match or If-Match,
 * which the service evaluates atomically (checked on Azurite with 16-client races: one winner). Put
 * Block List only ever stores content-addressed blobs, where a duplicate write is harmless. When a
 * conditional write's answer is lost and the retry meets 409/412, the write id in the blob's
 * metadata tells whether the first try won.
 * (Should a third writer replace our object before that check, we answer false although our write
 * happened: never true for a write that did not happen, which is the answer that would lose data.)
 *
 * Retries: ours (retry.ts) around whole operations, the SDK's are off (maxTries 1). Timeouts: a
 * per-try watchdog aborts a request that sends or receives nothing for `idleMs` (the Azure
 * pipeline has no socket idle timeout of its own). Credentials: a shared key, a SAS token, a
 * connection string, else DefaultAzureCredential (environment, managed identity, Azure CLI…).
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { AnonymousCredential, ContainerClient, StorageSharedKeyCredential, type BlockBlobUploadOptions, type StoragePipelineOptions } from '@azure/storage-blob';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import * as l10n from '@vscode/l10n';
import { ArtifactsError, CancelledError, CorruptObjectError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { assertValidKey, type ListPage, type ObjectInfo, type ObjectStore, type StoredObject, type TransferOptions } from './object-store';
import { chunksWithin, downloadFile, openStream, type OpenedObject, type RangeReader, type TryIo } from './remote-reads';
import { DEFAULT_RETRY, DEFAULT_TIMEOUTS, IdleTimeoutError, networkCode, withRetries, type RetryPolicy, type Verdict } from './retry';
import { StoreAccessError, StoreRequestError, StoreUnavailableError } from './store-errors';
import { azureLocationText, parseConnectionString } from './store-location';
import { DEFAULT_TUNING, md5FileBase64, planParts, progressReporter, readRange, runPool, type TransferTuning } from './transfer-files';

export { parseConnectionString } from './store-location';

export type AzureCredentialOption =
  | { kind: 'key'; key: string }
  | { kind: 'sas'; token: string }
  | { kind: 'connectionString'; value: string }
  | { kind: 'token'; credential: TokenCredential }
  /** DefaultAzureCredential: environment, workload or managed identity, Azure CLI, … */
  | { kind: 'default' };

export interface AzureStoreOptions {
  account: string;
  container: string;
  prefix?: string;
  /** Blob service URL; default `https://<account>.blob.core.windows.net`. Azurite: `http://127.0.0.1:10000/devstoreaccount1`. */
  endpoint?: string;
  credential?: AzureCredentialOption;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<{ idleMs: number }>;
  tuning?: Partial<TransferTuning>;
}

const LIST_PAGE = 1000;
/** Blob metadata naming the conditional write that stored a blob (metadata names are C# identifiers). */
const WRITE_ID = 'artifactswrite';


/** What an Azure error code (or an @azure/identity error name) means for the person who set up the store. */
function accessReason(code: string | undefined): string | undefined {
  switch (code) {
    case 'AuthenticationFailed':
      return l10n.t('the account key or SAS token is not valid');
    case 'AuthorizationFailure':
      return l10n.t('the account key or SAS token is not valid, or it may not do this');
    case 'AuthorizationPermissionMismatch':
      return l10n.t('the credential lacks the permission for this');
    case 'AuthorizationResourceTypeMismatch':
      return l10n.t('the SAS token does not cover this resource type');
    case 'AuthorizationServiceMismatch':
      return l10n.t('the SAS token does not cover the Blob service');
    case 'AuthorizationSourceIPMismatch':
      return l10n.t('the SAS token does not allow this IP address');
    case 'AuthorizationProtocolMismatch':
      return l10n.t('the SAS token does not allow this protocol');
    case 'InsufficientAccountPermissions':
      return l10n.t('the account lacks the permission for this');
    case 'AccountIsDisabled':
      return l10n.t('the storage account is disabled');
    case 'ContainerNotFound':
      return l10n.t('the container does not exist');
    case 'ContainerBeingDeleted':
      return l10n.t('the container is being deleted');
    case 'InvalidResourceName':
      return l10n.t('the container name is not valid');
    case 'ResourceNotFound':
      return l10n.t('the container or account does not exist');
    case 'CredentialUnavailableError':
      return l10n.t('no Azure credential found (AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN, or a DefaultAzureCredential source such as `az login`)');
    case 'AuthenticationError':
      return l10n.t('signing in to Azure failed');
    default:
      return undefined;
  }
}

/** Get Blob Properties gives an ETag quoted, List Blobs unquoted: versions are compared unquoted. */
function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"(.*)"$/, '$1');
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function codeOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; name?: unknown };
  if (typeof err?.code === 'string') return err.code;
  // l10n-ignore: the SDK's error names
  return typeof err?.name === 'string' && !['Error', 'RestError'].includes(err.name) ? err.name : undefined;
}

export class AzureBlobStore implements ObjectStore, RangeReader {
  readonly location: string;
  readonly container: ContainerClient;
  /** '' or ends with '/'. */
  readonly prefix: string;
  readonly retryPolicy: RetryPolicy;
  readonly tuning: TransferTuning;
  readonly idleMs: number;
  private containerSeen = false;

  constructor(opts: AzureStoreOptions) {
    const prefix = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = prefix ? `${prefix}/` : '';
    this.location = azureLocationText(opts);
    this.retryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
    this.tuning = { ...DEFAULT_TUNING, ...opts.tuning };
    this.idleMs = opts.timeouts?.idleMs ?? DEFAULT_TIMEOUTS.idleMs;
    const pipeline: StoragePipelineOptions = { retryOptions: { maxTries: 1 }, keepAliveOptions: { enable: true } };
    const credential = opts.credential ?? { kind: 'default' };
    // l10n-ignore: a URL
    let service = (opts.endpoint ?? `https://${opts.account}.blob.core.windows.net`).replace(/\/+$/, '');
    const containerPath = `/${encodeURIComponent(opts.container)}`;
    switch (credential.kind) {
      case 'key':
        this.container = new ContainerClient(service + containerPath, new StorageSharedKeyCredential(opts.account, credential.key), pipeline);
        break;
      case 'sas':
        this.container = new ContainerClient(`${service}${containerPath}?${credential.token.replace(/^\?/, '')}`, new AnonymousCredential(), pipeline);
        break;
      case 'connectionString': {
        const cs = parseConnectionString(credential.value);
        const account = cs.AccountName ?? opts.account;
        if (!opts.endpoint) {
          service = (cs.BlobEndpoint ?? `${cs.DefaultEndpointsProtocol ?? 'https'}://${account}.blob.${cs.EndpointSuffix ?? 'core.windows.net'}`).replace(/\/+$/, '');
        }
        if (cs.AccountKey) this.container = new ContainerClient(service + containerPath, new StorageSharedKeyCredential(account, cs.AccountKey), pipeline);
        else if (cs.SharedAccessSignature) this.container = new ContainerClient(`${service}${containerPath}?${cs.SharedAccessSignature.replace(/^\?/, '')}`, new AnonymousCredential(), pipeline);
        else throw new StoreAccessError(this.location, l10n.t('the connection string has neither AccountKey nor SharedAccessSignature'));
        break;
      }
      case 'token':
        this.container = new ContainerClient(service + containerPath, credential.credential, pipeline);
        break;
      case 'default':
        this.container = new ContainerClient(service + containerPath, new DefaultAzureCredential(), pipeline);
        break;
    }
  }

  private name(key: string): string {
    assertValidKey(key);
    return this.prefix + key;
  }

  private blob(key: string) {
    return this.container.getBlockBlobClient(this.name(key));
  }

  // ---- errors, retries, timeouts -------------------------------------------------------------

  classify = (e: unknown): Verdict => {
    if (e instanceof ArtifactsError) return { retry: false };
    const status = statusOf(e);
    const code = codeOf(e);
    if (status === 503 || status === 429 || code === 'ServerBusy') return { retry: true, throttled: true };
    if (status !== undefined && (status >= 500 || status === 408)) return { retry: true };
    if (code === 'Md5Mismatch') return { retry: true }; // bytes damaged on the way
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
      if (status === 401 || status === 403) return new StoreAccessError(this.location, l10n.t('access denied: the credential is not valid or may not do this'), failure);
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

  /**
   * Runs `fn` with retries; each try gets a signal that a watchdog aborts when the try goes
   * `idleMs` without `touch()` (called on every chunk sent or received).
   */
  run<T>(what: string, signal: AbortSignal | undefined, fn: (io: TryIo, attempt: number) => Promise<T>): Promise<T> {
    return withRetries(this.retryPolicy, signal, this.classify, this.giveUp(what), async (attempt) => {
      const watchdog = new AbortController();
      const trySignal = signal ? AbortSignal.any([signal, watchdog.signal]) : watchdog.signal;
      let timer: NodeJS.Timeout | undefined;
      const touch = () => {
        clearTimeout(timer);
        timer = setTimeout(() => watchdog.abort(new IdleTimeoutError(this.idleMs)), this.idleMs);
      };
      touch();
      try {
        return await fn({ signal: trySignal, touch }, attempt);
      } catch (e) {
        if (watchdog.signal.aborted && !signal?.aborted) throw new IdleTimeoutError(this.idleMs);
        throw e;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /** After a 404 without a code (HEAD answers have no body): is it the blob or the container? */
  async confirmMissing(signal?: AbortSignal): Promise<void> {
    if (this.containerSeen) return;
    // l10n-ignore: the request (Get Container Properties), as requests are named in errors
    const exists = await this.run('HEAD container', signal, async (io) => {
      try {
        await this.container.getProperties({ abortSignal: io.signal });
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    });
    if (!exists) throw new StoreAccessError(this.location, accessReason('ContainerNotFound')!, { status: 404, code: 'ContainerNotFound' });
    this.containerSeen = true;
  }

  private isBlobNotFound(e: unknown): boolean {
    return statusOf(e) === 404 && codeOf(e) !== 'ContainerNotFound';
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get(key: string): Promise<StoredObject | undefined> {
    const blob = this.blob(key);
    const got = await this.run(`GET ${key}`, undefined, async (io) => {
      let res;
      try {
        res = await blob.download(0, undefined, { abortSignal: io.signal, maxRetryRequests: 0 });
      } catch (e) {
        if (this.isBlobNotFound(e)) return undefined;
        throw e;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of chunksWithin(res.readableStreamBody as Readable, this.idleMs, io.touch)) chunks.push(chunk);
      return { body: Buffer.concat(chunks), etag: res.etag! };
    });
    if (!got) await this.confirmMissing();
    else this.containerSeen = true;
    return got;
  }

  /** Get Blob with If-None-Match: a 304 answer moves no body. */
  async getIfChanged(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined> {
    const blob = this.blob(key);
    const got = await this.run(l10n.t('GET {0} (if changed)', key), undefined, async (io) => {
      let res;
      try {
        res = await blob.download(0, undefined, { abortSignal: io.signal, maxRetryRequests: 0, conditions: { ifNoneMatch: `"${unquote(etag)}"` } });
      } catch (e) {
        if (statusOf(e) === 304) return 'unchanged' as const;
        if (this.isBlobNotFound(e)) return undefined;
        throw e;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of chunksWithin(res.readableStreamBody as Readable, this.idleMs, io.touch)) chunks.push(chunk);
      return { body: Buffer.concat(chunks), etag: res.etag! };
    });
    if (!got) await this.confirmMissing();
    else this.containerSeen = true;
    return got;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const blob = this.blob(key);
    const info = await this.run(`HEAD ${key}`, undefined, async (io) => {
      try {
        const p = await blob.getProperties({ abortSignal: io.signal });
        return { key, size: p.contentLength ?? 0, lastModified: p.lastModified?.getTime() ?? 0, version: unquote(p.etag) };
      } catch (e) {
        if (this.isBlobNotFound(e)) return undefined;
        throw e;
      }
    });
    if (!info) await this.confirmMissing();
    else this.containerSeen = true;
    return info;
  }

  /** One Get Blob of bytes [start, end) (remote-reads.ts does the rest). */
  async open(key: string, range: { start?: number; end?: number; etag?: string }, io: TryIo): Promise<OpenedObject | undefined> {
    const offset = range.start ?? 0;
    const count = range.end !== undefined ? range.end - offset : undefined;
    let res;
    try {
      res = await this.blob(key).download(offset, count, {
        abortSignal: io.signal,
        maxRetryRequests: 0,
        conditions: range.etag ? { ifMatch: range.etag } : undefined,
      });
    } catch (e) {
      if (this.isBlobNotFound(e) && !range.etag) return undefined;
      if (statusOf(e) === 412 || (this.isBlobNotFound(e) && range.etag)) {
        throw new StoreRequestError(this.location, l10n.t('a read of {0}: the object changed while it was read; try again', key), { status: statusOf(e) });
      }
      throw e;
    }
    this.containerSeen = true;
    const total = /\/(\d+)$/.exec(res.contentRange ?? '')?.[1];
    return { body: res.readableStreamBody as Readable, total: Number(total ?? res.contentLength ?? 0), etag: res.etag!, ranged: Boolean(res.contentRange) };
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
    let marker = opts.cursor;
    do {
      const page = await this.run(`LIST ${prefix || '/'}`, undefined, async (io) => {
        const pages = opts.delimiter
          ? this.container.listBlobsByHierarchy(opts.delimiter, { prefix: this.prefix + prefix, abortSignal: io.signal })
          : this.container.listBlobsFlat({ prefix: this.prefix + prefix, abortSignal: io.signal });
        const next = await pages.byPage({ continuationToken: marker, maxPageSize: Math.min(5000, limit - objects.length - prefixes.length) }).next();
        return next.value as {
          continuationToken?: string;
          segment: { blobItems: { name: string; properties: { contentLength?: number; lastModified?: Date; etag?: string } }[]; blobPrefixes?: { name: string }[] };
        };
      });
      for (const b of page.segment.blobItems) {
        if (b.name.startsWith(this.prefix)) {
          const { contentLength, lastModified, etag } = b.properties;
          objects.push({ key: b.name.slice(this.prefix.length), size: contentLength ?? 0, lastModified: lastModified?.getTime() ?? 0, version: unquote(etag) });
        }
      }
      for (const p of page.segment.blobPrefixes ?? []) if (p.name.startsWith(this.prefix)) prefixes.push(p.name.slice(this.prefix.length));
      marker = page.continuationToken || undefined;
    } while (marker && objects.length + prefixes.length < limit);
    this.containerSeen = true;
    return { objects, prefixes, cursor: marker };
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Put Blob options with the MD5 sent twice: Content-MD5 (checked) and x-ms-blob-content-md5 (kept). */
  private uploadOptions(md5: Buffer, io: TryIo, extra: BlockBlobUploadOptions = {}): BlockBlobUploadOptions {
    return {
      ...extra,
      abortSignal: io.signal,
      onProgress: io.touch,
      blobHTTPHeaders: { blobContentMD5: md5 },
      // Read by the client for Put Blob, though missing from BlockBlobUploadOptions' type.
      ...({ transactionalContentMD5: md5 } as object),
    };
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const blob = this.blob(key);
    const bytes = Buffer.from(body);
    const md5 = createHash('md5').update(bytes).digest();
    await this.run(`PUT ${key}`, undefined, (io) => blob.upload(bytes, bytes.length, this.uploadOptions(md5, io)));
    this.containerSeen = true;
  }

  /**
   * A conditional Put Blob carrying a random write id in its metadata; after an unclear answer (a
   * network error, a 5xx) and a 409/412 on the retry, the write id on the blob tells whether the
   * first try won (its bytes cannot: another writer may have stored the same bytes).
   */
  private async conditionalPut(key: string, body: Buffer | string, conditions: { ifNoneMatch: '*' } | { ifMatch: string }): Promise<boolean> {
    const blob = this.blob(key);
    const bytes = Buffer.from(body);
    const md5 = createHash('md5').update(bytes).digest();
    const writeId = randomBytes(12).toString('hex');
    let ambiguous = false;
    const what = 'ifNoneMatch' in conditions ? l10n.t('PUT {0} (if absent)', key) : l10n.t('PUT {0} (if unchanged)', key);
    return this.run(what, undefined, async (io) => {
      try {
        await blob.upload(bytes, bytes.length, this.uploadOptions(md5, io, { conditions, metadata: { [WRITE_ID]: writeId } }));
        return true;
      } catch (e) {
        const status = statusOf(e);
        if (status === 412 || codeOf(e) === 'BlobAlreadyExists' || (status === 404 && 'ifMatch' in conditions && this.isBlobNotFound(e))) {
          return ambiguous ? (await this.writeIdOf(key)) === writeId : false;
        }
        if (status === undefined || status >= 500) ambiguous = true;
        throw e;
      }
    });
  }

  private async writeIdOf(key: string): Promise<string | undefined> {
    const blob = this.blob(key);
    return this.run(`HEAD ${key}`, undefined, async (io) => {
      try {
        return (await blob.getProperties({ abortSignal: io.signal })).metadata?.[WRITE_ID];
      } catch (e) {
        if (this.isBlobNotFound(e)) return undefined;
        throw e;
      }
    });
  }

  putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    return this.conditionalPut(key, body, { ifNoneMatch: '*' });
  }

  compareAndSwap(key: string, expectedEtag: string | null, body: Buffer | string): Promise<boolean> {
    if (expectedEtag === null) return this.putIfAbsent(key, body);
    return this.conditionalPut(key, body, { ifMatch: expectedEtag });
  }

  async delete(key: string): Promise<void> {
    const blob = this.blob(key);
    await this.run(`DELETE ${key}`, undefined, (io) => blob.deleteIfExists({ abortSignal: io.signal }));
  }

  /** Delete Blob with If-Match: Azure gives every write a new ETag, so this is exactly "the same object". */
  async deleteIfUnchanged(key: string, version: string): Promise<boolean> {
    const blob = this.blob(key);
    return this.run(l10n.t('DELETE {0} (if unchanged)', key), undefined, async (io) => {
      try {
        await blob.delete({ abortSignal: io.signal, conditions: { ifMatch: `"${unquote(version)}"` } });
        return true;
      } catch (e) {
        if (statusOf(e) === 412 || this.isBlobNotFound(e)) return false;
        throw e;
      }
    });
  }

  async putFile(key: string, localPath: string, opts: { move?: boolean; md5?: string } & TransferOptions = {}): Promise<void> {
    const blob = this.blob(key);
    const { signal } = opts;
    const report = progressReporter(opts.onBytes);
    const file = await fsp.open(localPath, 'r');
    try {
      const { size } = await file.stat();
      if (size <= this.tuning.multipartThreshold) {
        const bytes = await readRange(file, 0, size);
        const md5 = createHash('md5').update(bytes).digest();
        if (opts.md5 && opts.md5 !== md5.toString('base64')) throw new CorruptObjectError(key, `MD5 ${opts.md5}`, l10n.t('MD5 {0} in {1}', md5.toString('base64'), localPath));
        await this.run(`PUT ${key}`, signal, (io) => blob.upload(bytes, size, this.uploadOptions(md5, io)));
        report(size);
      } else {
        await this.blockUpload(key, file, localPath, size, opts.md5, signal, report);
      }
    } finally {
      await file.close();
    }
    this.containerSeen = true;
    if (opts.move) await fsp.rm(localPath, { force: true });
  }

  private async blockUpload(
    key: string, file: FileHandle, localPath: string, size: number,
    md5: string | undefined, signal: AbortSignal | undefined, report: (n: number) => void,
  ): Promise<void> {
    const blob = this.blob(key);
    // Block ids: same length for all blocks of a blob, unique to this upload.
    const uploadId = randomBytes(8).toString('hex');
    const blockId = (i: number) => Buffer.from(`${uploadId}-${String(i).padStart(6, '0')}`).toString('base64');
    const wholeMd5 = md5 ? md5FileBase64(localPath, signal) : undefined;
    wholeMd5?.catch(() => undefined);
    const parts = planParts(size, this.tuning.partSize, 50_000);
    await runPool(parts, this.tuning.concurrency, signal, async (part, inner) => {
      const bytes = await readRange(file, part.start, part.end - part.start);
      const partMd5 = createHash('md5').update(bytes).digest();
      await this.run(l10n.t('upload block {0} of {1}', formatNumber(part.index + 1), key), inner, (io) =>
        blob.stageBlock(blockId(part.index), bytes, bytes.length, { abortSignal: io.signal, onProgress: io.touch, transactionalContentMD5: partMd5 }));
      report(bytes.length);
    });
    if (wholeMd5) {
      const actual = await wholeMd5;
      if (actual !== md5) throw new CorruptObjectError(key, `MD5 ${md5}`, l10n.t('MD5 {0} in {1}', actual, localPath));
    }
    if (signal?.aborted) throw new CancelledError();
    await this.run(l10n.t('commit {0}', key), signal, (io) =>
      blob.commitBlockList(parts.map((p) => blockId(p.index)), {
        abortSignal: io.signal,
        blobHTTPHeaders: md5 ? { blobContentMD5: Buffer.from(md5, 'base64') } : undefined,
      }));
  }
}
