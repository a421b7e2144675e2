/** A NodePresentation as a vscode.TreeItem: the one place the views map plain rows onto VS Code. */
import * as vscode from 'vscode';
import type { NodePresentation } from '../model/presentation';

const COLLAPSE: Record<NodePresentation['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export function toTreeItem(p: NodePresentation, node: unknown): vscode.TreeItem {
  const item = new vscode.TreeItem(p.label, COLLAPSE[p.collapsible]);
  item.id = p.id;
  item.description = p.description;
  item.tooltip = p.tooltip;
  item.contextValue = p.contextValue;
  if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon);
  if (p.resourceUri) item.resourceUri = vscode.Uri.from(p.resourceUri);
  if (p.command) item.command = { command: p.command.id, title: p.command.title, arguments: [node] };
  return item;
}
