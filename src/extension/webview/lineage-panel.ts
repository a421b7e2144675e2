/**
 * The lineage view's host side: builds the lineage graph of a version with Registry.lineage (again
 * when the page asks for another depth) and sends it whole; the page lays it out and draws it.
 * Clicking a version in the page reveals it in the Registry view. Strict CSP with a nonce; the page
 * loads its script and style only from the extension's dist/media folder. Open panels are tracked by
 * LineagePanels, which closes them with the extension.
 */
import * as vscode from 'vscode';
import { pageHtml, pageLocale } from './page-html';
import { PanelSet } from './panel-set';
import { DEFAULT_LINEAGE_DEPTH, MAX_LINEAGE_DEPTH } from '../../registry/lineage-graph';
import type { Registry } from '../../registry/registry';
import { LINEAGE_PANEL_TYPE } from '../commands/ids';
import { reportError } from '../ui/errors';
import { output } from '../ui/output';
import { isLineagePageMessage, type LineageHostMessage, type LineagePageMessage } from './lineage-protocol';
import { lineageStrings } from './lineage-strings';

/** Shows a version (`entity/project/collection:vN`) of a registry row (undefined: the default one) in the Registry view. */
export type RevealVersion = (ref: string, registryKey: string | undefined) => Promise<void>;

/** The lineage panels open in this window. */
export class LineagePanels implements vscode.Disposable {
  private readonly panels = new PanelSet<LineagePanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly reveal: RevealVersion,
  ) {}

  /** Opens the lineage of `ref` (a qualified version) in `registry`, a registry row's (`registryKey`) or the default one. */
  show(registry: Registry, ref: string, registryKey?: string): void {
    this.panels.add((onDispose) => new LineagePanel(this.extensionUri, registry, ref, registryKey, this.reveal, onDispose));
  }

  get count(): number {
    return this.panels.count;
  }

  dispose(): void {
    this.panels.dispose();
  }
}

class LineagePanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private depth = DEFAULT_LINEAGE_DEPTH;

  constructor(
    extensionUri: vscode.Uri,
    private readonly registry: Registry,
    private readonly ref: string,
    private readonly registryKey: string | undefined,
    private readonly reveal: RevealVersion,
    private readonly onDispose: () => void,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = vscode.window.createWebviewPanel(LINEAGE_PANEL_TYPE, vscode.l10n.t('Lineage: {0}', ref.slice(ref.lastIndexOf('/') + 1)), vscode.ViewColumn.Active, {
      enableScripts: true,
      // The page's bundle and nothing else.
      localResourceRoots: [media],
      retainContextWhenHidden: true,
    });
    this.panel.webview.html = this.html(media);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isLineagePageMessage(m)) void this.handle(m);
        else output.warn(vscode.l10n.t('The lineage page sent a message the host does not know: {0}', JSON.stringify(m)?.slice(0, 200) ?? String(m)));
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: LineageHostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async load(seq: number): Promise<void> {
    try {
      const graph = await this.registry.lineage(this.ref, { depth: this.depth });
      this.post({ type: 'graph', seq, depth: this.depth, graph });
    } catch (e) {
      this.post({ type: 'error', seq, message: (e as Error).message });
      await reportError(e, (reason) => vscode.l10n.t('Could not show the lineage: {0}', reason));
    }
  }

  private async handle(m: LineagePageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post({ type: 'init', locale: pageLocale(), version: this.ref, depth: this.depth, maxDepth: MAX_LINEAGE_DEPTH, strings: lineageStrings() });
        await this.load(0);
        return;
      case 'setDepth':
        this.depth = Math.min(MAX_LINEAGE_DEPTH, m.depth);
        await this.load(m.seq);
        return;
      case 'revealVersion':
        await this.reveal(m.ref, this.registryKey).catch((e) => reportError(e, (reason) => vscode.l10n.t('Could not show {0} in the Registry view: {1}', m.ref, reason)));
        return;
      case 'rendered':
        output.info(vscode.l10n.t('Lineage of {0}: {1} nodes and {2} edges laid out in {3} ms and drawn in {4} ms', this.ref, m.nodes, m.edges, Math.round(m.layoutMs), Math.round(m.renderMs)));
        return;
    }
  }

  private html(media: vscode.Uri): string {
    return pageHtml(this.panel.webview, media, { page: 'lineage', title: vscode.l10n.t('Lineage') });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}
