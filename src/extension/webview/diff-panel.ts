/**
 * The diff view's host side: computes the manifest diff once, keeps it as a DiffTable, and answers
 * the page's window queries. Strict CSP with a nonce; the page loads only from the extension's
 * dist/media folder.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryService } from '../services/registry-service';
import { artifactUri } from '../fs/artifact-uri';
import { reportError } from '../ui';
import { isPageMessage, type HostMessage, type PageMessage } from './diff-protocol';
import { DiffTable } from './diff-table';

export type DiffTarget = { version: string } | { folder: string };

function label(t: DiffTarget): string {
  return 'version' in t ? t.version.slice(t.version.lastIndexOf('/') + 1) : path.basename(t.folder);
}

export class DiffPanel implements vscode.Disposable {
  static readonly viewType = 'artifacts.diff';
  private readonly panel: vscode.WebviewPanel;
  private table: DiffTable | undefined;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly disposables: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, service: RegistryService, before: string, after: DiffTarget): DiffPanel {
    return new DiffPanel(extensionUri, service, before, after);
  }

  private constructor(
    extensionUri: vscode.Uri,
    private readonly service: RegistryService,
    private readonly before: string,
    private readonly after: DiffTarget,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel(DiffPanel.viewType, `${label({ version: before })} ↔ ${label(after)}`, vscode.ViewColumn.Active, {
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
    void this.panel.webview.postMessage(message);
  }

  private async compute(): Promise<void> {
    try {
      const diff = await vscode.window.withProgress({ location: { viewId: 'artifacts.registry' }, title: 'Comparing…' }, () =>
        this.service.registry.diff(this.before, 'version' in this.after ? this.after.version : { folder: this.after.folder }),
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

  /** A modified file opens in VS Code's diff editor; an added or removed one on its own. */
  private async openFile(logicalPath: string): Promise<void> {
    const row = this.table?.rows.find((r) => r.path === logicalPath);
    if (!row) return;
    const left = artifactUri(await this.qualified(this.before), logicalPath);
    const right = 'version' in this.after ? artifactUri(await this.qualified(this.after.version), logicalPath) : vscode.Uri.file(path.join(this.after.folder, ...logicalPath.split('/')));
    if (row.status === 'modified') {
      await vscode.commands.executeCommand('vscode.diff', left, right, `${logicalPath} (${label({ version: this.before })} ↔ ${label(this.after)})`, { preview: true });
    } else {
      await vscode.commands.executeCommand('vscode.open', row.status === 'added' ? right : left, { preview: true });
    }
  }

  private async qualified(ref: string): Promise<string> {
    return (await this.service.registry.get(ref, { manifest: false })).qualifiedName;
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
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
