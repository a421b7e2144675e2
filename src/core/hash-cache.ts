/**
 * The persistent hash cache (git's index, DVC's state database): for each folder a draft was given,
 * the digest of each file with the stat it had when it was hashed — device, inode, size, mtime and
 * ctime in nanoseconds. A file whose stat is unchanged is not read again, so logging an unchanged
 * folder costs one stat per file.
 *
 * Git's "racy" rule: a file modified within SLACK (2 s) of the moment it was hashed could change
 * again without its mtime moving, so no row is kept for it; the file is hashed the next time and
 * recorded then. Rows are saved atomically (temp file, rename); a damaged or unknown
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
const FORMAT = 2;

/**
 * A row: `"<size> <mtimeNs> <ctimeNs> <ino> <dev> <digest>"`. One string per file keeps the cache
 * cheap to load (a 100,000-file folder is one JSON.parse of 100,000 strings) and a check one
 * `startsWith` of the file's stat written the same way.
 */
type Row = string;

interface CacheFile {
  format: number;
  root: string;
  rows: Record<string, Row>;
}

/** A file's identity as a hashing thread reads it: [size, mtimeNs, ctimeNs, ino, dev] (decimal strings for the bigints). */
export type FileIdentity = [number, string, string, string, string];

/** What the cache knows of a file whose stat is unchanged. */
export interface KnownFile {
  digest: string;
  size: number;
}

export class HashCache {
  private readonly fresh = new Map<string, Row>();
  /** When this run started: a file modified within SLACK of it is racy. */
  private readonly now = BigInt(Date.now()) * 1_000_000n;
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
   * The recorded digest of each file whose stat still matches its row (undefined for the others,
   * which must be read). Stats are taken here, synchronously in chunks that yield to the event
   * loop: a stat is a few microseconds, far less than handing it to a thread.
   */
  async known(files: ReadonlyArray<{ absPath: string; relPath: string }>): Promise<Array<KnownFile | undefined>> {
    const out = new Array<KnownFile | undefined>(files.length);
    const CHUNK = 2000;
    for (let i = 0; i < files.length; i += CHUNK) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      for (let j = i; j < Math.min(files.length, i + CHUNK); j++) {
        const row = this.rows.get(files[j]!.relPath);
        if (row === undefined) continue;
        const st = statSync(files[j]!.absPath, { bigint: true, throwIfNoEntry: false });
        if (!st) continue;
        const key = `${st.size} ${st.mtimeNs} ${st.ctimeNs} ${st.ino} ${st.dev} `;
        if (!row.startsWith(key)) continue;
        this.fresh.set(files[j]!.relPath, row);
        out[j] = { digest: row.slice(key.length), size: Number(st.size) };
      }
    }
    return out;
  }

  /**
   * Records a digest with the file's identity taken before it was read. Git's racy rule: a file
   * modified within SLACK of this run could change again without its mtime moving, so no row is
   * kept for it (it is read again next time, and recorded then). Since a row is only ever used
   * for an unchanged mtime, deciding this once, here, is the same as checking it at every use.
   */
  record(rel: string, id: FileIdentity, digest: string): void {
    this.changed = true;
    if (BigInt(id[1]) + SLACK >= this.now) return;
    this.fresh.set(rel, `${id.join(' ')} ${digest}`);
  }

  /** Saves the rows seen this time (best effort: a cache that cannot be written only costs time). */
  async save(): Promise<void> {
    if (!this.changed && this.fresh.size === this.rows.size) return; // the same rows as on disk
    try {
      // A CacheFile, written a few thousand rows at a time (no object of 100,000 keys, no 10 MB string).
      await writeFileAtomically(this.file, cacheFileChunks(this.root, this.fresh));
      await sweepDeadTemps(this.dir);
      await evictOldest(this.dir);
    } catch {
      // best effort
    }
  }
}

function* cacheFileChunks(root: string, rows: Map<string, string>): Generator<string> {
  // l10n-ignore: JSON, not prose
  yield `{"format":${FORMAT},"root":${JSON.stringify(root)},"rows":{`;
  let chunk = '';
  let n = 0;
  for (const [rel, row] of rows) {
    chunk += `${n++ === 0 ? '' : ','}${JSON.stringify(rel)}:${JSON.stringify(row)}`;
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}}}`;
}

async function evictOldest(dir: string): Promise<void> {
  const names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ROOTS) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await fsp.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => a.t - b.t);
  for (const { n } of dated.slice(0, names.length - MAX_ROOTS)) await fsp.rm(path.join(dir, n), { force: true });
}
