/**
 * The diff view's host side: computes the manifest diff once, keeps it as a DiffTable, and answers
 * the page's window queries. Strict CSP with a nonce; the page loads only from the extension's
 * dist/media folder. Open panels are tracked by DiffPanels, which closes them with the extension.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DIFF_PANEL_TYPE, VIEWS } from '../commands/ids';
import { artifactUri } from '../fs/artifact-uri';
import type { ConfiguredRegistry } from '../services/configured-registry';
import { reportError } from '../ui/errors';
import { isPageMessage, type HostMessage, type PageMessage } from './diff-protocol';
import { DiffTable } from './diff-table';

export type DiffTarget = { version: string } | { folder: string };

/** `collection:vN` of a qualified version, or a folder's name. */
function shortName(t: DiffTarget): string {
  return 'version' in t ? t.version.slice(t.version.lastIndexOf('/') + 1) : path.basename(t.folder);
}

/** The diff panels open in this window: one place that closes them all with the extension. */
export class DiffPanels implements vscode.Disposable {
  private readonly open = new Set<DiffPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly registry: ConfiguredRegistry,
  ) {}

  /** Opens a panel comparing version `before` with a version or a folder. */
  show(before: string, after: DiffTarget): void {
    const panel = new DiffPanel(this.extensionUri, this.registry, before, after, () => this.open.delete(panel));
    this.open.add(panel);
  }

  get count(): number {
    return this.open.size;
  }

  dispose(): void {
    for (const panel of [...this.open]) panel.dispose();
    this.open.clear();
  }
}

class DiffPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private table: DiffTable | undefined;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    extensionUri: vscode.Uri,
    private readonly registry: ConfiguredRegistry,
    private readonly before: string,
    private readonly after: DiffTarget,
    private readonly onDispose: () => void,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel(DIFF_PANEL_TYPE, `${shortName({ version: before })} ↔ ${shortName(after)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.panel.webview.html = this.html(media);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isPageMessage(m)) void this.handle(m);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    void this.compute();
  }

  private post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async compute(): Promise<void> {
    try {
      const diff = await vscode.window.withProgress({ location: { viewId: VIEWS.registry }, title: 'Comparing…' }, () =>
        this.registry.current.diff(this.before, 'version' in this.after ? this.after.version : { folder: this.after.folder }),
      );
      this.table = new DiffTable(diff);
      await this.ready;
      this.post({ type: 'summary', summary: this.table.summary });
    } catch (e) {
      await this.ready;
      this.post({ type: 'error', message: (e as Error).message });
      await reportError(e, 'compare');
    }
  }

  private async handle(m: PageMessage): Promise<void> {
    if (m.type === 'ready') {
      this.markReady();
      if (this.table) this.post({ type: 'summary', summary: this.table.summary });
    } else if (m.type === 'query') {
      if (!this.table) return;
      const { seq, ...q } = m.query;
      this.post({ type: 'rows', seq, ...this.table.query(q) });
    } else if (m.type === 'openDiff') {
      await this.openFile(m.path).catch((e) => reportError(e, `open ${m.path}`));
    }
  }

  /**
   * A modified file opens in VS Code's diff editor; an added or removed one on its own. The sides are
   * the qualified versions (or the folder) the table was computed from: nothing is looked up again.
   */
  private async openFile(logicalPath: string): Promise<void> {
    const row = this.table?.row(logicalPath);
    if (!row || !this.table) return;
    const { before, after } = this.table.summary;
    const left = vscode.Uri.from(artifactUri(before, logicalPath));
    const right = 'version' in this.after ? vscode.Uri.from(artifactUri(after, logicalPath)) : vscode.Uri.file(path.join(after, ...logicalPath.split('/')));
    if (row.status === 'modified') {
      await vscode.commands.executeCommand('vscode.diff', left, right, `${logicalPath} (${shortName({ version: before })} ↔ ${shortName(this.after)})`, { preview: true });
    } else {
      await vscode.commands.executeCommand('vscode.open', row.status === 'added' ? right : left, { preview: true });
    }
  }

  private html(media: vscode.Uri): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'diff.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'diff.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Artifact diff</title>
</head>
<body>
<div id="app" data-before="${escapeHtml(this.before)}" data-after="${escapeHtml('version' in this.after ? this.after.version : this.after.folder)}"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
