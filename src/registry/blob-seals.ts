/**
 * Seals of the local object folder: for each blob whose bytes we wrote or verified, its inode, size
 * and change time (ctime) at that moment, plus when it was last used. Any change to a file — a
 * write, a truncate, even `touch` or `chmod` — moves its ctime, which no program can set back, so a
 * blob whose stat still matches its seal has the bytes that were verified, and is copied without
 * being hashed again. A blob without a matching seal is hashed while it is copied (see transfer.ts).
 *
 * Stored as 256 small JSON shards per kind under `<local root>/checksums/blobs/`, merged on save so
 * concurrent processes only ever lose a seal (which costs one re-hash), never corrupt one.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FileStamp } from '../core/hashing/pool';

/** [inode, size, ctimeMs, lastUsedMs] */
type Seal = [number, number, number, number];

function shardOf(key: string): string {
  // objects/<kind>/<2 hex>/<rest>
  const [, kind, prefix] = key.split('/');
  return `${kind}-${prefix}`;
}

export class BlobSeals {
  private readonly shards = new Map<string, Map<string, Seal>>();
  private readonly dirty = new Set<string>();

  constructor(private readonly dir: string) {}

  private file(shard: string): string {
    return path.join(this.dir, `${shard}.json`);
  }

  private async readShard(shard: string): Promise<Map<string, Seal>> {
    try {
      return new Map(Object.entries(JSON.parse(await fsp.readFile(this.file(shard), 'utf8')) as Record<string, Seal>));
    } catch {
      return new Map();
    }
  }

  /** Reads the shards holding these keys (once each). */
  async load(keys: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const k of keys) if (!this.shards.has(shardOf(k))) wanted.add(shardOf(k));
    await Promise.all([...wanted].map(async (s) => this.shards.set(s, await this.readShard(s))));
  }

  /** True when the blob's stat still matches the seal made when its bytes were last verified. */
  isIntact(key: string, st: FileStamp): boolean {
    const seal = this.shards.get(shardOf(key))?.get(key);
    return seal !== undefined && seal[0] === st.ino && seal[1] === st.size && seal[2] === st.ctimeMs;
  }

  /** Records that the blob's bytes were just written or verified (and used). */
  seal(key: string, st: FileStamp): void {
    const shard = shardOf(key);
    let rows = this.shards.get(shard);
    if (!rows) this.shards.set(shard, (rows = new Map()));
    rows.set(key, [st.ino, st.size, st.ctimeMs, Date.now()]);
    this.dirty.add(shard);
  }

  /** Records a use, for least-recently-used cleanup. */
  touch(key: string): void {
    const shard = shardOf(key);
    const seal = this.shards.get(shard)?.get(key);
    if (!seal) return;
    seal[3] = Date.now();
    this.dirty.add(shard);
  }

  /** When the blob was last used, if known. */
  lastUsed(key: string): number | undefined {
    return this.shards.get(shardOf(key))?.get(key)?.[3];
  }

  /** All shards (for cache cleanup, which looks at every blob). */
  async loadAll(): Promise<void> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (n) => this.shards.set(n.slice(0, -5), await this.readShard(n.slice(0, -5)))));
  }

  /** Writes changed shards, merged over what other processes wrote meanwhile. */
  async save(): Promise<void> {
    if (this.dirty.size === 0) return;
    await fsp.mkdir(this.dir, { recursive: true });
    await Promise.all(
      [...this.dirty].map(async (shard) => {
        const merged = await this.readShard(shard);
        for (const [k, v] of this.shards.get(shard) ?? []) merged.set(k, v);
        const tmp = `${this.file(shard)}.${process.pid}.${randomBytes(4).toString('hex')}`;
        await fsp.writeFile(tmp, JSON.stringify(Object.fromEntries(merged)));
        await fsp.rename(tmp, this.file(shard));
      }),
    );
    this.dirty.clear();
  }
}
