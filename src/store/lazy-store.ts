/**
 * Opening a registry location without paying for cloud SDKs up front. A folder is opened at once;
 * a bucket or container becomes a LazyRemoteStore, which knows its location (for messages) and its
 * capabilities from the parsed location alone, and loads the S3 or Azure store (and with it the
 * SDK, a separate bundle in dist/sdk/) on its first request. A CLI command or an extension window
 * on a folder registry never loads them.
 */
import type { Readable } from 'node:stream';
import { LocalObjectStore } from './local-store';
import type { ListPage, ObjectInfo, ObjectStore, StoredObject, TransferOptions } from './object-store';
import { parseStoreLocation, type StoreSpec } from './store-location';

type RemoteSpec = Exclude<StoreSpec, { kind: 'local' }>;

async function createRemote(spec: RemoteSpec): Promise<ObjectStore> {
  if (spec.kind === 's3') {
    const { S3ObjectStore } = await import('./s3-store');
    return new S3ObjectStore(spec.options);
  }
  const { AzureBlobStore } = await import('./azure-store');
  return new AzureBlobStore(spec.options);
}

export class LazyRemoteStore implements ObjectStore {
  readonly location: string;
  readonly kind: RemoteSpec['kind'];
  private loaded: Promise<ObjectStore> | undefined;
  /** Azure deletes "if unchanged" atomically (Delete Blob with If-Match); S3 cannot (see s3-store.ts). */
  readonly deleteIfUnchanged?: (key: string, version: string) => Promise<boolean>;

  constructor(private readonly spec: RemoteSpec) {
    this.location = spec.location;
    this.kind = spec.kind;
    if (spec.kind === 'azure') this.deleteIfUnchanged = async (key, version) => (await this.store()).deleteIfUnchanged!(key, version);
  }

  /** The real store (loading its SDK the first time). */
  store(): Promise<ObjectStore> {
    this.loaded ??= createRemote(this.spec);
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    return (await this.store()).get(key);
  }
  async getIfChanged(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined> {
    const s = await this.store();
    return s.getIfChanged ? s.getIfChanged(key, etag) : s.get(key);
  }
  async getStream(key: string): Promise<Readable | undefined> {
    return (await this.store()).getStream(key);
  }
  async head(key: string): Promise<ObjectInfo | undefined> {
    return (await this.store()).head(key);
  }
  async list(prefix: string, opts?: { delimiter?: string; cursor?: string; limit?: number }): Promise<ListPage> {
    return (await this.store()).list(prefix, opts);
  }
  async put(key: string, body: Buffer | string): Promise<void> {
    return (await this.store()).put(key, body);
  }
  async putFile(key: string, localPath: string, opts?: { move?: boolean; md5?: string } & TransferOptions): Promise<void> {
    return (await this.store()).putFile(key, localPath, opts);
  }
  async getFile(key: string, dest: string, opts?: TransferOptions): Promise<boolean> {
    return (await this.store()).getFile(key, dest, opts);
  }
  async putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    return (await this.store()).putIfAbsent(key, body);
  }
  async compareAndSwap(key: string, expectedEtag: string | null, body: Buffer | string): Promise<boolean> {
    return (await this.store()).compareAndSwap(key, expectedEtag, body);
  }
  async delete(key: string): Promise<void> {
    return (await this.store()).delete(key);
  }
}

/** The store a registry location names: a folder at once, a bucket or container lazily. */
export function openStoreLazily(location: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location.trim())) return new LocalObjectStore(location);
  const spec = parseStoreLocation(location, env);
  return spec.kind === 'local' ? new LocalObjectStore(spec.root) : new LazyRemoteStore(spec);
}
