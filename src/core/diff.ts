/**
 * Manifest diff: what changed between two versions, or between a version and a folder. One pass of
 * map lookups over both manifests, so it stays cheap next to parsing them (500k entries and more).
 */
import { sortPaths } from './digest';
import type { Manifest, ManifestEntry } from './manifest';

export interface DiffSide {
  digest: string;
  size: number | null;
  ref?: string;
}

export interface DiffEntry extends DiffSide {
  path: string;
}

export interface ModifiedEntry {
  path: string;
  before: DiffSide;
  after: DiffSide;
}

export interface ManifestDiff {
  added: DiffEntry[];
  removed: DiffEntry[];
  modified: ModifiedEntry[];
  unchangedCount: number;
  sizeBefore: number;
  sizeAfter: number;
  /** sizeAfter - sizeBefore, references included (W&B's Artifact.size). */
  sizeChange: number;
}

function side(e: ManifestEntry): DiffSide {
  const s: DiffSide = { digest: e.digest, size: e.size ?? null };
  if (e.ref !== undefined) s.ref = e.ref;
  return s;
}

function byPath<T extends { path: string }>(items: T[]): T[] {
  const order = new Map(sortPaths(items.map((i) => i.path)).map((p, i) => [p, i]));
  return items.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
}

/** Changes from `before` to `after`: added, removed, modified (digest or size), unchanged count. */
export function diffManifests(before: Manifest, after: Manifest): ManifestDiff {
  const added: DiffEntry[] = [];
  const removed: DiffEntry[] = [];
  const modified: ModifiedEntry[] = [];
  let unchangedCount = 0;
  for (const a of before.entries()) {
    const b = after.get(a.path);
    if (!b) removed.push({ path: a.path, ...side(a) });
    else if (a.digest !== b.digest || (a.size ?? null) !== (b.size ?? null)) modified.push({ path: a.path, before: side(a), after: side(b) });
    else unchangedCount += 1;
  }
  // Every path of `after` not matched above is new; skip the second pass when there are none.
  if (after.fileCount > before.fileCount - removed.length) {
    for (const b of after.entries()) if (!before.has(b.path)) added.push({ path: b.path, ...side(b) });
  }
  const sizeBefore = before.size;
  const sizeAfter = after.size;
  return { added: byPath(added), removed: byPath(removed), modified: byPath(modified), unchangedCount, sizeBefore, sizeAfter, sizeChange: sizeAfter - sizeBefore };
}
