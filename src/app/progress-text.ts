/** Progress in words, the same on the CLI's stderr and in VS Code's notifications. */
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../core/l10n';
import { formatBytes } from '../core/units';

export type WorkPhase = 'hashing' | 'storing' | 'committing' | 'downloading' | 'checking out' | 'verifying' | 'copying';

export interface WorkProgress {
  phase: WorkPhase;
  files: number;
  bytes: number;
  totalFiles?: number;
  totalBytes?: number;
}

/**
 * `hashing 10/100 files, 1.2 MiB of 3.4 MiB`, or without totals `hashing 10 files, 1.2 MiB`. One
 * whole message per phase and form; totals are shown when both are known.
 */
export function describeProgress(p: WorkProgress): string {
  const files = formatNumber(p.files);
  const bytes = formatBytes(p.bytes);
  if (p.totalFiles !== undefined && p.totalBytes !== undefined) {
    const totalFiles = formatNumber(p.totalFiles);
    const totalBytes = formatBytes(p.totalBytes);
    switch (p.phase) {
      case 'hashing':
        return l10n.t('hashing {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
      case 'storing':
        return l10n.t('storing {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
      case 'committing':
        return l10n.t('committing {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
      case 'downloading':
        return l10n.t('downloading {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
      case 'checking out': // l10n-ignore: a WorkPhase value, not text
        return l10n.t('checking out {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
      case 'verifying':
        return l10n.t('verifying {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
      case 'copying':
        return l10n.t('copying {0}/{1} files, {2} of {3}', files, totalFiles, bytes, totalBytes);
    }
  }
  if (p.files === 1) {
    switch (p.phase) {
      case 'hashing':
        return l10n.t('hashing 1 file, {0}', bytes);
      case 'storing':
        return l10n.t('storing 1 file, {0}', bytes);
      case 'committing':
        return l10n.t('committing 1 file, {0}', bytes);
      case 'downloading':
        return l10n.t('downloading 1 file, {0}', bytes);
      case 'checking out': // l10n-ignore: a WorkPhase value, not text
        return l10n.t('checking out 1 file, {0}', bytes);
      case 'verifying':
        return l10n.t('verifying 1 file, {0}', bytes);
      case 'copying':
        return l10n.t('copying 1 file, {0}', bytes);
    }
  }
  switch (p.phase) {
    case 'hashing':
      return l10n.t('hashing {0} files, {1}', files, bytes);
    case 'storing':
      return l10n.t('storing {0} files, {1}', files, bytes);
    case 'committing':
      return l10n.t('committing {0} files, {1}', files, bytes);
    case 'downloading':
      return l10n.t('downloading {0} files, {1}', files, bytes);
    case 'checking out': // l10n-ignore: a WorkPhase value, not text
      return l10n.t('checking out {0} files, {1}', files, bytes);
    case 'verifying':
      return l10n.t('verifying {0} files, {1}', files, bytes);
    case 'copying':
      return l10n.t('copying {0} files, {1}', files, bytes);
  }
}

/** The share of the work done, when the total is known. */
export function progressFraction(p: WorkProgress): number | undefined {
  return p.totalBytes ? p.bytes / p.totalBytes : undefined;
}
