/**
 * The last verify result per folder, and what it means for a file in the Explorer: modified (its
 * bytes differ from the version), added (the version does not have it) or, for folders holding
 * missing files, a marker that something is missing inside.
 */
import * as path from 'node:path';
import type { VerifyResult } from '../../core/folder';

export interface VerifyRecord {
  root: string;
  ref: string;
  result: VerifyResult;
  at: string;
}

export type FileState = 'modified' | 'added' | 'missing';

export class VerifyResults {
  private readonly records = new Map<string, VerifyRecord>();
  private readonly listeners = new Set<(roots: string[]) => void>();

  onDidChange(listener: (roots: string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(roots: string[]): void {
    for (const l of this.listeners) l(roots);
  }

  set(record: VerifyRecord): void {
    this.records.set(path.resolve(record.root), { ...record, root: path.resolve(record.root) });
    this.fire([path.resolve(record.root)]);
  }

  clear(root?: string): void {
    const roots = root ? [path.resolve(root)] : [...this.records.keys()];
    for (const r of roots) this.records.delete(r);
    this.fire(roots);
  }

  all(): VerifyRecord[] {
    return [...this.records.values()];
  }

  /** The state of a file or folder on disk according to the verify result covering it. */
  stateOf(absPath: string): { state: FileState; record: VerifyRecord } | undefined {
    const p = path.resolve(absPath);
    for (const record of this.records.values()) {
      const rel = path.relative(record.root, p).split(path.sep).join('/');
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const r = record.result;
      if (r.modified.includes(rel)) return { state: 'modified', record };
      if (r.extra.includes(rel)) return { state: 'added', record };
      const inside = rel === '' ? '' : `${rel}/`;
      if (r.missing.some((m) => m === rel || m.startsWith(inside))) return { state: 'missing', record };
    }
    return undefined;
  }
}
