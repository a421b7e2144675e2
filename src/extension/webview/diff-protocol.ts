/**
 * The one message contract of the diff webview, shared by the extension host and the page (which
 * imports only this file's types). The host keeps the rows; the page asks for windows of them as the
 * user scrolls, filters and sorts, so 500,000 rows never travel at once.
 */
export type DiffStatus = 'added' | 'removed' | 'modified';
export type SortKey = 'path' | 'size';
export type StatusFilter = DiffStatus | 'all';

export interface DiffRow {
  path: string;
  status: DiffStatus;
  sizeBefore: number | null;
  sizeAfter: number | null;
  /** A reference entry (its bytes are not stored): no file diff. */
  isReference: boolean;
}

export interface DiffSummary {
  before: string;
  after: string;
  added: number;
  removed: number;
  modified: number;
  unchanged: number;
  sizeBefore: number;
  sizeAfter: number;
  sizeChange: number;
}

export interface RowQuery {
  /** Case-insensitive substring of the path. */
  filter: string;
  status: StatusFilter;
  sort: SortKey;
  descending: boolean;
  offset: number;
  limit: number;
  /** Echoed back so the page can drop answers to superseded queries. */
  seq: number;
}

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'query'; query: RowQuery }
  | { type: 'openDiff'; path: string };

/** Host → page. */
export type HostMessage =
  | { type: 'summary'; summary: DiffSummary }
  | { type: 'rows'; seq: number; total: number; offset: number; rows: DiffRow[] }
  | { type: 'error'; message: string };

export function isPageMessage(m: unknown): m is PageMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready') return true;
  if (t === 'openDiff') return typeof (m as { path?: unknown }).path === 'string';
  if (t === 'query') {
    const q = (m as { query?: Partial<RowQuery> }).query;
    return (
      typeof q === 'object' && q !== null &&
      typeof q.filter === 'string' && ['all', 'added', 'removed', 'modified'].includes(q.status as string) &&
      (q.sort === 'path' || q.sort === 'size') && typeof q.descending === 'boolean' &&
      Number.isInteger(q.offset) && Number.isInteger(q.limit) && Number.isInteger(q.seq)
    );
  }
  return false;
}
