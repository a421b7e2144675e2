/**
 * Verify results: the pure verification model (model/verification-model.ts) as a view listing each
 * verified folder's missing, modified and added files, and as decorations on those files in the
 * Explorer (like source control's M and A).
 */
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../commands/ids';
import { fileMark, presentVerification, verificationChildren, type VerificationNode } from '../model/verification-model';
import type { VerifyResults } from '../model/verify-results';
import { setContextKey } from '../ui/context-keys';
import { toTreeItem } from './tree-item';

export class VerificationTreeProvider implements vscode.TreeDataProvider<VerificationNode>, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly results: VerifyResults) {
    this.subscription = results.onDidChange(() => {
      this.changed.fire();
      this.decorationsChanged.fire(undefined);
      void setContextKey(CONTEXT_KEYS.hasVerification, results.all().length > 0);
    });
  }

  getTreeItem(node: VerificationNode): vscode.TreeItem {
    return toTreeItem(presentVerification(node, (p) => vscode.workspace.asRelativePath(p)), node);
  }

  getChildren(node?: VerificationNode): VerificationNode[] {
    return verificationChildren(this.results.all(), node);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const mark = fileMark(this.results, uri.fsPath);
    return mark && { badge: mark.badge, color: new vscode.ThemeColor(mark.color), tooltip: mark.tooltip, propagate: false };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.decorationsChanged.dispose();
  }
}
