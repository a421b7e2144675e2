/**
 * The Verification view and the Explorer marks as plain data: each verified folder, its groups
 * (modified, missing, not in the version) and their paths; and the badge a file on disk gets. No
 * vscode import; `relative` shows a local path the way the window does (workspace-relative).
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { URI } from 'vscode-uri';
import { formatDate, formatNumber } from '../../core/l10n';
import { COMMANDS } from '../commands/ids';
import type { NodePresentation } from './presentation';
import type { FileState, VerifyRecord, VerifyResults } from './verify-results';

export type VerificationNode =
  | { kind: 'record'; record: VerifyRecord }
  | { kind: 'group'; record: VerifyRecord; state: FileState; paths: string[] }
  | { kind: 'path'; record: VerifyRecord; state: FileState; path: string };

export const VERIFICATION_CONTEXT_VALUES = ['verifyRecord', 'verifyGroup', 'verifyPath.modified', 'verifyPath.missing', 'verifyPath.added'] as const;

function groupLabel(state: FileState): string {
  switch (state) {
    case 'modified':
      return l10n.t('Modified');
    case 'missing':
      return l10n.t('Missing');
    case 'added':
      return l10n.t('Not in the version');
  }
}

/** A path row's description: its state in a word. */
function stateWord(state: FileState): string {
  switch (state) {
    case 'modified':
      return l10n.t('modified');
    case 'missing':
      return l10n.t('missing');
    case 'added':
      return l10n.t('added');
  }
}

/** `3 equal, 1 modified, 1 missing, 0 not in the version`, and the references not checked. */
function countsLine(r: VerifyRecord['result']): string {
  const [equal, modified, missing, extra] = [r.matched, r.modified.length, r.missing.length, r.extra.length].map(formatNumber) as [string, string, string, string];
  if (!r.referencesSkipped) return l10n.t('{0} equal, {1} modified, {2} missing, {3} not in the version', equal, modified, missing, extra);
  if (r.referencesSkipped === 1) return l10n.t('{0} equal, {1} modified, {2} missing, {3} not in the version, 1 reference not checked', equal, modified, missing, extra);
  return l10n.t('{0} equal, {1} modified, {2} missing, {3} not in the version, {4} references not checked', equal, modified, missing, extra, formatNumber(r.referencesSkipped));
}
const PATH_ICON: Record<FileState, string> = { modified: 'diff-modified', missing: 'diff-removed', added: 'diff-added' };

export function verificationChildren(records: readonly VerifyRecord[], node?: VerificationNode): VerificationNode[] {
  if (!node) return records.map((record) => ({ kind: 'record', record }));
  if (node.kind === 'record') {
    const r = node.record.result;
    const groups: Array<[FileState, string[]]> = [
      ['modified', r.modified],
      ['missing', r.missing],
      ['added', r.extra],
    ];
    return groups.filter(([, paths]) => paths.length > 0).map(([state, paths]) => ({ kind: 'group', record: node.record, state, paths }));
  }
  if (node.kind === 'group') return node.paths.map((p) => ({ kind: 'path', record: node.record, state: node.state, path: p }));
  return [];
}

/** The file on disk a path row stands for. */
export function localFileOf(record: VerifyRecord, logicalPath: string): string {
  return path.join(record.root, ...logicalPath.split('/'));
}

export function presentVerification(node: VerificationNode, relative: (localPath: string) => string): NodePresentation {
  if (node.kind === 'record') {
    const { record } = node;
    const r = record.result;
    return {
      id: `verify:${record.root}`,
      label: relative(record.root),
      description: r.ok ? l10n.t('matches {0}', record.ref) : l10n.t('differs from {0}', record.ref),
      tooltip: [record.root, l10n.t('verified against {0} at {1}', record.ref, formatDate(record.at)), countsLine(r)].join('\n'),
      icon: r.ok ? 'pass' : 'warning',
      contextValue: 'verifyRecord',
      collapsible: 'expanded',
    };
  }
  if (node.kind === 'group') {
    return { id: `verify:${node.record.root}:${node.state}`, label: groupLabel(node.state), description: formatNumber(node.paths.length), contextValue: 'verifyGroup', collapsible: 'expanded' };
  }
  return {
    id: `verify:${node.record.root}:${node.state}:${node.path}`,
    label: node.path,
    description: stateWord(node.state),
    icon: PATH_ICON[node.state],
    resourceUri: node.state === 'missing' ? undefined : URI.file(localFileOf(node.record, node.path)),
    contextValue: `verifyPath.${node.state}`,
    collapsible: 'none',
    command: { id: COMMANDS.openVerifiedFile, title: l10n.t('Open') },
  };
}

export interface FileMark {
  badge: string;
  /** A theme color id. */
  color: string;
  tooltip: string;
}

/** Badges as source control shows them (M, A), the same in every language. */
const MARK: Record<FileState, { badge: string; color: string }> = {
  modified: { badge: 'M', color: 'gitDecoration.modifiedResourceForeground' },
  added: { badge: 'A', color: 'gitDecoration.untrackedResourceForeground' },
  missing: { badge: '!', color: 'gitDecoration.deletedResourceForeground' },
};

function markTooltip(state: FileState, ref: string): string {
  switch (state) {
    case 'modified':
      return l10n.t('Modified: differs from {0}', ref);
    case 'added':
      return l10n.t('Not in {0}', ref);
    case 'missing':
      return l10n.t('Files missing compared with {0}', ref);
  }
}

/** The Explorer mark of a file or folder on disk, from the verify result covering it. */
export function fileMark(results: VerifyResults, absPath: string): FileMark | undefined {
  const hit = results.stateOf(absPath);
  if (!hit) return undefined;
  const m = MARK[hit.state];
  return { badge: m.badge, color: m.color, tooltip: markTooltip(hit.state, hit.record.ref) };
}
