/**
 * The diff view page: a header with the summary, filter and sort controls, and a virtual table that
 * renders only the rows in view, asking the host for windows of rows as the user scrolls.
 */
import { formatBytes, formatBytesChange } from '../../src/core/units';
import type { DiffRow, DiffSummary, HostMessage, PageMessage, RowQuery, SortKey, StatusFilter } from '../../src/extension/webview/diff-protocol';

declare function acquireVsCodeApi(): { postMessage(m: PageMessage): void; getState(): unknown; setState(s: unknown): void };

const vscode = acquireVsCodeApi();
const ROW_HEIGHT = 24;
const WINDOW = 200;

interface ViewState {
  filter: string;
  status: StatusFilter;
  sort: SortKey;
  descending: boolean;
  scrollTop: number;
}

const saved = (vscode.getState() as ViewState | undefined) ?? { filter: '', status: 'all', sort: 'path', descending: false, scrollTop: 0 };
const state: ViewState = { ...saved };
let total = 0;
let seq = 0;
const windows = new Map<number, DiffRow[]>();
/** The loaded rows by path: a click on a row finds its row here. */
const rowsByPath = new Map<string, DiffRow>();
const pending = new Set<number>();

const app = document.getElementById('app')!;
app.innerHTML = `
  <header>
    <div class="title"><span class="before"></span> <span class="arrow">→</span> <span class="after"></span></div>
    <div class="summary" role="status">Comparing…</div>
    <div class="controls">
      <input class="filter" type="search" placeholder="Filter paths" aria-label="Filter paths">
      <select class="status" aria-label="Show">
        <option value="all">All changes</option><option value="added">Added</option><option value="removed">Removed</option><option value="modified">Modified</option>
      </select>
      <select class="sort" aria-label="Sort by"><option value="path">Sort by path</option><option value="size">Sort by size</option></select>
      <button class="direction" title="Reverse order" aria-label="Reverse order">↑</button>
      <span class="count"></span>
    </div>
    <div class="columns row"><span class="badge"></span><span class="path">Path</span><span class="size">Before</span><span class="size">After</span><span class="size">Change</span></div>
  </header>
  <div class="viewport" tabindex="0"><div class="spacer"></div><div class="rows" role="table" aria-label="Changed files"></div></div>`;

const $ = <T extends HTMLElement>(sel: string) => app.querySelector(sel) as T;
const viewport = $<HTMLDivElement>('.viewport');
const spacer = $<HTMLDivElement>('.spacer');
const rowsEl = $<HTMLDivElement>('.rows');
const filterEl = $<HTMLInputElement>('.filter');
const statusEl = $<HTMLSelectElement>('.status');
const sortEl = $<HTMLSelectElement>('.sort');
const directionEl = $<HTMLButtonElement>('.direction');
$('.before').textContent = app.dataset.before ?? '';
$('.after').textContent = app.dataset.after ?? '';
filterEl.value = state.filter;
statusEl.value = state.status;
sortEl.value = state.sort;
directionEl.textContent = state.descending ? '↓' : '↑';

function formatSize(n: number | null): string {
  return n === null ? '' : formatBytes(n);
}

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
  const el = document.createElement('div');
  el.className = `row ${row.status}${row.isReference ? ' reference' : ''}`;
  el.style.top = `${index * ROW_HEIGHT}px`;
  el.setAttribute('role', 'row');
  el.dataset.path = row.path;
  const delta = (row.sizeAfter ?? 0) - (row.sizeBefore ?? 0);
  const cells: Array<[string, string]> = [
    ['badge', BADGES[row.status]],
    ['path', row.path],
    ['size', formatSize(row.sizeBefore)],
    ['size', formatSize(row.sizeAfter)],
    ['size delta', formatBytesChange(delta)],
  ];
  for (const [cls, text] of cells) {
    const c = document.createElement('span');
    c.className = cls;
    c.textContent = text;
    c.setAttribute('role', 'cell');
    el.appendChild(c);
  }
  el.title = row.isReference ? `${row.path} (a reference)` : `${row.path}: click to open`;
  return el;
}

/** Draws the rows that intersect the viewport (plus a small margin); asks for missing windows. */
function render(): void {
  spacer.style.height = `${total * ROW_HEIGHT}px`;
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - 10);
  const last = Math.min(total, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + 10);
  const fragment = document.createDocumentFragment();
  for (let i = first; i < last; i++) {
    const w = Math.floor(i / WINDOW);
    const rows = windows.get(w);
    if (!rows) {
      request(w);
      continue;
    }
    const row = rows[i - w * WINDOW];
    if (row) fragment.appendChild(rowElement(row, i));
  }
  rowsEl.replaceChildren(fragment);
  $('.count').textContent = `${total.toLocaleString()} row${total === 1 ? '' : 's'}`;
}

function showSummary(s: DiffSummary): void {
  $('.summary').textContent = `${s.added.toLocaleString()} added · ${s.removed.toLocaleString()} removed · ${s.modified.toLocaleString()} modified · ${s.unchanged.toLocaleString()} unchanged · size ${formatBytesChange(s.sizeChange)} (${formatSize(s.sizeBefore)} → ${formatSize(s.sizeAfter)})`;
  $('.before').textContent = s.before;
  $('.after').textContent = s.after;
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  if (m.type === 'summary') {
    showSummary(m.summary);
    reset();
    viewport.scrollTop = saved.scrollTop;
  } else if (m.type === 'rows') {
    if (m.seq !== seq) return; // an answer to an older filter or sort
    const w = Math.floor(m.offset / WINDOW);
    pending.delete(w);
    windows.set(w, m.rows);
    for (const row of m.rows) rowsByPath.set(row.path, row);
    total = m.total;
    render();
  } else if (m.type === 'error') {
    $('.summary').textContent = `Could not compare: ${m.message}`;
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
  if (row && !row.isReference) vscode.postMessage({ type: 'openDiff', path: row.path });
});

vscode.postMessage({ type: 'ready' });
