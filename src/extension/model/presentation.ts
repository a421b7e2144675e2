/**
 * How a row of a tree view looks, as plain data: what every pure view model (registry, drafts,
 * verification) produces and views/tree-item.ts turns into a vscode.TreeItem.
 */
import type { URI } from 'vscode-uri';
import type { CommandId } from '../commands/ids';

export interface NodePresentation {
  /** Stable across refreshes: VS Code keeps selection and expansion by it. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id; 'file' and 'folder' take the file icon theme's icon of `resourceUri`. */
  icon?: string;
  /** The value `when` clauses match (`viewItem == …`); each model lists its values. */
  contextValue?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** A file on disk (`file:`) or in a version (`artifact:`). */
  resourceUri?: URI;
  /** Run on click, with the node as its argument. */
  command?: { id: CommandId; title: string };
}
