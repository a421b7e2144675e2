/** The Drafts view: the pure drafts model (model/drafts-model.ts) as a TreeDataProvider. */
import * as vscode from 'vscode';
import { draftChildren, draftParent, presentDraft, type DraftNode } from '../model/drafts-model';
import type { DraftStore } from '../model/draft-store';
import { toTreeItem } from './tree-item';

export class DraftsTreeProvider implements vscode.TreeDataProvider<DraftNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: DraftStore) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  getTreeItem(node: DraftNode): vscode.TreeItem {
    return toTreeItem(presentDraft(node, (p) => vscode.workspace.asRelativePath(p)), node);
  }

  getChildren(node?: DraftNode): DraftNode[] {
    return draftChildren(this.store.list(), node);
  }

  getParent(node: DraftNode): DraftNode | undefined {
    return draftParent(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
