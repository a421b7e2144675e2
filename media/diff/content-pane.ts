/**
 * The content pane under the file list: what changed inside the selected file (or the grid of
 * changed images), with its own header (what is shown, Open Text Diff, Cancel, Close). It shows the
 * answers of the newest request only: each carries the generation the host gave it.
 */
import type { HostMessage } from '../../src/extension/webview/diff-protocol';
import { button, h, vscode } from './dom';
import { renderImage, renderImageGrid } from './image-view';
import { S } from './strings';
import { renderStructured } from './structured-view';
import { renderTable, type MountedTable } from './table-view';
import { renderWeights } from './weights-view';

type Msg<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;

/** Files VS Code's text diff editor shows well besides plain text. */
const TEXT_LIKE = /\.(csv|tsv|tab|jsonl|ndjson|json|ya?ml)$/i;

export class ContentPane {
  private generation = -1;
  private path = '';
  private table: MountedTable | null = null;
  private gridFilter = '';
  private readonly title = h('span', { class: 'content-title' });
  private readonly actions = h('span', { class: 'content-actions' });
  private readonly body = h('div', { class: 'content-body' });

  constructor(
    private readonly container: HTMLElement,
    /** Called when the pane opens or closes (the page resizes the file list). */
    private readonly onToggle: (open: boolean, path: string) => void,
  ) {
    container.replaceChildren(h('div', { class: 'content-header' }, this.title, this.actions), this.body);
  }

  get selected(): string {
    return this.path;
  }

  /** Asks the host for what changed inside a file. */
  select(path: string): void {
    vscode.postMessage({ type: 'select', path });
  }

  /** Asks the host for the grid of changed images whose path contains `filter`. */
  requestGrid(filter: string): void {
    this.gridFilter = filter;
    vscode.postMessage({ type: 'imageGrid', filter });
  }

  private open(path: string): void {
    this.path = path;
    this.title.textContent = path || S.gridTitle('');
    this.container.hidden = false;
    this.onToggle(true, path);
  }

  private setActions(...buttons: HTMLElement[]): void {
    // l10n-ignore: CSS classes
    const close = button(S.close, () => this.close(), { class: 'secondary close' });
    this.actions.replaceChildren(...buttons, close);
  }

  private textDiffButton(): HTMLElement[] {
    return this.path && TEXT_LIKE.test(this.path) ? [button(S.openTextDiff, () => vscode.postMessage({ type: 'openDiff', path: this.path }), { title: S.openTextDiffTitle, class: 'open-text-diff' })] : [];
  }

  started(m: Msg<'contentStarted'>): void {
    this.generation = m.generation;
    this.table = null;
    this.open(m.path);
    // l10n-ignore: CSS classes
    this.setActions(button(S.cancel, () => vscode.postMessage({ type: 'cancelContent' }), { class: 'secondary cancel' }));
    this.body.replaceChildren(h('p', { class: 'working', attrs: { role: 'status' } }, S.working(m.path)));
  }

  show(m: Msg<'content'>): void {
    if (m.generation !== this.generation) return;
    const v = m.view;
    this.setActions(...this.textDiffButton());
    this.body.dataset.kind = v.kind;
    switch (v.kind) {
      case 'table':
        this.table = renderTable(this.body, v.summary, v.keyChoices, { path: m.path, generation: m.generation, wholeRowAsked: v.wholeRowAsked });
        return;
      case 'structured':
        renderStructured(this.body, v.diff);
        return;
      case 'image':
        renderImage(this.body, v);
        return;
      case 'imageFolder':
        this.title.textContent = S.gridTitle(v.filter);
        renderImageGrid(this.body, v);
        return;
      case 'weights':
        renderWeights(this.body, v.diff);
        return;
      case 'text':
        this.body.replaceChildren(h('p', null, S.textOpened), h('p', { class: 'muted' }, S.sizes(v.before?.size ?? null, v.after?.size ?? null)));
        this.setActions(button(S.openTextDiff, () => vscode.postMessage({ type: 'openDiff', path: m.path }), { class: 'open-text-diff' }));
        return;
      case 'binary':
        this.body.replaceChildren(h('p', null, S.binary), h('p', { class: 'muted' }, S.sizes(v.before?.size ?? null, v.after?.size ?? null)));
        return;
    }
  }

  rows(m: Msg<'contentRows'>): void {
    if (m.generation === this.generation) this.table?.onRows(m.seq, m.page);
  }

  failed(m: Msg<'contentError'> | Msg<'contentCancelled'>): void {
    if (m.generation !== this.generation) return;
    const retry = (): void => (m.path ? this.select(m.path) : this.requestGrid(this.gridFilter));
    this.setActions(button(S.retry, retry, { class: 'secondary' }), ...this.textDiffButton());
    this.body.replaceChildren(h('p', { class: m.type === 'contentError' ? 'error' : 'muted', attrs: { role: 'status' } }, m.type === 'contentError' ? S.failed(m.message) : S.cancelled));
  }

  close(): void {
    this.generation = -1;
    this.table = null;
    this.path = '';
    this.container.hidden = true;
    this.body.replaceChildren();
    vscode.postMessage({ type: 'closeContent' });
    this.onToggle(false, '');
  }
}
