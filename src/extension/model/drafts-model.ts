/**
 * The Drafts view as plain data: drafts, what each stages and what it inherits from a base version.
 * No vscode import; `relative` shows a local path the way the window does (workspace-relative).
 */
import { URI } from 'vscode-uri';
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

export function presentDraft(node: DraftNode, relative: (localPath: string) => string): NodePresentation {
  switch (node.kind) {
    case 'draft': {
      const d = node.draft;
      const staged = `${d.sources.length} staged`;
      return {
        id: `draft:${d.id}`,
        label: d.name,
        description: d.base ? `${d.type} · from ${d.base.slice(d.base.lastIndexOf('/') + 1)} · ${staged}` : `${d.type} · ${staged}`,
        tooltip: `Draft ${d.name} (${d.type})${d.base ? `, starting from ${d.base}` : ''}\nCommit it to log a new version.`,
        icon: 'git-pull-request-draft',
        contextValue: 'draft',
        collapsible: 'expanded',
      };
    }
    case 'source': {
      const s = node.source;
      return {
        id: `draft:${node.draft.id}:${s.kind}:${s.target}`,
        label: s.target || '(artifact root)',
        description: relative(s.localPath),
        tooltip: `${s.kind === 'folder' ? 'Folder' : 'File'} ${s.localPath}\n→ ${s.target || 'the root of the artifact'}`,
        icon: s.kind === 'folder' ? 'folder' : 'file',
        resourceUri: URI.file(s.localPath),
        contextValue: 'draftSource',
        collapsible: 'none',
      };
    }
    case 'base': {
      const removed = node.draft.removed.length;
      return {
        id: `draft:${node.draft.id}:base`,
        label: `Files of ${node.draft.base}`,
        description: removed ? `${removed} removed` : 'kept',
        icon: 'versions',
        contextValue: 'draftBase',
        collapsible: removed ? 'collapsed' : 'none',
      };
    }
    case 'removed':
      return { id: `draft:${node.draft.id}:removed:${node.path}`, label: node.path, description: 'removed', icon: 'remove', contextValue: 'draftRemoved', collapsible: 'none' };
  }
}
