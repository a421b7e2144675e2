/** The Drafts view: drafts with their staged files and folders, and what they inherit. */
import * as vscode from 'vscode';
import type { Draft, DraftSource, DraftStore } from '../model/draft-store';

export type DraftTreeNode =
  | { kind: 'draft'; draft: Draft }
  | { kind: 'source'; draft: Draft; source: DraftSource }
  | { kind: 'base'; draft: Draft }
  | { kind: 'removed'; draft: Draft; path: string };

export class DraftsTreeProvider implements vscode.TreeDataProvider<DraftTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: DraftStore) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  getTreeItem(node: DraftTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'draft': {
        const d = node.draft;
        const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `draft:${d.id}`;
        const staged = `${d.sources.length} staged`;
        item.description = d.base ? `${d.type} · from ${d.base.slice(d.base.lastIndexOf('/') + 1)} · ${staged}` : `${d.type} · ${staged}`;
        item.tooltip = `Draft ${d.name} (${d.type})${d.base ? `, starting from ${d.base}` : ''}\nCommit it to log a new version.`;
        item.iconPath = new vscode.ThemeIcon('git-pull-request-draft');
        item.contextValue = 'draft';
        return item;
      }
      case 'source': {
        const s = node.source;
        const item = new vscode.TreeItem(s.target || '(artifact root)', vscode.TreeItemCollapsibleState.None);
        item.id = `draft:${node.draft.id}:${s.kind}:${s.target}`;
        item.description = vscode.workspace.asRelativePath(s.localPath);
        item.tooltip = `${s.kind === 'folder' ? 'Folder' : 'File'} ${s.localPath}\n→ ${s.target || 'the root of the artifact'}`;
        item.iconPath = new vscode.ThemeIcon(s.kind === 'folder' ? 'folder' : 'file');
        item.resourceUri = vscode.Uri.file(s.localPath);
        item.contextValue = 'draftSource';
        return item;
      }
      case 'base': {
        const item = new vscode.TreeItem(`Files of ${node.draft.base}`, node.draft.removed.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `draft:${node.draft.id}:base`;
        item.description = node.draft.removed.length ? `${node.draft.removed.length} removed` : 'kept';
        item.iconPath = new vscode.ThemeIcon('versions');
        item.contextValue = 'draftBase';
        return item;
      }
      case 'removed': {
        const item = new vscode.TreeItem(node.path, vscode.TreeItemCollapsibleState.None);
        item.id = `draft:${node.draft.id}:removed:${node.path}`;
        item.description = 'removed';
        item.iconPath = new vscode.ThemeIcon('remove');
        item.contextValue = 'draftRemoved';
        return item;
      }
    }
  }

  getChildren(node?: DraftTreeNode): DraftTreeNode[] {
    if (!node) return this.store.list().map((draft) => ({ kind: 'draft', draft }));
    if (node.kind === 'draft') {
      const base: DraftTreeNode[] = node.draft.base ? [{ kind: 'base', draft: node.draft }] : [];
      return [...base, ...node.draft.sources.map((source) => ({ kind: 'source' as const, draft: node.draft, source }))];
    }
    if (node.kind === 'base') return node.draft.removed.map((path) => ({ kind: 'removed' as const, draft: node.draft, path }));
    return [];
  }

  /** Drafts are top-level; everything else hangs off its draft (needed by reveal()). */
  getParent(node: DraftTreeNode): DraftTreeNode | undefined {
    if (node.kind === 'draft') return undefined;
    if (node.kind === 'removed') return { kind: 'base', draft: node.draft };
    return { kind: 'draft', draft: node.draft };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
