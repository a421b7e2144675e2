/**
 * The Verification view and the Explorer marks as plain data: each verified folder, its groups
 * (modified, missing, not in the version) and their paths; and the badge a file on disk gets. No
 * vscode import; `relative` shows a local path the way the window does (workspace-relative).
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { COMMANDS } from '../commands/ids';
import type { NodePresentation } from './presentation';
import type { FileState, VerifyRecord, VerifyResults } from './verify-results';

export type VerificationNode =
  | { kind: 'record'; record: VerifyRecord }
  | { kind: 'group'; record: VerifyRecord; state: FileState; paths: string[] }
  | { kind: 'path'; record: VerifyRecord; state: FileState; path: string };

export const VERIFICATION_CONTEXT_VALUES = ['verifyRecord', 'verifyGroup', 'verifyPath.modified', 'verifyPath.missing', 'verifyPath.added'] as const;

const GROUP_LABEL: Record<FileState, string> = { modified: 'Modified', missing: 'Missing', added: 'Not in the version' };
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
      description: r.ok ? `matches ${record.ref}` : `differs from ${record.ref}`,
      tooltip: `${record.root}\nverified against ${record.ref} at ${record.at}\n${r.matched} equal, ${r.modified.length} modified, ${r.missing.length} missing, ${r.extra.length} not in the version${r.referencesSkipped ? `, ${r.referencesSkipped} references not checked` : ''}`,
      icon: r.ok ? 'pass' : 'warning',
      contextValue: 'verifyRecord',
      collapsible: 'expanded',
    };
  }
  if (node.kind === 'group') {
    return { id: `verify:${node.record.root}:${node.state}`, label: GROUP_LABEL[node.state], description: String(node.paths.length), contextValue: 'verifyGroup', collapsible: 'expanded' };
  }
  return {
    id: `verify:${node.record.root}:${node.state}:${node.path}`,
    label: node.path,
    description: node.state,
    icon: PATH_ICON[node.state],
    resourceUri: node.state === 'missing' ? undefined : URI.file(localFileOf(node.record, node.path)),
    contextValue: `verifyPath.${node.state}`,
    collapsible: 'none',
    command: { id: COMMANDS.openVerifiedFile, title: 'Open' },
  };
}

export interface FileMark {
  badge: string;
  /** A theme color id. */
  color: string;
  tooltip: string;
}

const MARK: Record<FileState, { badge: string; color: string; tooltip: string }> = {
  modified: { badge: 'M', color: 'gitDecoration.modifiedResourceForeground', tooltip: 'Modified: differs from' },
  added: { badge: 'A', color: 'gitDecoration.untrackedResourceForeground', tooltip: 'Not in' },
  missing: { badge: '!', color: 'gitDecoration.deletedResourceForeground', tooltip: 'Files missing compared with' },
};

/** The Explorer mark of a file or folder on disk, from the verify result covering it. */
export function fileMark(results: VerifyResults, absPath: string): FileMark | undefined {
  const hit = results.stateOf(absPath);
  if (!hit) return undefined;
  const m = MARK[hit.state];
  return { badge: m.badge, color: m.color, tooltip: `${m.tooltip} ${hit.record.ref}` };
}
