/**
 * The Drafts view as plain data: drafts, what each stages and what it inherits from a base version.
 * No vscode import; `relative` shows a local path the way the window does (workspace-relative).
 */
import * as l10n from '@vscode/l10n';
import { URI } from 'vscode-uri';
import { formatNumber } from '../../core/l10n';
import type { Draft, DraftSource } from './draft-store';
import type { NodePresentation } from './presentation';

export type DraftNode =
  | { kind: 'draft'; draft: Draft }
  | { kind: 'source'; draft: Draft; source: DraftSource }
  | { kind: 'base'; draft: Draft }
  | { kind: 'removed'; draft: Draft; path: string };

export const DRAFT_CONTEXT_VALUES = ['draft', 'draftSource', 'draftBase', 'draftRemoved'] as const;

export function draftChildren(drafts: readonly Draft[], node?: DraftNode): DraftNode[] {
  if (!node) return drafts.map((draft) => ({ kind: 'draft', draft }));
  if (node.kind === 'draft') {
    const base: DraftNode[] = node.draft.base ? [{ kind: 'base', draft: node.draft }] : [];
    return [...base, ...node.draft.sources.map((source) => ({ kind: 'source' as const, draft: node.draft, source }))];
  }
  if (node.kind === 'base') return node.draft.removed.map((path) => ({ kind: 'removed' as const, draft: node.draft, path }));
  return [];
}

/** Drafts are top-level; everything else hangs off its draft (needed by reveal()). */
export function draftParent(node: DraftNode): DraftNode | undefined {
  if (node.kind === 'draft') return undefined;
  if (node.kind === 'removed') return { kind: 'base', draft: node.draft };
  return { kind: 'draft', draft: node.draft };
}

/** `Folder /w/data` and where it goes: `→ images` or `→ the root of the artifact`. */
function sourceTooltip(s: DraftSource): string {
  if (s.kind === 'folder') return s.target ? l10n.t('Folder {0}\n→ {1}', s.localPath, s.target) : l10n.t('Folder {0}\n→ the root of the artifact', s.localPath);
  return s.target ? l10n.t('File {0}\n→ {1}', s.localPath, s.target) : l10n.t('File {0}\n→ the root of the artifact', s.localPath);
}

export function presentDraft(node: DraftNode, relative: (localPath: string) => string): NodePresentation {
  switch (node.kind) {
    case 'draft': {
      const d = node.draft;
      const staged = formatNumber(d.sources.length);
      return {
        id: `draft:${d.id}`,
        label: d.name,
        description: d.base ? l10n.t('{0} · from {1} · {2} staged', d.type, d.base.slice(d.base.lastIndexOf('/') + 1), staged) : l10n.t('{0} · {1} staged', d.type, staged),
        tooltip: d.base
          ? l10n.t('Draft {0} ({1}), starting from {2}\nCommit it to log a new version.', d.name, d.type, d.base)
          : l10n.t('Draft {0} ({1})\nCommit it to log a new version.', d.name, d.type),
        icon: 'git-pull-request-draft',
        contextValue: 'draft',
        collapsible: 'expanded',
      };
    }
    case 'source': {
      const s = node.source;
      return {
        id: `draft:${node.draft.id}:${s.kind}:${s.target}`,
        label: s.target || l10n.t('(artifact root)'),
        description: relative(s.localPath),
        tooltip: sourceTooltip(s),
        icon: s.kind === 'folder' ? 'folder' : 'file',
        resourceUri: URI.file(s.localPath),
        contextValue: 'draftSource',
        collapsible: 'none',
      };
    }
    case 'base': {
      const removed = node.draft.removed.length;
      return {
        id: `draft:${node.draft.id}:base`, // l10n-ignore: a node id
        label: l10n.t('Files of {0}', node.draft.base!),
        description: removed ? l10n.t('{0} removed', formatNumber(removed)) : l10n.t('kept'),
        icon: 'versions',
        contextValue: 'draftBase',
        collapsible: removed ? 'collapsed' : 'none',
      };
    }
    case 'removed':
      // l10n-ignore: a node id
      return { id: `draft:${node.draft.id}:removed:${node.path}`, label: node.path, description: l10n.t('removed'), icon: 'remove', contextValue: 'draftRemoved', collapsible: 'none' };
  }
}
