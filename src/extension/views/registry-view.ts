/** The Artifacts tree view: TreeModel nodes as TreeItems, refreshed when the registry changes. */
import * as vscode from 'vscode';
import { present, TreeModel, type TreeNode, type VersionNode } from '../model/tree-model';
import type { RegistryService } from '../services/registry-service';
import { artifactUri } from '../fs/artifact-uri';

const COLLAPSE: Record<string, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class RegistryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private model: TreeModel;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: RegistryService) {
    this.model = new TreeModel(service.registry);
    this.subscription = service.onDidChange(() => void this.refreshIfChanged());
  }

  /** Re-reads everything; after this window's own changes. */
  refresh(): void {
    if (this.model.registry !== this.service.registry) this.model = new TreeModel(this.service.registry);
    this.model.invalidate();
    this.changed.fire(undefined);
  }

  /** After a change on disk or in the settings: re-renders only when what the tree shows changed. */
  private async refreshIfChanged(): Promise<void> {
    if (this.model.registry !== this.service.registry) return this.refresh();
    if (await this.model.reload()) this.changed.fire(undefined);
  }

  get treeModel(): TreeModel {
    return this.model;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const p = present(node);
    const item = new vscode.TreeItem(p.label, COLLAPSE[p.collapsible]);
    item.id = node.id;
    item.description = p.description;
    item.tooltip = p.tooltip;
    item.contextValue = p.contextValue;
    if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon);
    if (node.kind === 'file' || node.kind === 'folder') {
      item.resourceUri = artifactUri(node.version.artifact.qualifiedName, node.path);
      item.iconPath = node.kind === 'folder' ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    }
    if (node.kind === 'file') item.command = { command: 'artifacts.openFile', title: 'Open', arguments: [node] };
    if (node.kind === 'loadMore') item.command = { command: 'artifacts.loadMore', title: 'Load more', arguments: [node] };
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const children = await this.model.children(node ?? this.model.root);
    if (!node) {
      // An empty registry shows the welcome view instead of an empty tree.
      const empty = children.length === 1 && children[0]!.kind === 'message' && children[0]!.severity === 'info';
      await vscode.commands.executeCommand('setContext', 'artifacts.registryEmpty', empty);
      return empty ? [] : [this.model.root];
    }
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  findVersion(qualifiedName: string): Promise<VersionNode | undefined> {
    return this.model.findVersion(qualifiedName);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
