/**
 * Verify results: a view listing each verified folder's missing, modified and added files, and
 * decorations on those files in the Explorer (like source control's M and A).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileState, VerifyRecord, VerifyResults } from '../model/verify-results';

export type VerificationNode =
  | { kind: 'record'; record: VerifyRecord }
  | { kind: 'group'; record: VerifyRecord; state: FileState; paths: string[] }
  | { kind: 'path'; record: VerifyRecord; state: FileState; path: string };

const GROUP_LABEL: Record<FileState, string> = { modified: 'Modified', missing: 'Missing', added: 'Not in the version' };
const BADGE: Record<FileState, { badge: string; color: string; tooltip: string }> = {
  modified: { badge: 'M', color: 'gitDecoration.modifiedResourceForeground', tooltip: 'Modified: differs from' },
  added: { badge: 'A', color: 'gitDecoration.untrackedResourceForeground', tooltip: 'Not in' },
  missing: { badge: '!', color: 'gitDecoration.deletedResourceForeground', tooltip: 'Files missing compared with' },
};

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
      void vscode.commands.executeCommand('setContext', 'artifacts.hasVerification', results.all().length > 0);
    });
  }

  getTreeItem(node: VerificationNode): vscode.TreeItem {
    if (node.kind === 'record') {
      const r = node.record.result;
      const item = new vscode.TreeItem(vscode.workspace.asRelativePath(node.record.root), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `verify:${node.record.root}`;
      item.description = r.ok ? `matches ${node.record.ref}` : `differs from ${node.record.ref}`;
      item.tooltip = `${node.record.root}\nverified against ${node.record.ref} at ${node.record.at}\n${r.matched} equal, ${r.modified.length} modified, ${r.missing.length} missing, ${r.extra.length} not in the version${r.referencesSkipped ? `, ${r.referencesSkipped} references not checked` : ''}`;
      item.iconPath = new vscode.ThemeIcon(r.ok ? 'pass' : 'warning');
      item.contextValue = 'verifyRecord';
      return item;
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(GROUP_LABEL[node.state], vscode.TreeItemCollapsibleState.Expanded);
      item.id = `verify:${node.record.root}:${node.state}`;
      item.description = String(node.paths.length);
      return item;
    }
    const item = new vscode.TreeItem(node.path, vscode.TreeItemCollapsibleState.None);
    item.id = `verify:${node.record.root}:${node.state}:${node.path}`;
    item.description = node.state;
    const file = vscode.Uri.file(path.join(node.record.root, ...node.path.split('/')));
    if (node.state !== 'missing') item.resourceUri = file;
    item.iconPath = new vscode.ThemeIcon(node.state === 'modified' ? 'diff-modified' : node.state === 'missing' ? 'diff-removed' : 'diff-added');
    item.command = { command: 'artifacts.openVerifiedFile', title: 'Open', arguments: [node] };
    item.contextValue = `verifyPath.${node.state}`;
    return item;
  }

  getChildren(node?: VerificationNode): VerificationNode[] {
    if (!node) return this.results.all().map((record) => ({ kind: 'record', record }));
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

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const hit = this.results.stateOf(uri.fsPath);
    if (!hit) return undefined;
    const b = BADGE[hit.state];
    return { badge: b.badge, color: new vscode.ThemeColor(b.color), tooltip: `${b.tooltip} ${hit.record.ref}`, propagate: false };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.decorationsChanged.dispose();
  }
}
