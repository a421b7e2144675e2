/** Progress in words, the same on the CLI's stderr and in VS Code's notifications. */
import { formatBytes } from '../core/units';

export type WorkPhase = 'hashing' | 'storing' | 'committing' | 'downloading' | 'checking out' | 'verifying' | 'copying';

export interface WorkProgress {
  phase: WorkPhase;
  files: number;
  bytes: number;
  totalFiles?: number;
  totalBytes?: number;
}

/** `hashing 10/100 files, 1.2 MB of 3.4 MB` */
export function describeProgress(p: WorkProgress): string {
  const files = p.totalFiles !== undefined ? `${p.files}/${p.totalFiles} files` : `${p.files} files`;
  const bytes = p.totalBytes !== undefined ? `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.bytes);
  return `${p.phase} ${files}, ${bytes}`;
}

/** The share of the work done, when the total is known. */
export function progressFraction(p: WorkProgress): number | undefined {
  return p.totalBytes ? p.bytes / p.totalBytes : undefined;
}
