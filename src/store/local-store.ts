/**
 * ObjectStore on a local folder. Every write goes to `<root>/tmp` first and is then renamed (or, for
 * create-only writes, hard-linked) into place, so a reader sees a whole object or none, and a crash
 * leaves only temp files behind. Compare-and-swap holds a short lock per key (proper-lockfile, with
 * stale-lock recovery) while it checks the etag and renames.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import lockfile from 'proper-lockfile';
import { assertValidKey, type ListPage, type LocalCapabilities, type ObjectInfo, type ObjectStore, type StoredObject, type TransferOptions } from './object-store';

/** Folders of the root that hold no objects. */
const INTERNAL_DIRS = new Set(['tmp', 'locks', 'staging', 'checksums']);
const DEFAULT_PAGE = 1000;

function etagOf(body: Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

function isErrno(e: unknown, ...codes: string[]): boolean {
  return codes.includes((e as NodeJS.ErrnoException)?.code ?? '');
}

export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  private readonly tmpDir: string;
  private readonly lockDir: string;

  readonly local: LocalCapabilities;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, 'tmp');
    this.lockDir = path.join(this.root, 'locks');
    this.local = { root: this.root, tmpDir: this.tmpDir, pathOf: (key) => this.localPath(key) };
  }

  get location(): string {
    return this.root;
  }

  localPath(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const body = await fsp.readFile(this.localPath(key));
      return { body, etag: etagOf(body) };
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  async getStream(key: string): Promise<Readable | undefined> {
    const file = this.localPath(key);
    try {
      const handle = await fsp.open(file, 'r');
      return handle.createReadStream(); // closes the handle when done

    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  async getFile(key: string, dest: string, _opts: TransferOptions = {}): Promise<boolean> {
    const tmp = `${dest}.artifacts-tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      await fsp.copyFile(this.localPath(key), tmp);
      await fsp.chmod(tmp, 0o644);
      await fsp.rename(tmp, dest);
      return true;
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return false;
      throw e;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const st = await fsp.stat(this.localPath(key));
      return st.isFile() ? { key, size: st.size, lastModified: st.mtimeMs } : undefined;
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  async list(prefix: string, opts: { delimiter?: string; cursor?: string; limit?: number } = {}): Promise<ListPage> {
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const start = dirKey ? path.join(this.root, ...dirKey.split('/')) : this.root;
    const objects: ObjectInfo[] = [];
    const prefixes = new Set<string>();
    const visit = async (dir: string, keyPrefix: string, recurse: boolean) => {
      let dirents;
      try {
        dirents = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isErrno(e, 'ENOENT', 'ENOTDIR')) return;
        throw e;
      }
      for (const d of dirents) {
        if (!keyPrefix && INTERNAL_DIRS.has(d.name)) continue;
        const key = keyPrefix + d.name;
        if (d.isDirectory()) {
          const sub = `${key}/`;
          if (!sub.startsWith(prefix) && !prefix.startsWith(sub)) continue;
          if (opts.delimiter === '/' && sub.startsWith(prefix) && sub.length > prefix.length) {
            prefixes.add(prefix + sub.slice(prefix.length).split('/')[0] + '/');
            continue;
          }
          if (recurse) await visit(path.join(dir, d.name), sub, recurse);
        } else if (d.isFile() && key.startsWith(prefix)) {
          const st = await fsp.stat(path.join(dir, d.name)).catch(() => undefined);
          if (st) objects.push({ key, size: st.size, lastModified: st.mtimeMs });
        }
      }
    };
    await visit(start, dirKey ? `${dirKey}/` : '', true);
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const after = opts.cursor ? objects.filter((o) => o.key > opts.cursor!) : objects;
    const limit = opts.limit ?? DEFAULT_PAGE;
    const page = after.slice(0, limit);
    return {
      objects: page,
      prefixes: opts.cursor ? [] : [...prefixes].sort(),
      cursor: after.length > limit ? page[page.length - 1]!.key : undefined,
    };
  }

  private async writeTemp(body: Buffer | string): Promise<string> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    await fsp.writeFile(tmp, body);
    return tmp;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const dest = this.localPath(key);
    const tmp = await this.writeTemp(body);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(tmp, dest);
  }

  async putFile(key: string, localPath: string, { move = false }: { move?: boolean } & TransferOptions = {}): Promise<void> {
    const dest = this.localPath(key);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    if (await this.head(key)) {
      if (move) await fsp.rm(localPath, { force: true });
      return;
    }
    if (move) {
      try {
        await fsp.rename(localPath, dest);
        return;
      } catch (e) {
        if (!isErrno(e, 'EXDEV')) throw e;
      }
    }
    await fsp.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    await fsp.copyFile(localPath, tmp);
    await fsp.chmod(tmp, 0o444);
    await fsp.rename(tmp, dest);
    if (move) await fsp.rm(localPath, { force: true });
  }

  async putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    const dest = this.localPath(key);
    const tmp = await this.writeTemp(body);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    try {
      await fsp.link(tmp, dest);
      return true;
    } catch (e) {
      if (isErrno(e, 'EEXIST')) return false;
      throw e;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async compareAndSwap(key: string, expectedEtag: string | null, body: Buffer | string): Promise<boolean> {
    if (expectedEtag === null) return this.putIfAbsent(key, body);
    const dest = this.localPath(key);
    await fsp.mkdir(this.lockDir, { recursive: true });
    const release = await lockfile.lock(dest, {
      realpath: false,
      lockfilePath: path.join(this.lockDir, `${createHash('sha1').update(key).digest('hex')}.lock`),
      // A holder refreshes its lock; one left by a killed process is taken over after `stale` ms,
      // and the retries below outlast that.
      stale: 5_000,
      retries: { retries: 1000, minTimeout: 2, maxTimeout: 25, randomize: true },
    });
    try {
      const current = await this.get(key);
      if (!current || current.etag !== expectedEtag) return false;
      const tmp = await this.writeTemp(body);
      await fsp.rename(tmp, dest);
      return true;
    } finally {
      await release();
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.localPath(key), { force: true });
  }
}
