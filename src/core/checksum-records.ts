/**
 * What we know about files in a folder we wrote or hashed: size, mtime, ctime and inode at the
 * time, and their digest (W&B keeps one `.checksum` file per destination; here it is one JSON per
 * folder, read once). A file whose stat still matches its record is known without reading it, so a
 * second download of an unchanged version costs one stat per file. ctime is part of the record, as
 * in git's index: an edit in place whose mtime was set back still moves ctime, which no program can
 * set. Records are an optimisation: when they cannot be written (a read-only registry) the work is
 * done all the same, with a warning.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { sweepDeadTemps, writeFileAtomically } from './atomic-file';
import { warn } from './warnings';

type Row = [size: number, mtimeMs: number, ctimeMs: number, ino: number, digest: string];

interface RecordFile {
  format: 2;
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
      if (parsed.format === 2 && parsed.root === abs) rows = new Map(Object.entries(parsed.files));
    } catch {
      // No records yet, or unreadable ones: everything will be checked by content.
    }
    return new ChecksumRecords(file, abs, rows);
  }

  /** The recorded digest of `rel` if the file's stat still matches the record. */
  digestIfUnchanged(rel: string, st: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>): string | undefined {
    const row = this.rows.get(rel);
    return row && row[0] === st.size && row[1] === st.mtimeMs && row[2] === st.ctimeMs && row[3] === st.ino ? row[4] : undefined;
  }

  set(rel: string, st: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>, digest: string): void {
    this.rows.set(rel, [st.size, st.mtimeMs, st.ctimeMs, st.ino, digest]);
    this.dirty = true;
  }

  delete(rel: string): void {
    if (this.rows.delete(rel)) this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    try {
      const body: RecordFile = { format: 2, root: this.root, files: Object.fromEntries(this.rows) };
      await writeFileAtomically(this.file, JSON.stringify(body));
      this.dirty = false;
      await sweepDeadTemps(path.dirname(this.file));
    } catch (e) {
      warn(
        l10n.t(
          'Could not save the records of {0} in {1} ({2}): the next run will check these files by content',
          this.root,
          path.dirname(this.file),
          (e as NodeJS.ErrnoException).code ?? (e as Error).message,
        ),
      );
    }
  }
}
