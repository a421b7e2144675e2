/**
 * What we know about files in a folder we wrote or hashed: size, mtime and inode at the time, and
 * their digest (W&B keeps one `.checksum` file per destination; here it is one JSON per folder, read
 * once). A file whose stat still matches its record is known without reading it, so a second
 * download of an unchanged version costs one stat per file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';

type Row = [size: number, mtimeMs: number, ino: number, digest: string];

interface RecordFile {
  format: 1;
  root: string;
  files: Record<string, Row>;
}

export class ChecksumRecords {
  private dirty = false;

  private constructor(
    private readonly file: string,
    readonly root: string,
    private readonly rows: Map<string, Row>,
  ) {}

  /** The records for `root`, kept under `recordsDir` (a registry's `checksums/` folder). */
  static async load(recordsDir: string, root: string): Promise<ChecksumRecords> {
    const abs = path.resolve(root);
    const file = path.join(recordsDir, `${createHash('sha256').update(abs).digest('hex')}.json`);
    let rows = new Map<string, Row>();
    try {
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as RecordFile;
      if (parsed.format === 1 && parsed.root === abs) rows = new Map(Object.entries(parsed.files));
    } catch {
      // No records yet, or unreadable ones: everything will be checked by content.
    }
    return new ChecksumRecords(file, abs, rows);
  }

  /** The recorded digest of `rel` if the file's stat still matches the record. */
  digestIfUnchanged(rel: string, st: Stats): string | undefined {
    const row = this.rows.get(rel);
    return row && row[0] === st.size && row[1] === st.mtimeMs && row[2] === st.ino ? row[3] : undefined;
  }

  set(rel: string, st: Stats, digest: string): void {
    this.rows.set(rel, [st.size, st.mtimeMs, st.ino, digest]);
    this.dirty = true;
  }

  delete(rel: string): void {
    if (this.rows.delete(rel)) this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const body: RecordFile = { format: 1, root: this.root, files: Object.fromEntries(this.rows) };
    await fsp.writeFile(tmp, JSON.stringify(body));
    await fsp.rename(tmp, this.file);
    this.dirty = false;
  }
}
