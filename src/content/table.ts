/**
 * Table diff for CSV, TSV, JSON Lines and Parquet: schema changes, row counts, rows added / removed /
 * changed, and numeric column statistics on each side.
 *
 * Rows are matched by a key column (the caller's, else a unique `id`-like column present on both
 * sides), else by the hash of the whole row (then a changed row shows as one removed and one added).
 * Both files stream through once; each side is held as one 53-bit hash per cell plus where each row
 * ends (about 8 bytes per cell and per row, and the key text of the first file), never as row text.
 * The changed rows are listed as row indices; `rows(offset, limit)` reads a window of them back
 * from the files. Files over `limitBytes` are compared on their leading `limitBytes`.
 */
import { ValidationError } from '../core/errors';
import { DEFAULT_LIMIT_BYTES, TimeSlicer, type BaseContentOptions, type Sampled } from './options';
import { sideInfo, toSourceOrNull, type ContentInput, type ContentSource, type SideInfo } from './source';
import { ChangeStore, type RowFilter, type RowStatus } from './table-changes';
import type { ColumnType, NumericStats } from './table-columns';
import { CsvReader } from './table-csv';
import { JsonlReader } from './table-jsonl';
import { ParquetReader } from './table-parquet';
import { displayValue, keyText, type RowSink, type TableFormat, type TableReader } from './table-reader';
import { SideScan } from './table-side';

export type { RowFilter, RowStatus } from './table-changes';
export type { ColumnType, NumericStats } from './table-columns';
export type { TableFormat } from './table-reader';

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

export interface TableDiffOptions extends BaseContentOptions {
  /** Column to match rows by; must exist on both sides and be unique. */
  key?: string;
}

export function tableFormat(name: string): TableFormat | null {
  const ext = name.toLowerCase().split('.').pop();
  switch (ext) {
    case 'csv':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    case 'parquet':
    case 'pq':
      return 'parquet';
    default:
      return null;
  }
}

function readerFor(source: ContentSource, fallback: TableFormat): TableReader {
  const format = tableFormat(source.name) ?? fallback;
  switch (format) {
    case 'csv':
    case 'tsv':
      return new CsvReader(source, format);
    case 'jsonl':
      return new JsonlReader(source);
    case 'parquet':
      return new ParquetReader(source);
  }
}

/** Stands for a missing side: no columns, no rows. */
const EMPTY_READER: TableReader = {
  format: 'csv',
  textual: true,
  columns: [],
  dataStart: 0,
  open: async () => undefined,
  scan: async () => ({ sampled: false }),
  readRows: async (ranges) => ranges.map(() => []),
};

const EXACT_KEYS = ['id', '_id', 'uuid', 'guid', 'key', 'pk'];
const KEY_LIKE = /(^|[_\s.-])(id|uuid|key)$|[a-z](Id|ID|Uuid|Key)$/;

/** An id-like column present on both sides, by name: `id`, `uuid`, `key`… then `user_id`, `userId`… */
export function guessKeyColumn(before: readonly string[], after: readonly string[]): string | null {
  const both = after.filter((c) => before.includes(c));
  return both.find((c) => EXACT_KEYS.includes(c.toLowerCase())) ?? both.find((c) => KEY_LIKE.test(c)) ?? null;
}

class DuplicateKey extends Error {}

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
    /** Compared columns: index on each side and the name after. */
    private readonly pairs: readonly { before: number; after: number; name: string; beforeName: string }[],
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

/** Compares two tables; a missing side (file added or removed) is `null`. */
export async function diffTable(beforeInput: ContentInput | null, afterInput: ContentInput | null, opts: TableDiffOptions = {}): Promise<TableDiff> {
  const limitBytes = opts.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const slicer = new TimeSlicer(opts.signal);
  const beforeSource = await toSourceOrNull(beforeInput);
  const afterSource = await toSourceOrNull(afterInput);
  const fallback = tableFormat(afterSource?.name ?? beforeSource?.name ?? '') ?? 'csv';
  const before = new SideScan(beforeSource ? readerFor(beforeSource, fallback) : EMPTY_READER);
  const after = new SideScan(afterSource ? readerFor(afterSource, fallback) : EMPTY_READER);
  await Promise.all([before.reader.open(opts.signal), after.reader.open(opts.signal)]);

  // --- The key column.
  let keyName: string | null = null;
  let guessed = false;
  let noKeyReason = 'no unique id-like column on both sides';
  if (opts.key !== undefined) {
    for (const [side, source] of [[before, beforeSource], [after, afterSource]] as const) {
      if (source && !side.columns.includes(opts.key)) {
        throw new ValidationError(`Key column '${opts.key}' is not in ${source.name} (its columns: ${side.columns.join(', ') || 'none'})`);
      }
    }
    keyName = opts.key;
  } else if (beforeSource && afterSource) {
    keyName = guessKeyColumn(before.columns, after.columns);
    guessed = keyName !== null;
  } else {
    noKeyReason = 'one side is missing';
  }
  const duplicate = (source: ContentSource, key: string, where: string): never => {
    if (guessed) throw new DuplicateKey();
    throw new ValidationError(`Key column '${keyName}' is not unique in ${source.name}: '${key}' is on ${where}`);
  };

  // --- Scan the first file, indexing rows by key.
  let keyIndex: Map<string, number> | null = keyName !== null ? new Map() : null;
  const bKey = keyName !== null ? before.columns.indexOf(keyName) : -1;
  const onBefore: RowSink = (cells, end) => {
    before.add(cells, end);
    if (!keyIndex) return;
    const key = keyText(cells[bKey]);
    const seen = keyIndex.get(key);
    if (seen === undefined) keyIndex.set(key, before.rows - 1);
    else {
      try {
        duplicate(beforeSource!, key, `rows ${seen + 1} and ${before.rows}`);
      } catch (error) {
        if (!(error instanceof DuplicateKey)) throw error;
        keyIndex = null;
        noKeyReason = `the guessed key '${keyName}' is not unique in ${beforeSource!.name}`;
      }
    }
  };
  before.sampled = (await before.reader.scan(onBefore, { limitBytes, signal: opts.signal })).sampled;
  const matched = new Uint8Array(before.rows);

  // --- Scan the second file, matching rows by key.
  const matchOf: number[] = [];
  const aKey = keyName !== null ? after.columns.indexOf(keyName) : -1;
  let addedKeys: Set<string> | null = new Set();
  const onAfter: RowSink = (cells, end) => {
    after.add(cells, end);
    if (!keyIndex) return;
    const key = keyText(cells[aKey]);
    const b = keyIndex.get(key);
    let dup = false;
    if (b === undefined) {
      dup = addedKeys!.has(key);
      addedKeys!.add(key);
    } else {
      dup = matched[b] === 1;
      matched[b] = 1;
    }
    matchOf.push(b ?? -1);
    if (dup) {
      try {
        duplicate(afterSource!, key, `row ${after.rows} and an earlier row`);
      } catch (error) {
        if (!(error instanceof DuplicateKey)) throw error;
        keyIndex = null;
        noKeyReason = `the guessed key '${keyName}' is not unique in ${afterSource!.name}`;
      }
    }
  };
  after.sampled = (await after.reader.scan(onAfter, { limitBytes, signal: opts.signal })).sampled;
  const useKey = keyIndex !== null;
  keyIndex = null;
  addedKeys = null;

  // --- Compared columns: same name on both sides, plus renames confirmed below.
  const pairs: { before: number; after: number; name: string; beforeName: string }[] = [];
  after.columns.forEach((name, a) => {
    const b = before.columns.indexOf(name);
    if (b >= 0) pairs.push({ before: b, after: a, name, beforeName: name });
  });
  const renamed: SchemaChanges['renamed'] = [];
  for (let i = 0; i < Math.min(before.columns.length, after.columns.length); i++) {
    const from = before.columns[i]!;
    const to = after.columns[i]!;
    if (after.columns.includes(from) || before.columns.includes(to)) continue;
    if (before.type(i) !== after.type(i) || before.rows === 0 || after.rows === 0) continue;
    if (useKey) {
      // Mostly the same values in matched rows: the same column under a new name.
      let compared = 0;
      let differ = 0;
      for (let a = 0; a < after.rows; a++) {
        const b = matchOf[a]!;
        if (b < 0) continue;
        compared += 1;
        if (before.hash(i, b) !== after.hash(i, a)) differ += 1;
      }
      if (compared === 0 || differ * 2 > compared) continue;
    }
    renamed.push({ from, to, type: after.type(i) });
    pairs.push({ before: i, after: i, name: to, beforeName: from });
  }

  // --- Without a key: match rows by the hash of their compared cells (duplicates pair up in order).
  if (!useKey) {
    matchOf.length = 0;
    matched.fill(0);
    if (pairs.length > 0 && before.rows > 0) {
      const bCols = pairs.map((p) => p.before);
      const aCols = pairs.map((p) => p.after);
      const head = new Map<number, number>();
      const next = new Int32Array(before.rows).fill(-1);
      for (let b = before.rows - 1; b >= 0; b--) {
        if (slicer.due()) await slicer.pause();
        const h = before.rowHash(b, bCols);
        next[b] = head.get(h) ?? -1;
        head.set(h, b);
      }
      for (let a = 0; a < after.rows; a++) {
        if (slicer.due()) await slicer.pause();
        const h = after.rowHash(a, aCols);
        const b = head.get(h);
        if (b === undefined) matchOf.push(-1);
        else {
          matchOf.push(b);
          matched[b] = 1;
          if (next[b]! < 0) head.delete(h);
          else head.set(h, next[b]!);
        }
      }
    } else {
      for (let a = 0; a < after.rows; a++) matchOf.push(-1);
    }
  }

  // --- Classify.
  const store = new ChangeStore();
  const changedCells: Record<string, number> = Object.fromEntries(pairs.map((p) => [p.name, 0]));
  let changed = 0;
  let unchanged = 0;
  const cols: number[] = [];
  for (let a = 0; a < after.rows; a++) {
    if (slicer.due()) await slicer.pause();
    const b = matchOf[a]!;
    if (b < 0) {
      store.add('added', -1, a);
      continue;
    }
    cols.length = 0;
    if (useKey) {
      for (let p = 0; p < pairs.length; p++) {
        if (before.hash(pairs[p]!.before, b) !== after.hash(pairs[p]!.after, a)) cols.push(p);
      }
    }
    if (cols.length === 0) unchanged += 1;
    else {
      changed += 1;
      for (const p of cols) changedCells[pairs[p]!.name]! += 1;
      store.add('changed', b, a, cols);
    }
  }
  let removed = 0;
  for (let b = 0; b < before.rows; b++) {
    if (matched[b] === 0) {
      store.add('removed', b, -1);
      removed += 1;
    }
  }

  // --- Summary.
  const columnsOf = (side: SideScan): TableColumn[] => side.columns.map((name, i) => ({ name, type: side.type(i) }));
  const renamedFrom = new Set(renamed.map((r) => r.from));
  const renamedTo = new Set(renamed.map((r) => r.to));
  const common = pairs.filter((p) => p.name === p.beforeName);
  const schema: SchemaChanges = {
    added: columnsOf(after).filter((c) => !before.columns.includes(c.name) && !renamedTo.has(c.name)),
    removed: columnsOf(before).filter((c) => !after.columns.includes(c.name) && !renamedFrom.has(c.name)),
    renamed,
    typeChanged: common.filter((p) => before.type(p.before) !== after.type(p.after)).map((p) => ({ name: p.name, before: before.type(p.before), after: after.type(p.after) })),
    reordered: beforeSource !== null && afterSource !== null && common.map((p) => p.name).join('\0') !== before.columns.filter((c) => after.columns.includes(c)).join('\0'),
  };
  const stats: ColumnStatsChange[] = [];
  for (const p of pairs) {
    const s = { name: p.name, before: before.profiles[p.before]?.stats ?? null, after: after.profiles[p.after]?.stats ?? null };
    if (s.before || s.after) stats.push(s);
  }
  for (const c of schema.added) {
    const s = after.profiles[after.columns.indexOf(c.name)]?.stats ?? null;
    if (s) stats.push({ name: c.name, before: null, after: s });
  }
  for (const c of schema.removed) {
    const s = before.profiles[before.columns.indexOf(c.name)]?.stats ?? null;
    if (s) stats.push({ name: c.name, before: s, after: null });
  }
  const totals = { before: before.reader.totalRows ?? null, after: after.reader.totalRows ?? null };
  const summary: TableDiffSummary = {
    kind: 'table',
    format: afterSource ? after.reader.format : before.reader.format,
    before: sideInfo(beforeSource),
    after: sideInfo(afterSource),
    columns: { before: columnsOf(before), after: columnsOf(after) },
    schema,
    rowCount: { before: before.rows, after: after.rows },
    ...((totals.before !== null && totals.before !== before.rows) || (totals.after !== null && totals.after !== after.rows) ? { totalRows: totals } : {}),
    match: useKey ? { mode: 'key', key: keyName!, guessed } : { mode: 'row-hash', reason: noKeyReason },
    rowChanges: { added: after.rows - changed - unchanged, removed, changed, unchanged },
    changedCells,
    stats,
    sampled: before.sampled || after.sampled ? { limitBytes, rowsRead: { before: before.rows, after: after.rows } } : null,
  };
  before.release();
  after.release();
  const keyColumn = useKey ? { before: before.columns.indexOf(keyName!), after: after.columns.indexOf(keyName!) } : null;
  return new TableDiff(summary, store, { before, after }, pairs, keyColumn);
}
