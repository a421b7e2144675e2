/**
 * This machine's copies of a remote registry's small objects, so that browsing and re-reading a
 * registry in a bucket moves as few bytes as possible:
 *
 * - collection documents (they change, by compare-and-swap) are kept with their ETag and
 *   revalidated on every read with a conditional GET (`If-None-Match`): an unchanged document
 *   costs one request and no body. Every read is still a fresh read of the store: the commit
 *   protocol never acts on a copy that was not just confirmed current.
 * - manifests and run records (written once, never changed) are kept as they are and read from
 *   here without any request; a manifest is checked against its key (the MD5 of its bytes) on
 *   every read, so a damaged copy is caught.
 *
 * Files live under `<local root>/cache/<sha256 of the store's location>/`, each written to a temp
 * file and renamed, so several processes can share them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore, StoredObject } from '../store/object-store';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function writeAtomically(file: string, bytes: Buffer | string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fsp.writeFile(tmp, bytes);
    await fsp.rename(tmp, file);
  } catch {
    await fsp.rm(tmp, { force: true }); // a cache that cannot be written is only slower
  }
}

/** The folder of a remote store's cached objects under this machine's local root. */
export function remoteCacheDir(localRoot: string, location: string): string {
  return path.join(localRoot, 'cache', sha(location).slice(0, 32));
}

/** Documents that change: cached with their etag, revalidated by a conditional GET on each read. */
export class DocumentCache {
  private readonly memory = new Map<string, StoredObject>();

  constructor(
    private readonly store: ObjectStore,
    /** Where copies persist between processes; undefined: this process only. */
    private readonly dir: string | undefined,
  ) {}

  private fileOf(key: string): string | undefined {
    return this.dir && path.join(this.dir, 'documents', `${sha(key)}.doc`);
  }

  private async cached(key: string): Promise<StoredObject | undefined> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    const file = this.fileOf(key);
    const bytes = file && (await fsp.readFile(file).catch(() => undefined));
    if (!bytes) return undefined;
    // `<etag>\n<body>`: an etag never holds a newline.
    const nl = bytes.indexOf(0x0a);
    return nl > 0 ? { etag: bytes.subarray(0, nl).toString('utf8'), body: bytes.subarray(nl + 1) } : undefined;
  }

  private async keep(key: string, obj: StoredObject): Promise<void> {
    this.memory.set(key, obj);
    const file = this.fileOf(key);
    if (file) await writeAtomically(file, Buffer.concat([Buffer.from(`${obj.etag}\n`), obj.body]));
  }

  /** Forgets a document (after this process changed it: its new etag is not known here). */
  async forget(key: string): Promise<void> {
    this.memory.delete(key);
    const file = this.fileOf(key);
    if (file) await fsp.rm(file, { force: true });
  }

  /** The document as the store has it now: the cached copy when the store confirms it unchanged. */
  async read(key: string): Promise<StoredObject | undefined> {
    if (!this.store.getIfChanged) return this.store.get(key);
    const cached = await this.cached(key);
    const fresh = cached ? await this.store.getIfChanged(key, cached.etag) : await this.store.get(key);
    if (fresh === 'unchanged') {
      this.memory.set(key, cached!);
      return cached;
    }
    if (!fresh) {
      if (cached) await this.forget(key);
      return undefined;
    }
    await this.keep(key, fresh);
    return fresh;
  }
}

/** Objects written once under their key: read from here, fetched once otherwise. */
export class ImmutableCache {
  constructor(
    private readonly store: ObjectStore,
    private readonly dir: string,
  ) {}

  private fileOf(key: string): string {
    return path.join(this.dir, 'immutable', ...key.split('/'));
  }

  /** The object's bytes (`check` may refuse a cached copy, which is then fetched again). */
  async read(key: string, check: (body: Buffer) => boolean = () => true): Promise<Buffer | undefined> {
    const file = this.fileOf(key);
    const local = await fsp.readFile(file).catch(() => undefined);
    if (local && check(local)) return local;
    const obj = await this.store.get(key);
    if (obj && check(obj.body)) await writeAtomically(file, obj.body);
    return obj?.body;
  }

  /** Keeps bytes this process wrote to the store under `key`. */
  async keep(key: string, body: Buffer | string): Promise<void> {
    await writeAtomically(this.fileOf(key), body);
  }
}
