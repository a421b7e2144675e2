/**
 * The Registry view: TreeModel nodes as TreeItems, re-rendered where the registry changed. With
 * the artifacts.registries setting set, each registry is a row of its own (one TreeModel each), side by side
 * with the default one; a row that cannot be read (wrong credentials, a server that is down, a
 * setting that is wrong) says so on itself, with Retry and Set Credentials… beside it.
 */
import * as vscode from 'vscode';
import type { Registry } from '../../registry/registry';
import type { CollectionPath } from '../../registry/refs';
import { CONTEXT_KEYS } from '../commands/ids';
import { present, TreeModel, type LoadMoreNode, type RegistryNode, type TreeNode, type VersionNode } from '../model/tree-model';
import type { ConfiguredRegistry, ConfiguredRegistryChange, RegistryRow } from '../services/configured-registry';
import { setContextKey } from '../ui/context-keys';
import { toTreeItem } from './tree-item';

/** A row of the view: its model, or (for a setting that is wrong) just its node. */
interface Row {
  row: RegistryRow;
  model?: TreeModel;
  node: RegistryNode;
}

export class RegistryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private model: TreeModel;
  private rows: Promise<Row[]> | undefined;
  /** The settings' rows `rows` was made from (a new list means new settings). */
  private rowsFrom: Promise<RegistryRow[]> | undefined;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ConfiguredRegistry) {
    this.model = this.modelFor(registry.current, undefined);
    this.subscription = registry.onDidChange((change) => void this.onRegistryChange(change));
  }

  private modelFor(registry: Registry, row: RegistryRow | undefined): TreeModel {
    return new TreeModel(registry, { key: row?.key, name: row?.name, store: row?.store ?? (registry.store.local ? 'folder' : /^azure:/.test(registry.location) ? 'azure' : 's3'), onRootChanged: (root) => this.changed.fire(root) });
  }

  /** The rows of the settings, with a model each (the default registry's is `this.model`). */
  private allRows(): Promise<Row[]> {
    const source = this.registry.rows();
    if (source !== this.rowsFrom) this.rows = undefined;
    this.rowsFrom = source;
    this.rows ??= source.then((rows) =>
      rows.map((row): Row => {
        if (row.key === undefined) return { row, model: this.model, node: this.model.root };
        if (!row.registry) return { row, node: { kind: 'registry', id: `registry:${row.key}`, location: row.location, name: row.name, store: row.store, error: row.problem } };
        const model = this.modelFor(row.registry, row);
        return { row, model, node: model.root };
      }),
    );
    return this.rows;
  }

  private onRegistryChange(change: ConfiguredRegistryChange): Promise<void> {
    return this.refresh(change.kind === 'collections' ? change.collections : undefined);
  }

  /**
   * Re-reads what the tree shows of the registries (everything, or only those collections) and
   * re-renders what changed. New settings (or credentials) start a new tree.
   */
  async refresh(collections?: readonly CollectionPath[]): Promise<void> {
    if (this.model.registry !== this.registry.current || this.registry.rows() !== this.rowsFrom) {
      if (this.model.registry !== this.registry.current) this.model = this.modelFor(this.registry.current, undefined);
      this.rows = undefined;
      this.rowsFrom = undefined;
      this.changed.fire(undefined);
      return;
    }
    for (const { model } of await this.allRows()) {
      if (!model) continue;
      const changed = await model.refresh(collections);
      if (changed === 'everything') this.changed.fire(undefined);
      else for (const node of changed) this.changed.fire(node);
    }
  }

  /** Reads one registry row again from scratch (after a failure: Retry). */
  async retry(node: RegistryNode): Promise<void> {
    const row = (await this.allRows()).find((r) => r.node === node || r.node.id === node.id);
    if (!row?.model) {
      this.rows = undefined;
      this.changed.fire(undefined);
      return;
    }
    await row.model.refresh();
    this.changed.fire(undefined);
  }

  /** The model a node belongs to (through its registry row). */
  private async modelOf(node: TreeNode): Promise<TreeModel | undefined> {
    let root: TreeNode = node;
    while (root.parent) root = root.parent;
    return (await this.allRows()).find((r) => r.node === root)?.model;
  }

  /** The registry row of a node: its key (undefined: the default registry) and registry. */
  async registryOfNode(node: TreeNode): Promise<{ key: string | undefined; name?: string; location: string; registry?: Registry }> {
    let root: TreeNode = node;
    while (root.parent) root = root.parent;
    const row = (await this.allRows()).find((r) => r.node === root);
    return { key: row?.row.key, name: row?.row.name, location: row?.row.location ?? this.registry.current.location, registry: row?.model?.registry };
  }

  /** Every row of the view (for pickers: where to push a version). */
  async registryRows(): Promise<RegistryRow[]> {
    return (await this.allRows()).map((r) => r.row);
  }

  /** Another page of a collection's versions: that collection's row re-renders, nothing is re-read. */
  loadMore(node: LoadMoreNode): void {
    void this.modelOf(node).then((model) => model && this.changed.fire(model.loadMore(node)));
  }

  /** Re-reads some collections of one registry row (after this window changed them there). */
  async refreshIn(key: string | undefined, collections: readonly CollectionPath[]): Promise<void> {
    const row = (await this.allRows()).find((r) => r.row.key === key);
    if (!row?.model) return;
    const changed = await row.model.refresh(collections);
    if (changed === 'everything') this.changed.fire(undefined);
    else for (const node of changed) this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(present(node), node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const rows = await this.allRows();
      if (rows.length > 1) {
        await setContextKey(CONTEXT_KEYS.registryEmpty, false);
        return rows.map((r) => r.node);
      }
      const children = await this.model.children(this.model.root);
      // An empty registry shows the welcome view instead of an empty tree.
      const empty = children.length === 1 && children[0]!.kind === 'message' && children[0]!.severity === 'info';
      await setContextKey(CONTEXT_KEYS.registryEmpty, empty);
      return empty ? [] : [this.model.root];
    }
    const model = await this.modelOf(node);
    if (!model) {
      const root = node as RegistryNode;
      return root.kind === 'registry' && root.error ? [{ kind: 'message', id: `${root.id}/error`, text: root.error, severity: 'error', parent: root }] : [];
    }
    return model.children(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /** A version of the default registry (to reveal it after a log). */
  findVersion(qualifiedName: string): Promise<VersionNode | undefined> {
    return this.model.findVersion(qualifiedName);
  }

  /** A version of some registry row (undefined key: the default one). */
  async findVersionIn(key: string | undefined, qualifiedName: string): Promise<VersionNode | undefined> {
    const row = (await this.allRows()).find((r) => r.row.key === key);
    return row?.model?.findVersion(qualifiedName);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
