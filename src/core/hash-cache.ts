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
import { createHash } from 'node:crypto';
import { promises as fsp, statSync } from 'node:fs';
import * as path from 'node:path';
import { sweepDeadTemps, writeFileAtomically } from './atomic-file';

/** Larger than any filesystem's timestamp granularity this runs on (FAT has 2 s). */
const SLACK = 2_000_000_000n;
const MAX_ROOTS = 500;
const FORMAT = 1;

/** [size, mtimeNs, ctimeNs, ino, dev, digest, recordedAtNs] (bigints as decimal strings). */
export type Row = [number, string, string, string, string, string, string];

interface CacheFile {
  format: number;
  root: string;
  rows: Record<string, Row>;
}

/** A file's identity as a hashing thread reads it: [size, mtimeNs, ctimeNs, ino, dev] (decimal strings for the bigints). */
export type FileIdentity = [number, string, string, string, string];

export class HashCache {
  private readonly fresh = new Map<string, Row>();
  private readonly now = String(BigInt(Date.now()) * 1_000_000n);
  /** Rows were added or replaced since load. */
  private changed = false;

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

  /**
   * The recorded digest of each file whose stat still matches its row and is not racy (undefined
   * for the others, which must be read). Stats are taken here, synchronously in chunks that yield
   * to the event loop: a stat is a few microseconds, far less than handing it to a thread.
   */
  async known(files: ReadonlyArray<{ absPath: string; relPath: string }>): Promise<Array<Row | undefined>> {
    const out = new Array<Row | undefined>(files.length);
    const CHUNK = 2000;
    for (let i = 0; i < files.length; i += CHUNK) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      for (let j = i; j < Math.min(files.length, i + CHUNK); j++) {
        const row = this.rows.get(files[j]!.relPath);
        if (!row) continue;
        const st = statSync(files[j]!.absPath, { bigint: true, throwIfNoEntry: false });
        if (!st || Number(st.size) !== row[0] || String(st.mtimeNs) !== row[1] || String(st.ctimeNs) !== row[2] || String(st.ino) !== row[3] || String(st.dev) !== row[4]) continue;
        if (st.mtimeNs + SLACK >= BigInt(row[6])) continue; // racy: read it again
        this.fresh.set(files[j]!.relPath, row);
        out[j] = row;
      }
    }
    return out;
  }

  /** Records a digest with the file's identity taken before it was read. */
  record(rel: string, id: FileIdentity, digest: string): void {
    this.fresh.set(rel, [...id, digest, this.now]);
    this.changed = true;
  }

  /** Saves the rows seen this time (best effort: a cache that cannot be written only costs time). */
  async save(): Promise<void> {
    if (!this.changed && this.fresh.size === this.rows.size) return; // the same rows as on disk
    try {
      const body: CacheFile = { format: FORMAT, root: this.root, rows: Object.fromEntries(this.fresh) };
      await writeFileAtomically(this.file, JSON.stringify(body));
      await sweepDeadTemps(this.dir);
      await evictOldest(this.dir);
    } catch {
      // best effort
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
