/**
 * The diff view's host side: computes the manifest diff once, keeps it as a DiffTable, and answers
 * the page's window queries; sends the version-metadata diff; hands content diffs (what changed
 * inside a file) to a ContentSession, which runs them in the content diff worker. Strict CSP with a
 * nonce; the page loads its script and style only from the extension's dist/media folder, and images
 * only from the panel's own temp folder of copies. Open panels are tracked by DiffPanels, which
 * closes them with the extension.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { diffVersionMetadata, type VersionMetadata } from '../../content/metadata';
import type { Artifact } from '../../core/artifact';
import { NotFoundError } from '../../core/errors';
import type { Registry } from '../../registry/registry';
import { DIFF_PANEL_TYPE, SETTINGS, VIEWS } from '../commands/ids';
import { CompareFiles } from '../content/compare-files';
import { ComparedSides, type CompareTarget } from '../content/compared-sides';
import { ContentSession, type ContentWorker } from '../content/content-session';
import { artifactUri } from '../fs/artifact-uri';
import { compareLimit } from '../model/content-compare';
import type { ConfiguredRegistry } from '../services/configured-registry';
import { reportError } from '../ui/errors';
import { output } from '../ui/output';
import { isPageMessage, type HostMessage, type PageMessage } from './diff-protocol';
import { initMessage } from './diff-strings';
import { pageHtml } from './page-html';
import { PanelSet } from './panel-set';
import { DiffTable } from './diff-table';

export type DiffTarget = CompareTarget;

/** `collection:vN` of a qualified version, or a folder's name. */
function shortName(t: DiffTarget): string {
  return 'version' in t ? t.version.slice(t.version.lastIndexOf('/') + 1) : path.basename(t.folder);
}

/** The configured byte limit of content diffs. */
function configuredLimit(): number {
  return compareLimit(vscode.workspace.getConfiguration().get(SETTINGS.compareMaxBytes));
}

function versionMetadata(a: Artifact): VersionMetadata {
  return { metadata: a.metadata, description: a.description, aliases: a.aliases, tags: a.tags, ttl: a.ttlSetting };
}

/** The diff panels open in this window. */
export class DiffPanels implements vscode.Disposable {
  private readonly panels = new PanelSet<DiffPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly registry: ConfiguredRegistry,
    /** Runs content diffs off the extension host's thread; shared by the panels, disposed with the extension. */
    private readonly worker: ContentWorker,
  ) {}

  /**
   * Opens a panel comparing version `before` with a version or a folder, both in the registry row
   * `registryKey` (undefined: the default registry).
   */
  async show(before: string, after: DiffTarget, registryKey?: string): Promise<void> {
    const registry = await this.registry.registryOf(registryKey);
    if (!registry) throw new NotFoundError(vscode.l10n.t('The registry of {0} is no longer in the Registry view', before));
    this.panels.add((onDispose) => new DiffPanel(this.extensionUri, registry, registryKey, this.worker, before, after, onDispose));
  }

  get count(): number {
    return this.panels.count;
  }

  dispose(): void {
    this.panels.dispose();
  }
}

class DiffPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private table: DiffTable | undefined;
  private content: ContentSession | undefined;
  private readonly files = new CompareFiles();
  private readonly sides: ComparedSides;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    extensionUri: vscode.Uri,
    /** The registry both versions are in (a row of the Registry view). */
    private readonly registry: Registry,
    private readonly registryKey: string | undefined,
    private readonly worker: ContentWorker,
    private readonly before: string,
    private readonly after: DiffTarget,
    private readonly onDispose: () => void,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.sides = new ComparedSides(registry, before, after, this.files);
    this.panel = vscode.window.createWebviewPanel(DIFF_PANEL_TYPE, `${shortName({ version: before })} ↔ ${shortName(after)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      // The page's bundle, and the copies of images this panel makes for it: nothing else.
      localResourceRoots: [media, vscode.Uri.file(this.files.served)],
      retainContextWhenHidden: true,
    });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.panel.webview.html = this.html(media);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isPageMessage(m)) void this.handle(m);
        else output.warn(vscode.l10n.t('The diff page sent a message the host does not know: {0}', JSON.stringify(m)?.slice(0, 200) ?? String(m)));
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    void this.compute();
    void this.computeMetadata();
  }

  private post(message: HostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async compute(): Promise<void> {
    try {
      const diff = await vscode.window.withProgress({ location: { viewId: VIEWS.registry }, title: vscode.l10n.t('Comparing…') }, () =>
        this.registry.diff(this.before, 'version' in this.after ? this.after.version : { folder: this.after.folder }),
      );
      this.table = new DiffTable(diff, { afterIsFolder: 'folder' in this.after });
      this.content = new ContentSession({
        worker: this.worker,
        sides: this.sides,
        files: this.files,
        table: this.table,
        limitBytes: configuredLimit,
        toUri: (file) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(),
        post: (m) => this.post(m),
        openTextDiff: (p) => this.openFile(p),
        logError: (what, e) => output.error(`${what}: ${(e as Error)?.stack ?? String(e)}`),
      });
      if (this.disposed) this.content.dispose();
      await this.ready;
      this.post({ type: 'summary', summary: this.table.summary });
    } catch (e) {
      await this.ready;
      this.post({ type: 'error', message: (e as Error).message });
      await reportError(e, (reason) => vscode.l10n.t('Could not compare: {0}', reason));
    }
  }

  /** What changed in the editable data of the two versions (nothing to say for a folder). */
  private async computeMetadata(): Promise<void> {
    try {
      let message: HostMessage = { type: 'metadata', diff: null };
      if ('version' in this.after) {
        const registry = this.registry;
        const [a, b] = await Promise.all([registry.get(this.before, { manifest: false }), registry.get(this.after.version, { manifest: false })]);
        message = { type: 'metadata', diff: await diffVersionMetadata(versionMetadata(a), versionMetadata(b)) };
      }
      await this.ready;
      this.post(message);
    } catch (e) {
      // The file list reports a registry that cannot be read; this only goes to the log.
      output.warn(vscode.l10n.t('Could not compare the metadata of {0}: {1}', this.before, (e as Error).message));
    }
  }

  private async handle(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        // Every word the page shows comes first, in the user's language, built now (not at load).
        this.post(initMessage(this.before, 'version' in this.after ? this.after.version : this.after.folder));
        this.markReady();
        if (this.table) this.post({ type: 'summary', summary: this.table.summary });
        return;
      case 'query': {
        if (!this.table) return;
        const { seq, ...q } = m.query;
        this.post({ type: 'rows', seq, ...this.table.query(q) });
        return;
      }
      case 'openDiff':
        await this.openFile(m.path).catch((e) => reportError(e, (reason) => vscode.l10n.t('Could not open {0}: {1}', m.path, reason)));
        return;
      case 'select':
        await this.content?.select(m.path, m.key);
        return;
      case 'contentRows':
        await this.content?.rows(m.query);
        return;
      case 'imageGrid':
        await this.content?.imageGrid(m.filter);
        return;
      case 'cancelContent':
        this.content?.cancel();
        return;
      case 'closeContent':
        this.content?.close();
        return;
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
    const left = vscode.Uri.from(artifactUri(before, logicalPath, this.registryKey));
    const right = 'version' in this.after ? vscode.Uri.from(artifactUri(after, logicalPath, this.registryKey)) : vscode.Uri.file(path.join(after, ...logicalPath.split('/')));
    if (row.status === 'modified') {
      await vscode.commands.executeCommand('vscode.diff', left, right, `${logicalPath} (${shortName({ version: before })} ↔ ${shortName(this.after)})`, { preview: true });
    } else {
      await vscode.commands.executeCommand('vscode.open', row.status === 'added' ? right : left, { preview: true });
    }
  }

  private html(media: vscode.Uri): string {
    // images: the copies this panel makes for the page (its own localResourceRoots), nothing else.
    return pageHtml(this.panel.webview, media, { page: 'diff', title: vscode.l10n.t('Compare Versions'), images: true });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.content?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    void this.files.dispose().catch((e) => output.warn(`remove ${this.files.root}: ${(e as Error).message}`));
    this.onDispose();
  }
}
