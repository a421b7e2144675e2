/**
 * The seam under the registry: a handful of operations a folder, S3 and Azure Blob all offer.
 * Keys are `/`-separated, never start with `/`, and have no `.`/`..`/empty segments.
 *
 * Commit discipline the registry relies on: blobs are immutable and content-addressed (`put` is
 * idempotent), a few small pointer documents change only through `compareAndSwap`, and nothing is
 * ever renamed or found by listing order.
 */
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';

export interface ObjectInfo {
  key: string;
  size: number;
  /** Milliseconds since the epoch. */
  lastModified: number;
  /** Identifies this very object: another object later written at the key has another version. */
  version?: string;
}

export interface StoredObject {
  body: Buffer;
  /** Opaque version tag for compareAndSwap (an MD5 of the bytes for small objects). */
  etag: string;
}

export interface ListPage {
  objects: ObjectInfo[];
  /** With a delimiter: the "folders" directly under the prefix, each ending with the delimiter. */
  prefixes: string[];
  /** Pass back to get the next page; undefined on the last page. */
  cursor?: string;
}

/** Cancellation and byte progress for transfers of whole files. */
export interface TransferOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes moved since the last call. */
  onBytes?: (n: number) => void;
}

/**
 * What only a store on this machine's filesystem can do. A remote store leaves it undefined and
 * the registry takes the general path (stream through the local cache); nothing checks the class.
 */
export interface LocalCapabilities {
  /** The store's root folder. */
  readonly root: string;
  /** Where the object of `key` is on disk (to read or copy it in place; never to write it). */
  pathOf(key: string): string;
  /** A temp folder on the same filesystem as the objects (renames into the store are atomic). */
  readonly tmpDir: string;
}

export interface ObjectStore {
  /** A human-readable location (a folder path or a bucket URL), never holding a credential. */
  readonly location: string;
  get(key: string): Promise<StoredObject | undefined>;
  getStream(key: string): Promise<Readable | undefined>;
  /**
   * A conditional get (HTTP If-None-Match): `'unchanged'`, moving no bytes, while the object is
   * still the one whose etag (from get) is `etag`; otherwise what get gives. Optional: a store
   * without it is read with get.
   */
  getIfChanged?(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  list(prefix: string, opts?: { delimiter?: string; cursor?: string; limit?: number }): Promise<ListPage>;
  /** Idempotent write of an immutable object (same key, same bytes). */
  put(key: string, body: Buffer | string): Promise<void>;
  /**
   * Stores a local file under `key`. With `move`, the file may be consumed (renamed into place when
   * the store is on the same filesystem); otherwise it is copied. `md5` (base64), when given, is the
   * digest the bytes must have: a remote store sends it so the server rejects damaged bytes.
   */
  putFile(key: string, localPath: string, opts?: { move?: boolean; md5?: string } & TransferOptions): Promise<void>;
  /**
   * Writes the object into the local file `dest` (created or replaced; a remote store may fetch
   * large objects in parallel ranges). False, writing nothing, when the object does not exist.
   */
  getFile(key: string, dest: string, opts?: TransferOptions): Promise<boolean>;
  /** Creates `key` only if nothing is there: true when created, false when it already existed. */
  putIfAbsent(key: string, body: Buffer | string): Promise<boolean>;
  /**
   * Replaces `key` only if its current etag is `expectedEtag` (or, for null, only if it does not
   * exist). False when someone else changed it first.
   */
  compareAndSwap(key: string, expectedEtag: string | null, body: Buffer | string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Deletes the object only if it is still the one seen with `version` (from head or list): false,
   * deleting nothing, when it is gone or was written again since. Stores that cannot do this
   * atomically leave it out, and callers fall back to comparing a fresh head.
   */
  deleteIfUnchanged?(key: string, version: string): Promise<boolean>;
  /** Present only when the objects are files on this machine. */
  readonly local?: LocalCapabilities;
}

/** All objects under a prefix, page by page. */
export async function* listAll(store: ObjectStore, prefix: string): AsyncGenerator<ObjectInfo> {
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, { cursor });
    yield* page.objects;
    cursor = page.cursor;
  } while (cursor);
}

export function assertValidKey(key: string): void {
  if (!key || key.startsWith('/') || key.split('/').some((s) => s === '' || s === '.' || s === '..') || key.includes('\0') || key.includes('\\')) {
    throw new Error(l10n.t('Invalid object key: {0}', JSON.stringify(key)));
  }
}
