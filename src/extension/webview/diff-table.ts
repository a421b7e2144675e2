/**
 * The rows of a manifest diff, shaped for the diff view: one flat table, filtered by path and status,
 * sorted by path or size, answered a window at a time. Sorted orders are computed once and reused.
 */
import { detectContentKind } from '../../content/formats';
import { compareCodePoints } from '../../core/digest';
import type { ManifestDiff } from '../../core/diff';
import type { DiffRow, DiffSummary, RowQuery, SortKey, StatusFilter } from './diff-protocol';

export const MAX_WINDOW = 1000;

/** The size a row sorts by: its new size, or its old one when it was removed. */
function sizeOf(r: DiffRow): number {
  return r.sizeAfter ?? r.sizeBefore ?? 0;
}

export class DiffTable {
  readonly rows: DiffRow[];
  readonly summary: DiffSummary;
  private readonly byPath: Map<string, DiffRow>;
  private readonly orders = new Map<SortKey, DiffRow[]>();
  private last: { key: string; rows: DiffRow[] } | undefined;

  constructor(diff: ManifestDiff & { before: string; after: string }, { afterIsFolder = false } = {}) {
    const kind = detectContentKind;
    this.rows = [
      ...diff.added.map((e) => ({ path: e.path, status: 'added' as const, sizeBefore: null, sizeAfter: e.size, isReference: e.ref !== undefined, kind: kind(e.path) })),
      ...diff.removed.map((e) => ({ path: e.path, status: 'removed' as const, sizeBefore: e.size, sizeAfter: null, isReference: e.ref !== undefined, kind: kind(e.path) })),
      ...diff.modified.map((e) => ({
        path: e.path,
        status: 'modified' as const,
        sizeBefore: e.before.size,
        sizeAfter: e.after.size,
        isReference: e.before.ref !== undefined || e.after.ref !== undefined,
        kind: kind(e.path),
      })),
    ];
    this.summary = {
      before: diff.before,
      after: diff.after,
      afterIsFolder,
      added: diff.added.length,
      removed: diff.removed.length,
      modified: diff.modified.length,
      unchanged: diff.unchangedCount,
      sizeBefore: diff.sizeBefore,
      sizeAfter: diff.sizeAfter,
      sizeChange: diff.sizeChange,
      images: this.rows.filter((r) => r.kind === 'image' && !r.isReference).length,
    };
    this.byPath = new Map(this.rows.map((r) => [r.path, r]));
  }

  /** The row of a path (a click on the page names it), without a scan. */
  row(path: string): DiffRow | undefined {
    return this.byPath.get(path);
  }

  private sorted(key: SortKey): DiffRow[] {
    let rows = this.orders.get(key);
    if (!rows) {
      rows = [...this.rows].sort(key === 'path' ? (a, b) => compareCodePoints(a.path, b.path) : (a, b) => sizeOf(a) - sizeOf(b) || compareCodePoints(a.path, b.path));
      this.orders.set(key, rows);
    }
    return rows;
  }

  /** Changed images (not references) whose path contains `filter` (case-insensitive), in path order. */
  images(filter: string): DiffRow[] {
    const needle = filter.toLowerCase();
    return this.sorted('path').filter((r) => r.kind === 'image' && !r.isReference && (!needle || r.path.toLowerCase().includes(needle)));
  }

  private matching(filter: string, status: StatusFilter, sort: SortKey, descending: boolean): DiffRow[] {
    const key = JSON.stringify([filter.toLowerCase(), status, sort, descending]);
    if (this.last?.key === key) return this.last.rows;
    const needle = filter.toLowerCase();
    let rows = this.sorted(sort);
    if (needle || status !== 'all') rows = rows.filter((r) => (status === 'all' || r.status === status) && (!needle || r.path.toLowerCase().includes(needle)));
    if (descending) rows = [...rows].reverse();
    this.last = { key, rows };
    return rows;
  }

  query(q: Omit<RowQuery, 'seq'>): { total: number; offset: number; rows: DiffRow[] } {
    const rows = this.matching(q.filter, q.status, q.sort, q.descending);
    const offset = Math.max(0, Math.min(q.offset, rows.length));
    return { total: rows.length, offset, rows: rows.slice(offset, offset + Math.min(Math.max(q.limit, 0), MAX_WINDOW)) };
  }
}
