/**
 * ObjectStore on a local folder. Every write goes to `<root>/tmp` first and is then renamed (or, for
 * create-only writes, hard-linked) into place, so a reader sees a whole object or none, and a crash
 * leaves only temp files behind.
 *
 * Compare-and-swap without a lock. A document changed by compareAndSwap is kept as numbered,
 * immutable states in `<key>.states/<N>.json`; the highest number is current. A swap from state N
 * creates state N+1 with `link()`, which fails if N+1 exists: of two writers that read N, exactly
 * one wins, and a writer that was paused or killed can never overwrite a newer state (it would need
 * to create a number that already exists). Old states are removed once KEEP_STATES newer ones exist
 * and they are older than PRUNE_AGE_MS. A number could be created again only after it was pruned,
 * which needs its successor to be older than PRUNE_AGE_MS; the etag carries the time it was read,
 * and a swap whose read is older than half that is refused (the caller reads again), so a stale
 * writer cannot slip a state in behind the current one. A plain file at the key (written by put, or
 * by an older version of this tool) is the state before the first swap.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { ConflictError, ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { assertValidKey, type ListPage, type LocalCapabilities, type ObjectInfo, type ObjectStore, type StoredObject, type TransferOptions } from './object-store';

/** Folders of the root that hold no objects (`cache`: copies of remote registries' documents). */
const BLOB_KEY = /^objects\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}$/;
const INTERNAL_DIRS = new Set(['tmp', 'locks', 'staging', 'checksums', 'trash', 'cache']);
const DEFAULT_PAGE = 1000;
const STATES = '.states';
export const KEEP_STATES = 8;
export const PRUNE_AGE_MS = 10 * 60 * 1000;

function isErrno(e: unknown, ...codes: string[]): boolean {
  return codes.includes((e as NodeJS.ErrnoException)?.code ?? '');
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function stateName(n: number): string {
  return `${String(n).padStart(12, '0')}.json`;
}

/** `s<N>@<read time>` → [N, read time]; undefined for other etags. */
function parseStateEtag(etag: string): [number, number] | undefined {
  const m = /^s(\d+)@(\d+)$/.exec(etag);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The object's identity on disk: another file at the same key (re-created, replaced) has another. */
function versionOf(st: { ino: number; mtimeMs: number; size: number }): string {
  return `${st.ino}-${st.mtimeMs}-${st.size}`;
}

export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  private readonly tmpDir: string;
  readonly local: LocalCapabilities;

  constructor(root: string) {
    if (typeof root !== 'string' || root.trim() === '') throw new ValidationError(l10n.t('The registry folder is empty: name a folder'));
    this.root = path.resolve(root);
    const st = statOrUndefined(this.root);
    if (st && !st.isDirectory()) {
      throw new ValidationError(
        st.isFile() ? l10n.t('The registry {0} is not a folder (it is a file)', this.root) : l10n.t('The registry {0} is not a folder (it is a special file)', this.root),
      );
    }
    this.tmpDir = path.join(this.root, 'tmp');
    this.local = { root: this.root, tmpDir: this.tmpDir, pathOf: (key) => this.localPath(key) };
  }

  get location(): string {
    return this.root;
  }

  private localPath(key: string): string {
    // Blob keys (most of the calls, one per file of a version) are made by us and need no check.
    if (BLOB_KEY.test(key)) return this.root + path.sep + (path.sep === '/' ? key : key.replaceAll('/', path.sep));
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  /** The numbers of a document's states, ascending (empty when it has none). */
  private async states(file: string): Promise<number[]> {
    try {
      return (await fsp.readdir(file + STATES))
        .filter((n) => /^\d{12}\.json$/.test(n))
        .map((n) => Number(n.slice(0, 12)))
        .sort((a, b) => a - b);
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return [];
      throw e;
    }
  }

  /**
   * The file holding the current bytes of `key` and its etag, if the key exists. A plain file is
   * looked at first (one stat: every blob and manifest is one); a key changed by compareAndSwap has
   * no plain file once its first state exists (the swap removes it).
   */
  private async current(key: string): Promise<{ file: string; etag?: string; stat?: import('node:fs').Stats } | undefined> {
    const file = this.localPath(key);
    const st = await fsp.stat(file).catch(() => undefined);
    if (st?.isFile()) return { file, stat: st };
    const states = await this.states(file);
    if (states.length > 0) {
      const n = states[states.length - 1]!;
      return { file: path.join(file + STATES, stateName(n)), etag: `s${n}@${Date.now()}` };
    }
    return undefined;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    // A state can be pruned between listing and reading only once newer ones exist: read again.
    for (let attempt = 0; ; attempt++) {
      const cur = await this.current(key);
      if (!cur) return undefined;
      try {
        const body = await fsp.readFile(cur.file);
        return { body, etag: cur.etag ?? `m${createHash('md5').update(body).digest('hex')}` };
      } catch (e) {
        if (!isErrno(e, 'ENOENT') || attempt > 20) throw e;
      }
    }
  }

  /**
   * A document's state number is its version: the same number means the same bytes. An etag read
   * long ago is answered with a fresh read instead (compareAndSwap refuses etags that old).
   */
  async getIfChanged(key: string, etag: string): Promise<StoredObject | 'unchanged' | undefined> {
    const seen = parseStateEtag(etag);
    if (seen && Date.now() - seen[1] < PRUNE_AGE_MS / 4) {
      const states = await this.states(this.localPath(key));
      if (states.length > 0 && states[states.length - 1] === seen[0]) return 'unchanged';
    }
    const got = await this.get(key);
    return got && got.etag === etag && !seen ? 'unchanged' : got;
  }

  async getStream(key: string): Promise<Readable | undefined> {
    const cur = await this.current(key);
    if (!cur) return undefined;
    try {
      const handle = await fsp.open(cur.file, 'r');
      return handle.createReadStream(); // closes the handle when done
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  async getFile(key: string, dest: string, _opts: TransferOptions = {}): Promise<boolean> {
    const cur = await this.current(key);
    if (!cur) return false;
    const tmp = `${dest}.artifacts-tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      await fsp.copyFile(cur.file, tmp);
      await fsp.chmod(tmp, 0o644);
      await fsp.rename(tmp, dest);
      return true;
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return false;
      throw e;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const cur = await this.current(key);
    if (!cur) return undefined;
    try {
      const st = cur.stat ?? (await fsp.stat(cur.file));
      return st.isFile() ? { key, size: st.size, lastModified: st.mtimeMs, version: versionOf(st) } : undefined;
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return undefined;
      throw e;
    }
  }

  /**
   * Keys under `prefix` in key order, walking only the folders that can hold keys after `cursor`,
   * so paging through a large folder reads each directory once.
   */
  async list(prefix: string, opts: { delimiter?: string; cursor?: string; limit?: number } = {}): Promise<ListPage> {
    const limit = opts.limit ?? DEFAULT_PAGE;
    const cursor = opts.cursor;
    const grouped = opts.delimiter === '/';
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    let more = false;
    const visit = async (dir: string, keyPrefix: string): Promise<void> => {
      let dirents: Dirent[];
      try {
        dirents = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isErrno(e, 'ENOENT', 'ENOTDIR')) return;
        throw e;
      }
      const entries = dirents
        .filter((d) => keyPrefix || !INTERNAL_DIRS.has(d.name))
        .map((d) => {
          const isStates = d.isDirectory() && d.name.endsWith(STATES);
          const name = isStates ? d.name.slice(0, -STATES.length) : d.name;
          const isDir = d.isDirectory() && !isStates;
          return { d, isStates, isDir, key: keyPrefix + name + (isDir ? '/' : '') };
        })
        .filter((e) => e.isDir || e.isStates || e.d.isFile())
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : Number(b.isStates) - Number(a.isStates)));
      let last: string | undefined;
      for (const e of entries) {
        if (more && !grouped) return;
        if (e.key === last) continue; // a plain file shadowed by the states of the same key
        if (e.isDir) {
          if (!e.key.startsWith(prefix) && !prefix.startsWith(e.key)) continue;
          if (cursor && cursor > e.key && !cursor.startsWith(e.key)) continue;
          if (grouped && e.key.startsWith(prefix) && e.key.length > prefix.length) {
            if (!cursor) prefixes.push(prefix + e.key.slice(prefix.length).split('/')[0] + '/');
            continue;
          }
          await visit(path.join(dir, e.d.name), e.key);
          continue;
        }
        if (!e.key.startsWith(prefix) || (cursor && e.key <= cursor)) continue;
        last = e.key;
        if (objects.length === limit) {
          more = true;
          if (!grouped) return;
          continue;
        }
        const info = e.isStates
          ? await this.head(e.key).catch(() => undefined)
          : await fsp.stat(path.join(dir, e.d.name)).then((st) => ({ key: e.key, size: st.size, lastModified: st.mtimeMs, version: versionOf(st) }), () => undefined);
        if (info) objects.push(info);
      }
    };
    await visit(dirKey ? path.join(this.root, ...dirKey.split('/')) : this.root, dirKey ? `${dirKey}/` : '');
    return { objects, prefixes: [...new Set(prefixes)], cursor: more ? objects[objects.length - 1]!.key : undefined };
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
    try {
      await fsp.copyFile(localPath, tmp);
      await fsp.chmod(tmp, 0o444);
      await fsp.rename(tmp, dest);
    } finally {
      await fsp.rm(tmp, { force: true });
    }
    if (move) await fsp.rm(localPath, { force: true });
  }

  /** Hard-links a temp file holding `body` to `dest`: false when something is already there. */
  private async createExclusive(dest: string, body: Buffer | string): Promise<boolean> {
    const tmp = await this.writeTemp(body);
    try {
      await fsp.mkdir(path.dirname(dest), { recursive: true });
      await fsp.link(tmp, dest);
      return true;
    } catch (e) {
      if (isErrno(e, 'EEXIST')) return false;
      throw e;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async putIfAbsent(key: string, body: Buffer | string): Promise<boolean> {
    if ((await this.states(this.localPath(key))).length > 0) return false;
    return this.createExclusive(this.localPath(key), body);
  }

  async compareAndSwap(key: string, expectedEtag: string | null, body: Buffer | string): Promise<boolean> {
    const file = this.localPath(key);
    const states = await this.states(file);
    let next: number;
    let readAt = Date.now();
    if (expectedEtag === null) {
      if (states.length > 0 || (await fsp.lstat(file).then(() => true, () => false))) return false;
      next = 1;
    } else if (expectedEtag.startsWith('m')) {
      // The plain file before the first swap.
      if (states.length > 0) return false;
      const plain = await fsp.readFile(file).catch(() => undefined);
      if (!plain || `m${createHash('md5').update(plain).digest('hex')}` !== expectedEtag) return false;
      next = 1;
    } else {
      const parsed = parseStateEtag(expectedEtag);
      if (!parsed) return false;
      [next, readAt] = [parsed[0] + 1, parsed[1]];
      if (Date.now() - readAt > PRUNE_AGE_MS / 2) return false; // too old to trust: read again
    }
    if (!(await this.createExclusive(path.join(file + STATES, stateName(next)), body))) return false;
    if (next === 1) await fsp.rm(file, { force: true }); // the plain file is now state 0: readers look here first
    if (Date.now() - readAt > PRUNE_AGE_MS) {
      // Paused for longer than pruning waits: the number might have been pruned and re-created.
      await fsp.rm(path.join(file + STATES, stateName(next)), { force: true });
      const paused = formatNumber(Math.round((Date.now() - readAt) / 1000));
      throw new ConflictError(l10n.t('Could not confirm the change of {0}: the process was paused for {1} s. Nothing was changed; try again', key, paused));
    }
    await this.prune(file, next);
    return true;
  }

  /** Removes states older than PRUNE_AGE_MS that KEEP_STATES newer ones have replaced, oldest first. */
  private async prune(file: string, newest: number): Promise<void> {
    const dir = file + STATES;
    const cutoff = Date.now() - PRUNE_AGE_MS;
    for (const n of await this.states(file)) {
      if (n > newest - KEEP_STATES) break;
      const st = await fsp.stat(path.join(dir, stateName(n))).catch(() => undefined);
      if (!st) continue;
      if (st.mtimeMs > cutoff) break; // keep ascending order: never remove n+1 while n remains
      await fsp.rm(path.join(dir, stateName(n)), { force: true });
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.localPath(key);
    await fsp.rm(file + STATES, { recursive: true, force: true });
    await fsp.rm(file, { force: true });
  }

  async deleteIfUnchanged(key: string, ifVersion: string): Promise<boolean> {
    const file = this.localPath(key);
    // Move the file aside atomically, then look at what was moved: if it is not the object the
    // caller meant (re-created since it was listed), put it back; link() never replaces a newer one.
    const trash = path.join(this.root, 'trash', `${process.pid}-${randomBytes(8).toString('hex')}`);
    await fsp.mkdir(path.dirname(trash), { recursive: true });
    try {
      await fsp.rename(file, trash);
    } catch (e) {
      if (isErrno(e, 'ENOENT', 'ENOTDIR')) return false;
      throw e;
    }
    const st = await fsp.stat(trash);
    if (versionOf(st) !== ifVersion) {
      await fsp.link(trash, file).catch((e) => {
        if (!isErrno(e, 'EEXIST')) throw e;
      });
      await fsp.rm(trash, { force: true });
      return false;
    }
    await fsp.rm(trash, { force: true });
    return true;
  }
}
