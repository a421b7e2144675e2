/**
 * One side of a table held as numbers while the diff runs: a 53-bit hash per cell, column by
 * column, and where each row ends in the file. Column profiles (types, numeric stats) are built in
 * the same pass. After the diff only the row ends are kept, to re-read changed rows on demand.
 */
import { ABSENT, HashCombiner } from './hash';
import { GrowableF64 } from './growable';
import { ColumnProfile, type ColumnType } from './table-columns';
import { hashText, hashValue, type RowRange, type TableReader } from './table-reader';

export class SideScan {
  readonly profiles: ColumnProfile[] = [];
  /** Per column, one hash per row; dropped once the diff is classified. */
  hashes: GrowableF64[] = [];
  readonly ends = new GrowableF64();
  rows = 0;
  sampled = false;

  constructor(readonly reader: TableReader) {}

  get columns(): string[] {
    return this.reader.columns;
  }

  /** Adds one row; a column first seen now gets ABSENT hashes and nulls for the rows before it. */
  add(cells: readonly unknown[], end: number): void {
    const n = this.reader.columns.length;
    while (this.hashes.length < n) {
      const column = new GrowableF64(Math.max(1024, this.rows + 1));
      column.fill(ABSENT, this.rows);
      const profile = new ColumnProfile();
      profile.nulls = this.rows;
      this.hashes.push(column);
      this.profiles.push(profile);
    }
    if (this.reader.textual) {
      for (let c = 0; c < n; c++) {
        const v = cells[c] as string | undefined;
        this.hashes[c]!.push(hashText(v));
        this.profiles[c]!.addText(v);
      }
    } else {
      for (let c = 0; c < n; c++) {
        const v = cells[c];
        this.hashes[c]!.push(hashValue(v));
        this.profiles[c]!.addValue(v);
      }
    }
    this.ends.push(end);
    this.rows += 1;
  }

  hash(column: number, row: number): number {
    return this.hashes[column]!.get(row);
  }

  /** Hash of a row over the given columns, in that order. */
  rowHash(row: number, columns: readonly number[]): number {
    const h = new HashCombiner();
    for (const c of columns) h.add(this.hashes[c]!.get(row));
    return h.value();
  }

  range(row: number): RowRange {
    return { start: row === 0 ? this.reader.dataStart : this.ends.get(row - 1), end: this.ends.get(row) };
  }

  type(column: number): ColumnType {
    return this.reader.declaredTypes?.[column] ?? this.profiles[column]?.type ?? 'empty';
  }

  release(): void {
    this.hashes = [];
  }
}
