/**
 * What a table diff returns: a JSON-serializable summary, and `TableDiff`, which adds `rows()` to
 * read windows of the changed rows back from the files.
 */
import type { Sampled } from './options';
import type { SideInfo } from './source';
import type { ChangeStore, RowFilter, RowStatus } from './table-changes';
import type { ColumnType, NumericStats } from './table-columns';
import { displayValue, keyText, type TableFormat } from './table-reader';
import type { SideScan } from './table-side';

export interface TableColumn {
  name: string;
  type: ColumnType;
}

export interface SchemaChanges {
  added: TableColumn[];
  removed: TableColumn[];
  /** One column replaced by one other at the same position, same type, mostly the same values. */
  renamed: { from: string; to: string; type: ColumnType }[];
  typeChanged: { name: string; before: ColumnType; after: ColumnType }[];
  /** The columns on both sides are in a different order. */
  reordered: boolean;
}

export interface ColumnStatsChange {
  /** The column's name after (before, for a removed column). */
  name: string;
  before: NumericStats | null;
  after: NumericStats | null;
}

export type RowMatch =
  | { mode: 'key'; key: string; guessed: boolean }
  /** `reason` says why no key was used when one was guessed or none could be. */
  | { mode: 'row-hash'; reason: string };

export interface TableDiffSummary {
  kind: 'table';
  format: TableFormat;
  before: SideInfo | null;
  after: SideInfo | null;
  columns: { before: TableColumn[]; after: TableColumn[] };
  schema: SchemaChanges;
  /** Rows read on each side (all rows unless `sampled`). */
  rowCount: { before: number; after: number };
  /** Rows in the whole file, when known without reading it (Parquet) and different from rowCount. */
  totalRows?: { before: number | null; after: number | null };
  match: RowMatch;
  rowChanges: { added: number; removed: number; changed: number; unchanged: number };
  /** Per compared column (by its name after): rows whose value in it changed. */
  changedCells: Record<string, number>;
  /** Numeric columns (on either side): statistics before and after. */
  stats: ColumnStatsChange[];
  /** Set when a file was over the limit: everything above describes the leading rows only. */
  sampled: Sampled | null;
}

export interface ChangedRow {
  status: RowStatus;
  /** The key value (key match), else null. */
  key: string | null;
  /** 1-based data row number in each file (the header is not counted). */
  rowNumber: { before: number | null; after: number | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** For changed rows: the columns whose value changed (names after). */
  changedColumns: string[];
}

export interface ChangedRowsPage {
  /** Entries that pass the filter. */
  total: number;
  offset: number;
  rows: ChangedRow[];
}

/** A column compared on both sides: its index on each side, its name after and before. */
export interface ColumnPair {
  before: number;
  after: number;
  name: string;
  beforeName: string;
}

/** The result of `diffTable`: a JSON-serializable summary plus `rows()` to page through the changed rows. */
export class TableDiff implements TableDiffSummary {
  readonly kind = 'table' as const;
  format!: TableFormat;
  before!: SideInfo | null;
  after!: SideInfo | null;
  columns!: { before: TableColumn[]; after: TableColumn[] };
  schema!: SchemaChanges;
  rowCount!: { before: number; after: number };
  totalRows?: { before: number | null; after: number | null };
  match!: RowMatch;
  rowChanges!: { added: number; removed: number; changed: number; unchanged: number };
  changedCells!: Record<string, number>;
  stats!: ColumnStatsChange[];
  sampled!: Sampled | null;

  /** @internal */
  constructor(
    summary: TableDiffSummary,
    private readonly store: ChangeStore,
    private readonly sides: { before: SideScan; after: SideScan },
    private readonly pairs: readonly ColumnPair[],
    private readonly keyColumn: { before: number; after: number } | null,
  ) {
    Object.assign(this, summary);
  }

  /** Changed-row entries that pass the filter. */
  count(filter?: RowFilter): number {
    return this.store.select(filter, (n) => this.pairIndex(n))?.length ?? this.store.length;
  }

  /**
   * A window of the changed rows: changed and added rows in the order of the second file, then removed
   * rows in the order of the first. Reads only those rows' bytes from the files.
   */
  async rows(offset: number, limit: number, filter?: RowFilter, signal?: AbortSignal): Promise<ChangedRowsPage> {
    const selected = this.store.select(filter, (n) => this.pairIndex(n));
    const total = selected?.length ?? this.store.length;
    const entries: number[] = [];
    for (let k = Math.max(0, offset); k < Math.min(total, offset + Math.max(0, limit)); k++) entries.push(selected ? selected[k]! : k);
    const bIdx = entries.map((e) => this.store.beforeRow(e)).filter((r) => r >= 0);
    const aIdx = entries.map((e) => this.store.afterRow(e)).filter((r) => r >= 0);
    const { before, after } = this.sides;
    const [bCells, aCells] = await Promise.all([
      before.reader.readRows(bIdx.map((r) => before.range(r)), signal),
      after.reader.readRows(aIdx.map((r) => after.range(r)), signal),
    ]);
    const bMap = new Map(bIdx.map((r, i) => [r, bCells[i]!]));
    const aMap = new Map(aIdx.map((r, i) => [r, aCells[i]!]));
    const record = (columns: readonly string[], cells: readonly unknown[] | undefined): Record<string, unknown> | null => {
      if (!cells) return null;
      const out: Record<string, unknown> = {};
      columns.forEach((name, c) => {
        if (cells[c] !== undefined) out[name] = displayValue(cells[c]);
      });
      return out;
    };
    const rows = entries.map((e): ChangedRow => {
      const b = this.store.beforeRow(e);
      const a = this.store.afterRow(e);
      const bc = b >= 0 ? bMap.get(b) : undefined;
      const ac = a >= 0 ? aMap.get(a) : undefined;
      let key: string | null = null;
      if (this.keyColumn) key = ac ? keyText(ac[this.keyColumn.after]) : bc ? keyText(bc[this.keyColumn.before]) : null;
      return {
        status: this.store.status(e),
        key,
        rowNumber: { before: b >= 0 ? b + 1 : null, after: a >= 0 ? a + 1 : null },
        before: record(before.columns, bc),
        after: record(after.columns, ac),
        changedColumns: this.store.columns(e).map((p) => this.pairs[p]!.name),
      };
    });
    return { total, offset, rows };
  }

  private pairIndex(name: string): number {
    return this.pairs.findIndex((p) => p.name === name || p.beforeName === name);
  }

  toJSON(): TableDiffSummary {
    const { kind, format, before, after, columns, schema, rowCount, totalRows, match, rowChanges, changedCells, stats, sampled } = this;
    return { kind, format, before, after, columns, schema, rowCount, ...(totalRows ? { totalRows } : {}), match, rowChanges, changedCells, stats, sampled };
  }
}
