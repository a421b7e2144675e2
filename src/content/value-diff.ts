/**
 * Structural diff of two JSON-like values by key path (`a.b[2].c`), shared by the JSON/YAML differ
 * and the metadata differ. Objects are compared by key, arrays by index; each array that differs is
 * summarized with the number of elements that changed. The walk is iterative and time-sliced, so a
 * large document neither overflows the stack nor holds the thread.
 */
import { TimeSlicer } from './options';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ValueChange {
  /** Key path from the root: `a.b[2].c`, `["key with spaces"]`; '' is the root itself. */
  path: string;
  kind: ChangeKind;
  /** The old value (absent when added). A long value is replaced by a preview string, see `truncated`. */
  before?: unknown;
  after?: unknown;
  /** `after - before` when both are numbers. */
  delta?: number;
  /** The value is long or spans lines: a view should show it collapsed. */
  collapse?: true;
  /** `before`/`after` were cut to a preview string of their JSON text. */
  truncated?: true;
}

/** An array present on both sides that differs. */
export interface ArrayChange {
  path: string;
  lengthBefore: number;
  lengthAfter: number;
  /** Indices whose element differs, was added or was removed. */
  changedElements: number;
}

export interface ValueDiff {
  /** In document order, at most `maxChanges` of them. */
  changes: ValueChange[];
  arrays: ArrayChange[];
  /** All changes, including those past `maxChanges`. */
  counts: { added: number; removed: number; changed: number };
  /** True when `changes` stops at `maxChanges`. */
  truncated: boolean;
}

export interface ValueDiffOptions {
  signal?: AbortSignal;
  /** Most changes listed (all are counted). Default 10,000. */
  maxChanges?: number;
  /** Values whose JSON text is longer are marked `collapse`. Default 80. */
  longValueChars?: number;
  /** Values whose JSON text is longer are replaced by a preview of this many characters. Default 2,000. */
  maxValueChars?: number;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function keyPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !ArrayBuffer.isView(v);
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

function toJsonText(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Marks that an element of an array differs; propagates to the elements of enclosing arrays. */
interface ElementToken {
  array: ArrayChange;
  counted: boolean;
  parent: ElementToken | null;
}

function mark(token: ElementToken | null): void {
  while (token && !token.counted) {
    token.counted = true;
    token.array.changedElements += 1;
    token = token.parent;
  }
}

interface Frame {
  path: string;
  a: unknown;
  b: unknown;
  owner: ElementToken | null;
}

export async function diffValues(before: unknown, after: unknown, opts: ValueDiffOptions = {}): Promise<ValueDiff> {
  const maxChanges = opts.maxChanges ?? 10_000;
  const longChars = opts.longValueChars ?? 80;
  const maxChars = opts.maxValueChars ?? 2_000;
  const slicer = new TimeSlicer(opts.signal);
  const changes: ValueChange[] = [];
  const arrays: ArrayChange[] = [];
  const counts = { added: 0, removed: 0, changed: 0 };

  const present = (change: ValueChange, field: 'before' | 'after', value: unknown): void => {
    const isShortScalar = value === null || typeof value === 'boolean' || typeof value === 'number';
    if (isShortScalar) {
      change[field] = value;
      return;
    }
    const text = typeof value === 'string' ? value : toJsonText(value);
    if (text.length > longChars || text.includes('\n')) change.collapse = true;
    if (text.length > maxChars) {
      change[field] = `${text.slice(0, maxChars)}…`;
      change.truncated = true;
    } else {
      change[field] = typeof value === 'bigint' ? value.toString() : value;
    }
  };

  const record = (frame: Frame, kind: ChangeKind): void => {
    counts[kind] += 1;
    mark(frame.owner);
    if (changes.length >= maxChanges) return;
    const change: ValueChange = { path: frame.path, kind };
    if (kind !== 'added') present(change, 'before', frame.a);
    if (kind !== 'removed') present(change, 'after', frame.b);
    if (kind === 'changed' && typeof frame.a === 'number' && typeof frame.b === 'number') change.delta = frame.b - frame.a;
    changes.push(change);
  };

  // Depth first, children pushed in reverse so that changes come out in document order.
  const stack: Frame[] = [{ path: '', a: before, b: after, owner: null }];
  while (stack.length > 0) {
    if (slicer.due()) await slicer.pause();
    const frame = stack.pop()!;
    const { a, b } = frame;
    if (a === undefined && b === undefined) continue;
    if (a === undefined) {
      record(frame, 'added');
      continue;
    }
    if (b === undefined) {
      record(frame, 'removed');
      continue;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const summary: ArrayChange = { path: frame.path, lengthBefore: a.length, lengthAfter: b.length, changedElements: 0 };
      const children: Frame[] = [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const token: ElementToken = { array: summary, counted: false, parent: frame.owner };
        children.push({ path: keyPath(frame.path, i), a: i < a.length ? a[i] : undefined, b: i < b.length ? b[i] : undefined, owner: token });
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      // Counted as the children are visited; listed now so the order is by path.
      arrays.push(summary);
      continue;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      const children: Frame[] = [];
      for (const key of Object.keys(a)) children.push({ path: keyPath(frame.path, key), a: a[key], b: Object.hasOwn(b, key) ? b[key] : undefined, owner: frame.owner });
      for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) children.push({ path: keyPath(frame.path, key), a: undefined, b: b[key], owner: frame.owner });
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      continue;
    }
    if (isPlainObject(a) || isPlainObject(b) || Array.isArray(a) || Array.isArray(b)) {
      record(frame, 'changed');
      continue;
    }
    if (!sameScalar(a, b)) record(frame, 'changed');
  }
  return {
    changes,
    arrays: arrays.filter((s) => s.changedElements > 0),
    counts,
    truncated: counts.added + counts.removed + counts.changed > changes.length,
  };
}
