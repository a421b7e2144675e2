/**
 * The diff view page: a header with the summary, the version details (metadata), the changed files
 * (filter and sort controls, and a virtual table that renders only the rows in view, asking the host
 * for windows of rows as the user scrolls), and the content pane showing what changed inside the
 * selected file. The page draws itself when the host's `init` message brings its words (strings.ts):
 * it has none of its own.
 */
import { isInitMessage, type DiffRow, type DiffSummary, type HostMessage, type InitMessage, type RowQuery, type SortKey, type StatusFilter } from '../../src/extension/webview/diff-protocol';
import { ContentPane } from './content-pane';
import { button, h, loadedRows, vscode } from './dom';
import { renderMetadata } from './metadata-view';
import { rowAction as actionOf } from '../../src/extension/model/content-compare';
import { S, useStrings } from './strings';

const ROW_HEIGHT = 24;
const WINDOW = 200;

interface ViewState {
  filter: string;
  status: StatusFilter;
  sort: SortKey;
  descending: boolean;
  scrollTop: number;
  /** The file whose content diff was on show. */
  selected: string;
}

const app = document.getElementById('app')!;

/** Draws the page and answers the host's messages, with the words `init` brought. */
function start(init: InitMessage): void {
  const saved = (vscode.getState() as Partial<ViewState> | undefined) ?? {};
  const state: ViewState = { filter: '', status: 'all', sort: 'path', descending: false, scrollTop: 0, selected: '', ...saved };
  let total = 0;
  let seq = 0;
  let summary: DiffSummary | undefined;
  const windows = new Map<number, DiffRow[]>();
  /** The loaded rows by path: a click on a row finds its row here. */
  const rowsByPath = new Map<string, DiffRow>();
  const pending = new Set<number>();

  // ---- layout

  const option = (value: string, text: string) => h('option', { attrs: { value } }, text);
  const filterEl = h('input', { class: 'filter', attrs: { type: 'search', placeholder: S.filterPlaceholder, 'aria-label': S.filterPlaceholder } });
  const statusEl = h('select', { class: 'status', attrs: { 'aria-label': S.show } }, option('all', S.allChanges), option('added', S.added), option('removed', S.removed), option('modified', S.modified));
  const sortEl = h('select', { class: 'sort', attrs: { 'aria-label': S.sortBy } }, option('path', S.sortPath), option('size', S.sortSize));
  const directionEl = h('button', { class: 'direction', title: S.reverse, attrs: { type: 'button', 'aria-label': S.reverse } });
  const imagesEl = button('', () => pane.requestGrid(state.filter), { class: 'images', title: S.imagesButtonTitle });
  imagesEl.hidden = true;
  const countEl = h('span', { class: 'count' });
  const summaryEl = h('div', { class: 'summary', attrs: { role: 'status' } }, S.comparing);
  const beforeEl = h('span', { class: 'before' }, init.before);
  const afterEl = h('span', { class: 'after' }, init.after);
  const spacer = h('div', { class: 'spacer' });
  const rowsEl = h('div', { class: 'rows', attrs: { role: 'table', 'aria-label': S.changedFiles } });
  const viewport = h('div', { class: 'viewport', attrs: { tabindex: '0' } }, spacer, rowsEl);
  const metadataEl = h('section', { class: 'metadata' });
  metadataEl.hidden = true;
  const contentEl = h('section', { class: 'content' });
  contentEl.hidden = true;
  const split = h(
    'div',
    { class: 'split' },
    h(
      'section',
      { class: 'files' },
      h('div', { class: 'controls' }, filterEl, statusEl, sortEl, directionEl, imagesEl, countEl),
      // l10n-ignore: CSS classes
      h('div', { class: 'columns row' }, h('span', { class: 'badge' }), h('span', { class: 'path' }, S.path), h('span', { class: 'size' }, S.before), h('span', { class: 'size' }, S.after), h('span', { class: 'size' }, S.change)),
      viewport,
    ),
    contentEl,
  );
  app.replaceChildren(h('header', null, h('div', { class: 'title' }, beforeEl, ' ', h('span', { class: 'arrow' }, '→'), ' ', afterEl), summaryEl), metadataEl, split);

  const pane = new ContentPane(contentEl, (open, path) => {
    app.classList.toggle('has-content', open);
    state.selected = path;
    save();
    render();
  });

  filterEl.value = state.filter;
  statusEl.value = state.status;
  sortEl.value = state.sort;
  directionEl.textContent = state.descending ? '↓' : '↑';

  // ---- the changed files

  function save(): void {
    vscode.setState(state);
  }

  function reset(): void {
    windows.clear();
    rowsByPath.clear();
    pending.clear();
    seq += 1;
    viewport.scrollTop = 0;
    state.scrollTop = 0;
    save();
    request(0);
  }

  function request(windowIndex: number): void {
    if (windows.has(windowIndex) || pending.has(windowIndex)) return;
    pending.add(windowIndex);
    const query: RowQuery = { filter: state.filter, status: state.status, sort: state.sort, descending: state.descending, offset: windowIndex * WINDOW, limit: WINDOW, seq };
    vscode.postMessage({ type: 'query', query });
  }

  const BADGES: Record<DiffRow['status'], string> = { added: 'A', removed: 'D', modified: 'M' };

  function rowElement(row: DiffRow, index: number): HTMLElement {
    const delta = (row.sizeAfter ?? 0) - (row.sizeBefore ?? 0);
    const size = (n: number | null) => (n === null ? '' : S.bytes(n));
    const el = h(
      'div',
      {
        class: `row ${row.status}${row.isReference ? ' reference' : ''}${row.path === pane.selected ? ' selected' : ''}`,
        title: S.rowTitle(row.path, actionOf(row)),
        data: { path: row.path, kind: row.kind ?? '' },
        attrs: { role: 'row' },
      },
      ...(
        [
          ['badge', BADGES[row.status]],
          ['path', row.path],
          ['size', size(row.sizeBefore)],
          ['size', size(row.sizeAfter)],
          // l10n-ignore: CSS classes
          ['size delta', S.bytesChange(delta)],
        ] as const
      ).map(([cls, text]) => h('span', { class: cls, attrs: { role: 'cell' } }, text)),
    );
    el.style.top = `${index * ROW_HEIGHT}px`;
    return el;
  }

  /** Draws the rows that intersect the viewport (plus a small margin); asks for missing windows. */
  function render(): void {
    spacer.style.height = `${total * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 10);
    const last = Math.min(total, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + 10);
    rowsEl.replaceChildren(loadedRows(windows, WINDOW, first, last, request, rowElement));
    countEl.textContent = S.rowCount(total);
  }

  function showSummary(s: DiffSummary): void {
    summary = s;
    summaryEl.textContent = S.summary(s);
    beforeEl.textContent = s.before;
    afterEl.textContent = s.after;
    imagesEl.textContent = S.imagesButton(s.images);
    imagesEl.hidden = s.images === 0;
  }

  window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    const m = event.data;
    switch (m.type) {
      case 'init':
        return; // taken up once, at the start
      case 'summary': {
        const first = summary === undefined;
        showSummary(m.summary);
        reset();
        viewport.scrollTop = saved.scrollTop ?? 0;
        if (!first) return;
        // Back to what was on show; a folder of nothing but images opens on its grid.
        const changed = m.summary.added + m.summary.removed + m.summary.modified;
        if (state.selected) pane.select(state.selected);
        else if (m.summary.images > 0 && m.summary.images === changed) pane.requestGrid(state.filter);
        return;
      }
      case 'rows': {
        if (m.seq !== seq) return; // an answer to an older filter or sort
        const w = Math.floor(m.offset / WINDOW);
        pending.delete(w);
        windows.set(w, m.rows);
        for (const row of m.rows) rowsByPath.set(row.path, row);
        total = m.total;
        render();
        return;
      }
      case 'error':
        summaryEl.textContent = S.couldNotCompare(m.message);
        return;
      case 'metadata':
        renderMetadata(metadataEl, m.diff);
        return;
      case 'contentStarted':
        pane.started(m);
        return;
      case 'content':
        pane.show(m);
        return;
      case 'contentRows':
        pane.rows(m);
        return;
      case 'contentError':
      case 'contentCancelled':
        pane.failed(m);
        return;
    }
  });

  let filterTimer: number | undefined;
  filterEl.addEventListener('input', () => {
    window.clearTimeout(filterTimer);
    filterTimer = window.setTimeout(() => {
      state.filter = filterEl.value;
      reset();
    }, 120);
  });
  statusEl.addEventListener('change', () => {
    state.status = statusEl.value as StatusFilter;
    reset();
  });
  sortEl.addEventListener('change', () => {
    state.sort = sortEl.value as SortKey;
    reset();
  });
  directionEl.addEventListener('click', () => {
    state.descending = !state.descending;
    directionEl.textContent = state.descending ? '↓' : '↑';
    reset();
  });
  viewport.addEventListener('scroll', () => {
    state.scrollTop = viewport.scrollTop;
    save();
    window.requestAnimationFrame(render);
  });
  window.addEventListener('resize', () => render());
  rowsEl.addEventListener('click', (event) => {
    const path = (event.target as HTMLElement).closest<HTMLElement>('.row')?.dataset.path;
    const row = path === undefined ? undefined : rowsByPath.get(path);
    if (row && actionOf(row) !== 'none') pane.select(row.path);
  });
}

// The first message from the host brings every word the page shows; nothing is drawn before it.
let started = false;
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (started || !isInitMessage(event.data)) return;
  started = true;
  useStrings(event.data);
  start(event.data);
});

vscode.postMessage({ type: 'ready' });
