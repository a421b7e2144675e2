/**
 * What the table differ needs from a file format: its columns, a streaming scan of its rows, and a
 * way to read a few rows again later by position (so changed rows need not be kept in memory).
 */
import { ABSENT, hashString } from './hash';
import type { TableFormat } from './formats';
import type { ColumnType } from './table-columns';

export type { TableFormat } from './formats';

/** Where a row is: a byte range `[start, end)` (CSV, TSV, JSON Lines) or row indices `[i, i + 1)` (Parquet). */
export interface RowRange {
  start: number;
  end: number;
}

/** Called for each row in order; `end` is where the row ends (see `RowRange`). `cells` may be reused once it returns. */
export type RowSink = (cells: readonly unknown[], end: number) => void;

export interface ScanOptions {
  signal?: AbortSignal;
  /** Stop after about this many bytes of the file. */
  limitBytes: number;
}

export interface TableReader {
  readonly format: TableFormat;
  /** Cells are text whose type is inferred from its spelling (CSV, TSV). */
  readonly textual: boolean;
  /** Column names; JSON Lines adds a column when a later row brings a new key. */
  readonly columns: string[];
  /** Types the file declares (Parquet schema), by column; inferred otherwise. */
  readonly declaredTypes?: readonly (ColumnType | undefined)[];
  /** Rows in the whole file when it says so without reading them (Parquet). */
  readonly totalRows?: number;
  /** Where the first row starts (after a header). */
  readonly dataStart: number;
  /** Reads the header, schema or first row: sets `columns`. */
  open(signal?: AbortSignal): Promise<void>;
  /** Streams the rows in order, stopping near `limitBytes`; says whether it stopped early. */
  scan(onRow: RowSink, opts: ScanOptions): Promise<{ sampled: boolean }>;
  /** The cells of the rows at these ranges, in the order asked. */
  readRows(ranges: readonly RowRange[], signal?: AbortSignal): Promise<unknown[][]>;
}

const NULL_HASH = hashString('null', 3);

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return x.toString();
    if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
    if (x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(x).sort()) sorted[key] = (x as Record<string, unknown>)[key];
      return sorted;
    }
    return x;
  });
}

/** Hash of a typed cell; the seed keeps `1` and `"1"` apart. */
export function hashValue(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return hashString(v, 0);
    case 'number':
    case 'bigint':
      return hashString(String(v), 1);
    case 'boolean':
      return v ? hashString('true', 2) : hashString('false', 2);
    case 'undefined':
      return ABSENT;
    default:
      if (v === null) return NULL_HASH;
      if (v instanceof Date) return hashString(v.toISOString(), 4);
      return hashString(stableJson(v), 6);
  }
}

/** Hash of a text cell (CSV); a missing cell of a short row is ABSENT. */
export function hashText(v: unknown): number {
  return v === undefined ? ABSENT : hashString(v as string, 0);
}

/** A key cell as the string rows are matched by. */
export function keyText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && !(v instanceof Date)) return stableJson(v);
  return v instanceof Date ? v.toISOString() : String(v);
}

/** A cell as a JSON value for views: bigints and dates as text, bytes as base64. */
export function displayValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v && typeof v === 'object') return JSON.parse(stableJson(v));
  return v;
}

/**
 * Groups ranges that lie close together so that a window of rows costs a few ranged reads, not one
 * per row. Returns groups of indices into `ranges`, each spanning at most `maxSpan`.
 */
export function groupRanges(ranges: readonly RowRange[], maxGap: number, maxSpan: number): { start: number; end: number; members: number[] }[] {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.start - ranges[b]!.start);
  const groups: { start: number; end: number; members: number[] }[] = [];
  for (const i of order) {
    const r = ranges[i]!;
    const last = groups[groups.length - 1];
    if (last && r.start - last.end <= maxGap && Math.max(last.end, r.end) - last.start <= maxSpan) {
      last.end = Math.max(last.end, r.end);
      last.members.push(i);
    } else {
      groups.push({ start: r.start, end: r.end, members: [i] });
    }
  }
  return groups;
}
