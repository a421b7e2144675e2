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
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { DEFAULT_LIMIT_BYTES, TimeSlicer, type BaseContentOptions } from './options';
import { sideInfo, toSourceOrNull, type ContentInput, type ContentSource } from './source';
import { ChangeStore } from './table-changes';
import { CsvReader } from './table-csv';
import { JsonlReader } from './table-jsonl';
import { ParquetReader } from './table-parquet';
import { keyText, type RowSink, type TableFormat, type TableReader } from './table-reader';
import { TableDiff, type ColumnPair, type ColumnStatsChange, type SchemaChanges, type TableColumn, type TableDiffSummary } from './table-result';
import { SideScan } from './table-side';
import { tableFormat } from './formats';

export { tableFormat } from './formats';

export type { RowFilter, RowStatus } from './table-changes';
export type { ColumnType, NumericStats } from './table-columns';
export type { TableFormat } from './table-reader';
export { TableDiff } from './table-result';
export type { ChangedRow, ChangedRowsPage, ColumnStatsChange, RowMatch, SchemaChanges, TableColumn, TableDiffSummary } from './table-result';

export interface TableDiffOptions extends BaseContentOptions {
  /**
   * Column to match rows by; must exist on both sides and be unique. Undefined: a unique id-like
   * column is guessed. Null: rows are matched by their whole content, nothing is guessed.
   */
  key?: string | null;
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

/**
 * Rows matched by key while the files stream by. A guessed key that turns out not to be unique is
 * given up (the diff then matches whole rows); a key the caller chose must be unique.
 */
class KeyMatcher {
  private index: Map<string, number> | null = new Map();
  private addedKeys: Set<string> | null = new Set();
  /** Per row of the second file: the matching row of the first, or -1. */
  readonly matchOf: number[] = [];
  /** Why the key was given up. */
  dropped: string | null = null;

  constructor(
    readonly name: string,
    private readonly guessed: boolean,
    private readonly beforeColumn: number,
    private readonly afterColumn: number,
  ) {}

  get active(): boolean {
    return this.index !== null;
  }

  /** `rows`: the two rows (from 0) holding `key`, or the later one only when the earlier is not known. */
  private duplicate(source: ContentSource, key: string, rows: readonly [number, number] | readonly [number]): void {
    if (!this.guessed) {
      throw new ValidationError(
        rows.length === 2
          ? l10n.t("Key column '{0}' is not unique in {1}: '{2}' is on rows {3} and {4}", this.name, source.name, key, formatNumber(rows[0] + 1), formatNumber(rows[1] + 1))
          : l10n.t("Key column '{0}' is not unique in {1}: '{2}' is on row {3} and an earlier row", this.name, source.name, key, formatNumber(rows[0] + 1)),
      );
    }
    this.index = null;
    this.addedKeys = null;
    this.dropped = l10n.t("the guessed key '{0}' is not unique in {1}", this.name, source.name);
  }

  addBefore(cells: readonly unknown[], row: number, source: ContentSource): void {
    if (!this.index) return;
    const key = keyText(cells[this.beforeColumn]);
    const seen = this.index.get(key);
    if (seen === undefined) this.index.set(key, row);
    else this.duplicate(source, key, [seen, row]);
  }

  matchAfter(cells: readonly unknown[], row: number, matched: Uint8Array, source: ContentSource): void {
    if (!this.index) return;
    const key = keyText(cells[this.afterColumn]);
    const b = this.index.get(key);
    let dup: boolean;
    if (b === undefined) {
      dup = this.addedKeys!.has(key);
      this.addedKeys!.add(key);
    } else {
      dup = matched[b] === 1;
      matched[b] = 1;
    }
    this.matchOf.push(b ?? -1);
    if (dup) this.duplicate(source, key, [row]);
  }

  /** Frees the key index once both files are read. */
  finish(): void {
    this.index = this.index ? new Map() : null;
    this.addedKeys = null;
  }
}

/** The caller's key (checked), else a guess; null without one. */
function chooseKey(opts: TableDiffOptions, before: SideScan, after: SideScan, sources: (ContentSource | null)[]): { name: string; guessed: boolean } | null {
  if (opts.key === null) return null;
  if (opts.key !== undefined) {
    for (const [side, source] of [[before, sources[0]], [after, sources[1]]] as const) {
      if (source && !side.columns.includes(opts.key)) {
        throw new ValidationError(
          side.columns.length > 0
            ? l10n.t("Key column '{0}' is not in {1} (its columns: {2})", opts.key, source.name, side.columns.join(', '))
            : l10n.t("Key column '{0}' is not in {1} (its columns: none)", opts.key, source.name),
        );
      }
    }
    return { name: opts.key, guessed: false };
  }
  if (!sources[0] || !sources[1]) return null;
  const name = guessKeyColumn(before.columns, after.columns);
  return name === null ? null : { name, guessed: true };
}

/**
 * Columns to compare: the same name on both sides, then renames: a column missing after and a new
 * one at the same position, of the same type and (with a key) mostly the same values.
 */
function compareColumns(before: SideScan, after: SideScan, matchOf: readonly number[] | null): { pairs: ColumnPair[]; renamed: SchemaChanges['renamed'] } {
  const pairs: ColumnPair[] = [];
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
    if (matchOf) {
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
  return { pairs, renamed };
}

/** Without a key: rows match when their compared cells hash alike; duplicates pair up in order. */
async function matchByRowHash(before: SideScan, after: SideScan, pairs: readonly ColumnPair[], matched: Uint8Array, slicer: TimeSlicer): Promise<number[]> {
  const matchOf: number[] = [];
  if (pairs.length === 0 || before.rows === 0) return new Array<number>(after.rows).fill(-1);
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
    if (b === undefined) {
      matchOf.push(-1);
      continue;
    }
    matchOf.push(b);
    matched[b] = 1;
    if (next[b]! < 0) head.delete(h);
    else head.set(h, next[b]!);
  }
  return matchOf;
}

/** Lists changed and added rows in the order of the second file, then removed rows. */
async function classify(
  before: SideScan,
  after: SideScan,
  pairs: readonly ColumnPair[],
  matchOf: readonly number[],
  matched: Uint8Array,
  compareCells: boolean,
  slicer: TimeSlicer,
): Promise<{ store: ChangeStore; changedCells: Record<string, number>; counts: TableDiffSummary['rowChanges'] }> {
  const store = new ChangeStore();
  const changedCells: Record<string, number> = Object.fromEntries(pairs.map((p) => [p.name, 0]));
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const cols: number[] = [];
  for (let a = 0; a < after.rows; a++) {
    if (slicer.due()) await slicer.pause();
    const b = matchOf[a]!;
    if (b < 0) {
      store.add('added', -1, a);
      counts.added += 1;
      continue;
    }
    cols.length = 0;
    if (compareCells) {
      for (let p = 0; p < pairs.length; p++) if (before.hash(pairs[p]!.before, b) !== after.hash(pairs[p]!.after, a)) cols.push(p);
    }
    if (cols.length === 0) {
      counts.unchanged += 1;
      continue;
    }
    counts.changed += 1;
    for (const p of cols) changedCells[pairs[p]!.name]! += 1;
    store.add('changed', b, a, cols);
  }
  for (let b = 0; b < before.rows; b++) {
    if (matched[b] === 0) {
      store.add('removed', b, -1);
      counts.removed += 1;
    }
  }
  return { store, changedCells, counts };
}

function schemaChanges(before: SideScan, after: SideScan, pairs: readonly ColumnPair[], renamed: SchemaChanges['renamed'], bothPresent: boolean): SchemaChanges {
  const columnsOf = (side: SideScan): TableColumn[] => side.columns.map((name, i) => ({ name, type: side.type(i) }));
  const renamedFrom = new Set(renamed.map((r) => r.from));
  const renamedTo = new Set(renamed.map((r) => r.to));
  const common = pairs.filter((p) => p.name === p.beforeName);
  return {
    added: columnsOf(after).filter((c) => !before.columns.includes(c.name) && !renamedTo.has(c.name)),
    removed: columnsOf(before).filter((c) => !after.columns.includes(c.name) && !renamedFrom.has(c.name)),
    renamed,
    typeChanged: common.filter((p) => before.type(p.before) !== after.type(p.after)).map((p) => ({ name: p.name, before: before.type(p.before), after: after.type(p.after) })),
    reordered: bothPresent && common.map((p) => p.name).join('\0') !== before.columns.filter((c) => after.columns.includes(c)).join('\0'),
  };
}

function columnStats(before: SideScan, after: SideScan, pairs: readonly ColumnPair[], schema: SchemaChanges): ColumnStatsChange[] {
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
  return stats;
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

  const key = chooseKey(opts, before, after, [beforeSource, afterSource]);
  const keys = key ? new KeyMatcher(key.name, key.guessed, before.columns.indexOf(key.name), after.columns.indexOf(key.name)) : null;

  // Both files stream through once, the first indexed by key, the second matched against it.
  const onBefore: RowSink = (cells, end) => {
    keys?.addBefore(cells, before.rows, beforeSource!);
    before.add(cells, end);
  };
  before.sampled = (await before.reader.scan(onBefore, { limitBytes, signal: opts.signal })).sampled;
  const matched = new Uint8Array(before.rows);
  const onAfter: RowSink = (cells, end) => {
    keys?.matchAfter(cells, after.rows, matched, afterSource!);
    after.add(cells, end);
  };
  after.sampled = (await after.reader.scan(onAfter, { limitBytes, signal: opts.signal })).sampled;
  const useKey = keys?.active === true;
  keys?.finish();

  const { pairs, renamed } = compareColumns(before, after, useKey ? keys!.matchOf : null);
  let matchOf = keys?.matchOf ?? [];
  if (!useKey) {
    matched.fill(0);
    matchOf = await matchByRowHash(before, after, pairs, matched, slicer);
  }
  const { store, changedCells, counts } = await classify(before, after, pairs, matchOf, matched, useKey, slicer);

  const schema = schemaChanges(before, after, pairs, renamed, beforeSource !== null && afterSource !== null);
  const totals = { before: before.reader.totalRows ?? null, after: after.reader.totalRows ?? null };
  const noKeyReason =
    keys?.dropped ??
    (!beforeSource || !afterSource
      ? l10n.t('one side is missing')
      : opts.key === null
        ? l10n.t('rows are matched by their whole content, as asked')
        : l10n.t('no unique id-like column on both sides'));
  const summary: TableDiffSummary = {
    kind: 'table',
    format: afterSource ? after.reader.format : before.reader.format,
    before: sideInfo(beforeSource),
    after: sideInfo(afterSource),
    columns: { before: before.columns.map((name, i) => ({ name, type: before.type(i) })), after: after.columns.map((name, i) => ({ name, type: after.type(i) })) },
    schema,
    rowCount: { before: before.rows, after: after.rows },
    ...((totals.before !== null && totals.before !== before.rows) || (totals.after !== null && totals.after !== after.rows) ? { totalRows: totals } : {}),
    match: useKey ? { mode: 'key', key: key!.name, guessed: key!.guessed } : { mode: 'row-hash', reason: noKeyReason },
    rowChanges: counts,
    changedCells,
    stats: columnStats(before, after, pairs, schema),
    sampled: before.sampled || after.sampled ? { limitBytes, rowsRead: { before: before.rows, after: after.rows } } : null,
  };
  before.release();
  after.release();
  const keyColumn = useKey ? { before: before.columns.indexOf(key!.name), after: after.columns.indexOf(key!.name) } : null;
  return new TableDiff(summary, store, { before, after }, pairs, keyColumn);
}
