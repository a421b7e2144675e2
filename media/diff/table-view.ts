/**
 * A table's content diff: row counts, how rows are matched (the key column the user can change),
 * schema changes, numeric column statistics before and after, and the changed rows in a virtual
 * grid that asks the host (and through it the content diff worker) for windows of them.
 */
import type { ChangedRow, ChangedRowsPage, NumericStats, RowStatus, TableDiffSummary } from '../../src/content/table';
import type { ContentRowQuery } from '../../src/extension/webview/diff-protocol';
import { beforeAfter, deltaNode, fill, h, loadedRows, section, table, vscode } from './dom';
import { count, formatNodes, S } from './strings';

const ROW_HEIGHT = 24;
const WINDOW = 100;
const STATUS_W = 28;
const KEY_W = 120;
const CELL_W = 150;
/** The key select's value for "match by the whole row". */
const WHOLE_ROW = '\u0000whole-row';

export interface TableContext {
  path: string;
  generation: number;
}

export interface MountedTable {
  onRows(seq: number, page: ChangedRowsPage): void;
}

function cellText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function schemaList(s: TableDiffSummary['schema']): HTMLElement {
  const items = [
    ...s.added.map((c) => h('li', { class: 'added' }, S.columnAdded(c.name, c.type))),
    ...s.removed.map((c) => h('li', { class: 'removed' }, S.columnRemoved(c.name, c.type))),
    ...s.renamed.map((r) => h('li', { class: 'modified' }, S.columnRenamed(r.from, r.to, r.type))),
    ...s.typeChanged.map((t) => h('li', { class: 'modified' }, S.columnRetyped(t.name, t.before, t.after))),
    ...(s.reordered ? [h('li', { class: 'modified' }, S.columnsReordered)] : []),
  ];
  return items.length ? h('ul', { class: 'schema' }, ...items) : h('p', { class: 'muted' }, S.schemaSame);
}

function statsTable(stats: TableDiffSummary['stats']): HTMLElement {
  const keys: (keyof NumericStats)[] = ['count', 'nulls', 'min', 'max', 'mean'];
  return table(
    [S.column, S.statCount, S.statNulls, S.statMin, S.statMax, S.statMean],
    stats.map((c) => [h('code', null, c.name), ...keys.map((k) => beforeAfter(c.before?.[k], c.after?.[k]))]),
    'stats',
  );
}

export function renderTable(body: HTMLElement, summary: TableDiffSummary, keyChoices: string[], ctx: TableContext & { wholeRowAsked: boolean }): MountedTable {
  const { added, removed, changed, unchanged } = summary.rowChanges;

  // How rows are matched: a select of the columns on both sides, and the whole row.
  const keySelect = h('select', { class: 'key-select', attrs: { 'aria-label': S.matchBy } });
  for (const c of keyChoices) keySelect.append(h('option', { attrs: { value: c } }, c));
  keySelect.append(h('option', { attrs: { value: WHOLE_ROW } }, S.wholeRow));
  keySelect.value = summary.match.mode === 'key' ? summary.match.key : WHOLE_ROW;
  keySelect.addEventListener('change', () => vscode.postMessage({ type: 'select', path: ctx.path, key: keySelect.value === WHOLE_ROW ? null : keySelect.value }));
  const match = h('label', { class: 'match' }, ...formatNodes(S.matchByLabel, keySelect), summary.match.mode === 'key' && summary.match.guessed ? ` ${S.guessed}` : '');

  const counts = h(
    'div',
    { class: 'counts' },
    ...([
      ['added', added, S.countAdded],
      ['removed', removed, S.countRemoved],
      ['changed', changed, S.countChanged],
      ['unchanged', unchanged, S.countUnchanged],
    ] as const).map(([k, n, template]) => h('span', { class: `count-chip ${k}`, data: { count: k } }, ...formatNodes(template, h('strong', { class: 'n' }, count(n))))),
  );

  const facts = h(
    'div',
    { class: 'facts' },
    h('span', { class: 'row-counts' }, S.tableFacts(summary.format, summary.rowCount.before, summary.rowCount.after), deltaNode(summary.rowCount.after - summary.rowCount.before)),
    summary.totalRows ? h('span', { class: 'muted' }, S.wholeFiles(summary.totalRows.before, summary.totalRows.after)) : null,
    match,
  );
  const notices: HTMLElement[] = [];
  if (summary.match.mode === 'row-hash') {
    // Asked for with the select, or no key could be used: say why.
    notices.push(h('p', { class: 'notice' }, ctx.wholeRowAsked ? S.matchWhole : S.matchNoKey(summary.match.reason)));
  }
  // l10n-ignore: CSS classes
  if (summary.sampled) notices.push(h('p', { class: 'notice sampled' }, S.sampled(summary.sampled.limitBytes, summary.sampled.rowsRead.before, summary.sampled.rowsRead.after)));

  // The changed rows: filters, a header and a virtual list.
  const renamedFrom = new Map(summary.schema.renamed.map((r) => [r.to, r.from]));
  const afterNames = summary.columns.after.map((c) => c.name);
  const keyName = summary.match.mode === 'key' ? summary.match.key : null;
  // The key has its own first column.
  const columns = [...afterNames, ...summary.columns.before.map((c) => c.name).filter((n) => !afterNames.includes(n) && ![...renamedFrom.values()].includes(n))].filter((n) => n !== keyName);
  const width = STATUS_W + KEY_W + CELL_W * columns.length;

  const statusSelect = h('select', { class: 'rows-status', attrs: { 'aria-label': S.show } });
  for (const [v, t] of [['all', S.allRows], ['added', S.onlyAdded], ['removed', S.onlyRemoved], ['changed', S.onlyChanged]] as const) statusSelect.append(h('option', { attrs: { value: v } }, t));
  const columnSelect = h('select', { class: 'rows-column', attrs: { 'aria-label': S.column } }, h('option', { attrs: { value: '' } }, S.anyColumn));
  for (const [name, n] of Object.entries(summary.changedCells)) if (n > 0) columnSelect.append(h('option', { attrs: { value: name } }, S.inColumn(name, n)));
  const rowCount = h('span', { class: 'count' });

  const head = h(
    'div',
    // l10n-ignore: CSS classes
    { class: 'crow head' },
    h('span', { class: 'c-status' }),
    h('span', { class: 'c-key' }, keyName ?? S.row),
    ...columns.map((c) => h('span', { class: 'c-cell', title: c }, c)),
  );
  const spacer = h('div', { class: 'spacer' });
  const rowsEl = h('div', { class: 'crows', attrs: { role: 'table', 'aria-label': S.changedRows } });
  const viewport = h('div', { class: 'rows-viewport', attrs: { tabindex: '0' } }, head, spacer, rowsEl);
  for (const el of [head, spacer, rowsEl]) el.style.width = `${width}px`;

  const state = { status: 'all' as RowStatus | 'all', column: null as string | null, seq: 0, total: 0 };
  const windows = new Map<number, ChangedRow[]>();
  const pending = new Set<number>();

  const request = (w: number): void => {
    if (windows.has(w) || pending.has(w)) return;
    pending.add(w);
    const query: ContentRowQuery = { generation: ctx.generation, offset: w * WINDOW, limit: WINDOW, status: state.status, column: state.column, seq: state.seq };
    vscode.postMessage({ type: 'contentRows', query });
  };

  const cell = (r: ChangedRow, name: string): HTMLElement => {
    const beforeName = renamedFrom.get(name) ?? name;
    const b = cellText(r.before?.[beforeName]);
    const a = cellText(r.after?.[name]);
    if (r.status === 'added') return h('span', { class: 'c-cell', title: a }, a);
    if (r.status === 'removed') return h('span', { class: 'c-cell', title: b }, b);
    if (!r.changedColumns.includes(name)) return h('span', { class: 'c-cell', title: a }, a);
    // l10n-ignore: CSS classes
    return h('span', { class: 'c-cell changed-cell', title: `${b} → ${a}` }, h('span', { class: 'old' }, b), ' → ', h('span', { class: 'new' }, a));
  };

  const rowEl = (r: ChangedRow, i: number): HTMLElement => {
    const el = h(
      'div',
      { class: `crow ${r.status}`, data: { status: r.status }, attrs: { role: 'row' } },
      // l10n-ignore: CSS classes
      h('span', { class: `c-status sign ${r.status}` }, S.badge[r.status]!),
      h('span', { class: 'c-key' }, r.key ?? S.rowNumber(r.rowNumber.before, r.rowNumber.after)),
      ...columns.map((c) => cell(r, c)),
    );
    el.style.top = `${ROW_HEIGHT + i * ROW_HEIGHT}px`;
    return el;
  };

  const render = (): void => {
    spacer.style.height = `${state.total * ROW_HEIGHT}px`;
    const top = Math.max(0, viewport.scrollTop - ROW_HEIGHT);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - 5);
    const last = Math.min(state.total, Math.ceil((top + viewport.clientHeight) / ROW_HEIGHT) + 5);
    rowsEl.replaceChildren(loadedRows(windows, WINDOW, first, last, request, rowEl));
    rowCount.textContent = state.total === 0 && windows.size > 0 ? S.noChangedRows : S.rowCount(state.total);
  };

  const reset = (): void => {
    windows.clear();
    pending.clear();
    state.seq += 1;
    viewport.scrollTop = 0;
    request(0);
  };
  statusSelect.addEventListener('change', () => {
    state.status = statusSelect.value as RowStatus | 'all';
    reset();
  });
  columnSelect.addEventListener('change', () => {
    state.column = columnSelect.value || null;
    reset();
  });
  viewport.addEventListener('scroll', () => window.requestAnimationFrame(render));

  fill(body, 
    h('div', { class: 'table-view' }, facts, counts, ...notices),
    section(S.schema, schemaList(summary.schema)),
    summary.stats.length ? section(S.numericColumns, statsTable(summary.stats)) : null,
    section(S.changedRows, h('div', { class: 'controls' }, statusSelect, columnSelect, rowCount), viewport),
  );
  request(0);

  return {
    onRows(seq, page) {
      if (seq !== state.seq) return; // an answer to an older filter
      const w = Math.floor(page.offset / WINDOW);
      pending.delete(w);
      windows.set(w, page.rows);
      state.total = page.total;
      render();
    },
  };
}
