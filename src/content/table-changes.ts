/**
 * The list of changed rows of a table diff, held as numbers: a status, the row index on each side
 * and the indices of the columns that changed. Row contents are not kept; a window of the list is
 * read back from the files when a view asks for it.
 */
import { GrowableI32, GrowableU32, GrowableU8 } from './growable';

export type RowStatus = 'added' | 'removed' | 'changed';

const STATUSES: readonly RowStatus[] = ['added', 'removed', 'changed'];
const CODE: Record<RowStatus, number> = { added: 0, removed: 1, changed: 2 };

/** Which changed rows a window lists. */
export interface RowFilter {
  status?: RowStatus | readonly RowStatus[];
  /** Only changed rows whose value in this column changed (the column's name on either side). */
  column?: string;
}

export class ChangeStore {
  private readonly statuses = new GrowableU8();
  private readonly beforeRows = new GrowableI32();
  private readonly afterRows = new GrowableI32();
  /** Entry i's changed columns are cols[colStart[i] .. colStart[i + 1]). */
  private readonly colStart = new GrowableU32();
  private readonly cols = new GrowableU32();
  private cache: { key: string; index: Uint32Array } | null = null;

  constructor() {
    this.colStart.push(0);
  }

  get length(): number {
    return this.statuses.length;
  }

  add(status: RowStatus, beforeRow: number, afterRow: number, columns: readonly number[] = []): void {
    this.statuses.push(CODE[status]);
    this.beforeRows.push(beforeRow);
    this.afterRows.push(afterRow);
    for (const c of columns) this.cols.push(c);
    this.colStart.push(this.cols.length);
  }

  status(i: number): RowStatus {
    return STATUSES[this.statuses.get(i)]!;
  }

  beforeRow(i: number): number {
    return this.beforeRows.get(i);
  }

  afterRow(i: number): number {
    return this.afterRows.get(i);
  }

  columns(i: number): number[] {
    const out: number[] = [];
    for (let k = this.colStart.get(i); k < this.colStart.get(i + 1); k++) out.push(this.cols.get(k));
    return out;
  }

  /**
   * Entry indices that pass the filter, or null for all of them. The last selection is kept, so
   * paging through one filter scans the list once.
   */
  select(filter: RowFilter | undefined, columnIndex: (name: string) => number): Uint32Array | null {
    const statuses = filter?.status === undefined ? null : new Set(([] as RowStatus[]).concat(filter.status as RowStatus[]).map((s) => CODE[s]));
    const column = filter?.column === undefined ? -1 : columnIndex(filter.column);
    if (!statuses && filter?.column === undefined) return null;
    const key = JSON.stringify([statuses ? [...statuses].sort() : null, filter?.column ?? null]);
    if (this.cache?.key === key) return this.cache.index;
    const picked = new GrowableU32();
    for (let i = 0; i < this.length; i++) {
      const s = this.statuses.get(i);
      if (statuses && !statuses.has(s)) continue;
      if (filter?.column !== undefined) {
        if (column < 0) continue;
        let hit = false;
        for (let k = this.colStart.get(i); k < this.colStart.get(i + 1) && !hit; k++) hit = this.cols.get(k) === column;
        if (!hit) continue;
      }
      picked.push(i);
    }
    const index = picked.view().slice();
    this.cache = { key, index };
    return index;
  }
}
