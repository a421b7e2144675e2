/** The panels of one kind open in this window: one place that closes them all with the extension. */
import type * as vscode from 'vscode';

export class PanelSet<T extends vscode.Disposable> implements vscode.Disposable {
  private readonly open = new Set<T>();

  /** Opens a panel; `make` gets the callback the panel calls when it is closed. */
  add(make: (onDispose: () => void) => T): T {
    const panel: T = make(() => this.open.delete(panel));
    this.open.add(panel);
    return panel;
  }

  get count(): number {
    return this.open.size;
  }

  dispose(): void {
    for (const panel of [...this.open]) panel.dispose();
    this.open.clear();
  }
}
