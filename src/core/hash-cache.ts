/**
 * The persistent hash cache (git's index, DVC's state database): for each folder a draft was given,
 * the digest of each file with the stat it had when it was hashed — device, inode, size, mtime and
 * ctime in nanoseconds. A file whose stat is unchanged is not read again, so logging an unchanged
 * folder costs one stat per file.
 *
 * Git's "racy" rule: a file modified within TIMESTAMP_SLACK_NS of the moment its row was written
 * could change again without its mtime moving, so such a row is not trusted; the file is hashed the
 * next time and recorded again. Rows are saved atomically (temp file, rename); a damaged or unknown
 * file is ignored (everything is hashed). The cache mirrors the folder as last seen: rows of files
 * that are gone are dropped, and at most MAX_ROOTS folders are kept (least recently used first).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, type BigIntStats } from 'node:fs';
import * as path from 'node:path';

/** Larger than any filesystem's timestamp granularity this runs on (FAT has 2 s). */
const TIMESTAMP_SLACK_NS = 2_000_000_000n;
const MAX_ROOTS = 500;
const FORMAT = 1;

/** [size, mtimeNs, ctimeNs, ino, dev, digest, recordedAtNs] (bigints as decimal strings). */
type Row = [number, string, string, string, string, string, string];

interface CacheFile {
  format: number;
  root: string;
  rows: Record<string, Row>;
}

export type FileStat = Pick<BigIntStats, 'size' | 'mtimeNs' | 'ctimeNs' | 'ino' | 'dev'>;

export class HashCache {
  private readonly fresh = new Map<string, Row>();
  private readonly now = process.hrtime.bigint() * 0n + BigInt(Date.now()) * 1_000_000n;

  private constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly rows: Map<string, Row>,
    private readonly dir: string,
  ) {}

  /** The cache of `root` (an absolute folder) kept under `dir`. */
  static async load(dir: string, root: string): Promise<HashCache> {
    const abs = path.resolve(root);
    const file = path.join(dir, `${createHash('sha256').update(abs).digest('hex')}.json`);
    let rows = new Map<string, Row>();
    try {
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as CacheFile;
      if (parsed.format === FORMAT && parsed.root === abs && typeof parsed.rows === 'object') rows = new Map(Object.entries(parsed.rows));
    } catch {
      // None yet, or unreadable: everything is hashed.
    }
    return new HashCache(file, abs, rows, dir);
  }

  /** The recorded digest of `rel` when its stat is what it was and the row is not racy. */
  lookup(rel: string, st: FileStat): string | undefined {
    const row = this.rows.get(rel);
    if (!row) return undefined;
    const [size, mtime, ctime, ino, dev, digest, recordedAt] = row;
    if (size !== Number(st.size) || mtime !== String(st.mtimeNs) || ctime !== String(st.ctimeNs) || ino !== String(st.ino) || dev !== String(st.dev)) return undefined;
    if (st.mtimeNs + TIMESTAMP_SLACK_NS >= BigInt(recordedAt)) return undefined; // racy: hash again
    this.fresh.set(rel, row);
    return digest;
  }

  /** Records a digest with the stat taken before the file was read. */
  record(rel: string, st: FileStat, digest: string): void {
    this.fresh.set(rel, [Number(st.size), String(st.mtimeNs), String(st.ctimeNs), String(st.ino), String(st.dev), digest, String(this.now)]);
  }

  /** Saves the rows seen this time (best effort: a cache that cannot be written only costs time). */
  async save(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      await fsp.mkdir(this.dir, { recursive: true });
      const body: CacheFile = { format: FORMAT, root: this.root, rows: Object.fromEntries(this.fresh) };
      await fsp.writeFile(tmp, JSON.stringify(body));
      await fsp.rename(tmp, this.file);
      await evictOldest(this.dir);
    } catch {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

async function evictOldest(dir: string): Promise<void> {
  const names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ROOTS) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fsp.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => a.t - b.t);
  for (const { n } of dated.slice(0, names.length - MAX_ROOTS)) await fsp.rm(path.join(dir, n), { force: true });
}

/** bigint stats of many files at once (undefined for one that vanished). */
export async function statAll(files: readonly string[]): Promise<Array<BigIntStats | undefined>> {
  const out: Array<BigIntStats | undefined> = new Array(files.length);
  const BATCH = 256;
  for (let i = 0; i < files.length; i += BATCH) {
    const part = await Promise.all(files.slice(i, i + BATCH).map((f) => fsp.stat(f, { bigint: true }).catch(() => undefined)));
    part.forEach((st, j) => (out[i + j] = st));
  }
  return out;
}
