/** The Registry view: TreeModel nodes as TreeItems, re-rendered where the registry changed. */
import * as vscode from 'vscode';
import type { CollectionPath } from '../../registry/refs';
import { CONTEXT_KEYS } from '../commands/ids';
import { present, TreeModel, type LoadMoreNode, type TreeNode, type VersionNode } from '../model/tree-model';
import type { ConfiguredRegistry, ConfiguredRegistryChange } from '../services/configured-registry';
import { setContextKey } from '../ui/context-keys';
import { toTreeItem } from './tree-item';

export class RegistryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private model: TreeModel;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ConfiguredRegistry) {
    this.model = new TreeModel(registry.current);
    this.subscription = registry.onDidChange((change) => void this.onRegistryChange(change));
  }

  private onRegistryChange(change: ConfiguredRegistryChange): Promise<void> {
    return this.refresh(change.kind === 'collections' ? change.collections : undefined);
  }

  /**
   * Re-reads what the tree shows of the registry (everything, or only those collections) and
   * re-renders what changed. A registry named by new settings starts a new tree.
   */
  async refresh(collections?: readonly CollectionPath[]): Promise<void> {
    if (this.model.registry !== this.registry.current) {
      this.model = new TreeModel(this.registry.current);
      this.changed.fire(undefined);
      return;
    }
    const changed = await this.model.refresh(collections);
    if (changed === 'everything') this.changed.fire(undefined);
    else for (const node of changed) this.changed.fire(node);
  }

  /** Another page of a collection's versions: that collection's row re-renders, nothing is re-read. */
  loadMore(node: LoadMoreNode): void {
    this.changed.fire(this.model.loadMore(node));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(present(node), node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const children = await this.model.children(node ?? this.model.root);
    if (!node) {
      // An empty registry shows the welcome view instead of an empty tree.
      const empty = children.length === 1 && children[0]!.kind === 'message' && children[0]!.severity === 'info';
      await setContextKey(CONTEXT_KEYS.registryEmpty, empty);
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
