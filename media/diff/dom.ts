/**
 * Small DOM helpers of the diff page. Text always goes in through textContent (never innerHTML), so
 * file names, cell values and metadata cannot inject markup.
 */
import type { PageMessage } from '../../src/extension/webview/diff-protocol';
import { delta, num, S } from './strings';

declare function acquireVsCodeApi(): { postMessage(m: PageMessage): void; getState(): unknown; setState(s: unknown): void };

export const vscode = acquireVsCodeApi();

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  /** data-* attributes. */
  data?: Record<string, string>;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.title) el.title = props.title;
  for (const [k, v] of Object.entries(props?.data ?? {})) el.dataset[k] = v;
  for (const [k, v] of Object.entries(props?.attrs ?? {})) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A sign mark colored by the theme's diff colors: + added, − removed, ~ changed. */
export function sign(kind: 'added' | 'removed' | 'changed'): HTMLElement {
  return h('span', { class: `sign ${kind}` }, S.badge[kind]!);
}

/** A delta after a number, colored by its sign with the theme's diff colors ('' when none). */
export function deltaNode(d: number | undefined | null): HTMLElement | null {
  if (d === undefined || d === null || d === 0) return null;
  return h('span', { class: `delta ${d > 0 ? 'up' : 'down'}` }, ` (${delta(d)})`);
}

/** `before → after (Δ)` for two numbers; one number when they are equal. */
export function beforeAfter(b: number | null | undefined, a: number | null | undefined): HTMLElement {
  if (b === a) return h('span', null, num(a));
  const d = typeof a === 'number' && typeof b === 'number' ? a - b : null;
  return h('span', null, h('span', { class: 'old' }, num(b)), ' → ', h('span', { class: 'new' }, num(a)), deltaNode(d));
}

/** A JSON-like value; long or multi-line ones collapsed behind a preview. */
export function valueNode(v: unknown, collapse = false): HTMLElement {
  const text = typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'number' ? num(v) : JSON.stringify(v, null, 2) ?? String(v);
  const shown = typeof v === 'string' ? JSON.stringify(v) : text;
  if (!collapse) return h('span', { class: 'value' }, shown);
  const preview = shown.replace(/\s+/g, ' ').slice(0, 60);
  // l10n-ignore: CSS classes
  return h('details', { class: 'value long' }, h('summary', { title: S.showValue }, `${preview}…`), h('pre', null, text));
}

/** Replaces the children of `el`, skipping empty slots. */
export function fill(el: HTMLElement, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'block' }, h('h3', null, title), ...children);
}

/** A table with a header row; cells are nodes or text. */
export function table(header: string[], rows: Child[][], cls = ''): HTMLTableElement {
  return h(
    'table',
    { class: `grid-table ${cls}`.trim() },
    h('thead', null, h('tr', null, ...header.map((t) => h('th', null, t)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c) => h('td', null, c))))),
  );
}

export function button(text: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  const b = h('button', { ...props, attrs: { type: 'button', ...(props.attrs ?? {}) } }, text);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * The elements of rows `first` to `last` (exclusive) of a virtual list whose rows arrive in windows
 * of `size`: rows of a window not loaded yet are skipped and their window is asked for.
 */
export function loadedRows<R>(windows: Map<number, R[]>, size: number, first: number, last: number, request: (w: number) => void, make: (row: R, i: number) => Node): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (let i = first; i < last; i++) {
    const w = Math.floor(i / size);
    const rows = windows.get(w);
    if (!rows) {
      request(w);
      continue;
    }
    const row = rows[i - w * size];
    if (row) fragment.appendChild(make(row, i));
  }
  return fragment;
}
