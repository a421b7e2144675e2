/**
 * Tracked folders in Source Control, as plain data: the resource groups of a folder's status, each
 * resource's state, the status bar item of the active editor's folder, the versions offered by
 * Switch Version…, which tracked folder holds a file, and a debouncer for the file watcher. No
 * vscode import (test/unit/extension/tracked-model.test.ts); scm/tracked-scm.ts adapts it.
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { FolderStatus } from '../../app/tracked-folder';
import { formatDate, formatNumber } from '../../core/l10n';
import { trackedShortRef, type TrackingState } from '../../core/tracking';

export type ChangeKind = 'modified' | 'added' | 'deleted';

/** The id of each resource group; the `scmResourceGroup` of package.json's menus. */
export const GROUP_IDS: readonly ChangeKind[] = ['modified', 'added', 'deleted'];

export interface ChangeResource {
  kind: ChangeKind;
  /** Path in the folder and in the version (`/` separators). */
  path: string;
  /** Absolute path of the file in the folder (a deleted file's former place). */
  file: string;
  tooltip: string;
  icon: string;
  strikeThrough: boolean;
}

export interface ChangeGroup {
  id: ChangeKind;
  label: string;
  resources: ChangeResource[];
}

function groupLabel(kind: ChangeKind): string {
  switch (kind) {
    case 'modified':
      return l10n.t('Modified');
    case 'added':
      return l10n.t('Added');
    case 'deleted':
      return l10n.t('Deleted');
  }
}

function tooltipOf(kind: ChangeKind, ref: string): string {
  switch (kind) {
    case 'modified':
      return l10n.t('Modified since {0}', ref);
    case 'added':
      return l10n.t('Not in {0}', ref);
    case 'deleted':
      return l10n.t('Deleted since {0}', ref);
  }
}

const ICONS: Record<ChangeKind, string> = { modified: 'diff-modified', added: 'diff-added', deleted: 'diff-removed' };

/** The absolute file of a path of the folder. */
export function fileOf(root: string, relPath: string): string {
  return path.join(root, ...relPath.split('/'));
}

/** The three groups of a status, each sorted by path (empty groups too: VS Code hides them). */
export function changeGroups(status: Pick<FolderStatus, 'root' | 'ref' | 'modified' | 'added' | 'deleted'>): ChangeGroup[] {
  const lists: Record<ChangeKind, string[]> = { modified: status.modified, added: status.added, deleted: status.deleted };
  return GROUP_IDS.map((id) => ({
    id,
    label: groupLabel(id),
    resources: lists[id].map((p) => ({ kind: id, path: p, file: fileOf(status.root, p), tooltip: tooltipOf(id, status.ref), icon: ICONS[id], strikeThrough: id === 'deleted' })),
  }));
}

/** How many changes a status has (the Source Control badge). */
export function changeCount(status: Pick<FolderStatus, 'modified' | 'added' | 'deleted'>): number {
  return status.modified.length + status.added.length + status.deleted.length;
}

/** The input box's placeholder: what a commit makes. */
export function commitPlaceholder(t: TrackingState): string {
  return l10n.t('Message (the description of the next version of {0}; Ctrl+Enter commits)', t.collection);
}

/** The diff editor's title for a modified file. */
export function changeTitle(relPath: string, t: TrackingState): string {
  return l10n.t('{0} ({1} ↔ folder)', relPath, trackedShortRef(t));
}

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** The folder differs from its version: the item gets the warning colours. */
  warning: boolean;
}

/** The status bar item of a tracked folder: `mnist:v3`, and whether it differs (undefined status: not known yet). */
export function statusBarView(root: string, t: TrackingState, status: Pick<FolderStatus, 'modified' | 'added' | 'deleted'> | undefined, failure?: string): StatusBarView {
  const short = trackedShortRef(t);
  const text = `$(package) ${short}`;
  if (failure !== undefined) return { text, tooltip: l10n.t('{0} tracks {1}, whose status could not be read: {2}', root, short, failure), warning: true };
  if (!status) return { text, tooltip: l10n.t('{0} tracks {1}', root, short), warning: false };
  const n = changeCount(status);
  if (n === 0) return { text, tooltip: l10n.t('{0} tracks {1} and equals it. Click to show the version.', root, short), warning: false };
  const [m, a, d] = [status.modified.length, status.added.length, status.deleted.length].map(formatNumber);
  return { text: `${text}*`, tooltip: l10n.t('{0} tracks {1} and differs from it: {2} modified, {3} added, {4} deleted. Click to show the version.', root, short, m!, a!, d!), warning: true };
}

/** The tracked folder that holds `file` (the innermost one), or undefined. */
export function trackedRootOf(roots: Iterable<string>, file: string): string | undefined {
  let best: string | undefined;
  for (const root of roots) {
    const rel = path.relative(root, file);
    const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    if (inside && (best === undefined || root.length > best.length)) best = root;
  }
  return best;
}

/** The path of `file` in the folder `root` (`/` separators), or undefined when it is outside or is the root. */
export function relativeInFolder(root: string, file: string): string | undefined {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

export interface VersionChoice {
  label: string;
  description: string;
  detail: string;
  /** `vN` */
  version: string;
  current: boolean;
}

/** The versions of the tracked collection for Switch Version…, newest first, the tracked one marked. */
export function versionChoices(versions: ReadonlyArray<{ version: string; aliases: readonly string[]; createdAt: string; description: string | null; fileCount: number }>, t: TrackingState): VersionChoice[] {
  return versions.map((v) => {
    const current = v.version === t.version;
    const files = v.fileCount === 1 ? l10n.t('1 file') : l10n.t('{0} files', formatNumber(v.fileCount));
    return {
      label: current ? `$(check) ${v.version}` : v.version,
      description: [current ? l10n.t('tracked now') : '', v.aliases.join(', ')].filter(Boolean).join(' · '),
      detail: [formatDate(v.createdAt), files, v.description ?? ''].filter(Boolean).join(' · '),
      version: v.version,
      current,
    };
  });
}

/**
 * Runs `fire` once after `ms` without another `poke` (a burst of file events becomes one status
 * refresh); `flush` runs it now if one is pending.
 */
export class Debouncer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(
    private readonly ms: number,
    private readonly fire: () => void,
  ) {}

  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, this.ms);
  }

  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
