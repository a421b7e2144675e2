/**
 * The lineage page: versions (boxes) and runs (rounded) with their used and logged edges, laid out
 * left to right by dagre (layout.ts) and drawn as SVG; the current version highlighted; a depth
 * control (the host builds the graph again); nodes collapsible (their far side from the current
 * version); wheel to zoom, drag to pan, Fit. Clicking a version asks the host to reveal it in the
 * Registry view; clicking a run shows its details beside the graph. Every word comes from the host's
 * `init` message; text goes in through textContent only.
 */
import { displayLocale, formatDate, formatNumber, useLanguage } from '../../src/core/l10n';
import type { LineageGraph, LineageNode, LineageRunNode, LineageVersionNode } from '../../src/registry/lineage-graph';
import { isLineageHostMessage, type LineageInitMessage, type LineagePageMessage, type LineageStrings } from '../../src/extension/webview/lineage-protocol';
import { layoutLineage, NODE_HEIGHT, type LaidOut } from './layout';

declare function acquireVsCodeApi(): { postMessage(m: LineagePageMessage): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg'; // l10n-ignore: a namespace

interface SavedState {
  depth?: number;
  collapsed?: string[];
}

let S = {} as LineageStrings;

function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (slot, i: string) => (args[Number(i)] === undefined ? slot : String(args[Number(i)])));
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; title?: string; attrs?: Record<string, string> } | null, ...children: Array<Node | string | null | undefined>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.title) el.title = props.title;
  for (const [k, v] of Object.entries(props?.attrs ?? {})) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<Node | null>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

function svgText(text: string, attrs: Record<string, string | number>): SVGTextElement {
  const t = s('text', attrs);
  t.textContent = text;
  return t;
}

/** The two lines of a node's box. */
function nodeLines(n: LineageNode): string[] {
  if (n.kind === 'version') {
    const second = n.state === 'MISSING' ? S.missingVersion : n.state === 'DELETED' ? S.deletedVersion : [n.type, n.aliases.join(', ')].filter(Boolean).join(' · ');
    return [`${n.collection}:v${n.index}`, second];
  }
  const run = n.run;
  if (!run) return [n.runId, S.missingRun];
  const status = run.end ? (run.end.exitCode === null ? (run.end.signal ?? '') : `${S.exitCode} ${run.end.exitCode}`) : '';
  return [run.name || truncate(shortCommand(run.command), 36), [run.type, status].filter(Boolean).join(' · ') || formatDate(run.startedAt)];
}

/** A process's own run goes by its command without options (`artifacts log`); the tooltip has it whole. */
function shortCommand(command: string): string {
  const words = command.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length && out.length < 3; i++) {
    const w = words[i]!;
    if (/^--(registry|entity|project)$/.test(w)) i++;
    else if (!w.startsWith('-') && !w.includes('/')) out.push(w);
  }
  return out.slice(0, 2).join(' ') || command;
}

function truncate(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function start(init: LineageInitMessage): void {
  S = init.strings;
  useLanguage(init.locale);
  document.documentElement.lang = displayLocale();
  const saved = (vscode.getState() as SavedState | undefined) ?? {};
  let depth = saved.depth ?? init.depth;
  const collapsed = new Set<string>(saved.collapsed ?? []);
  let graph: LineageGraph | undefined;
  let seq = 0;
  let laid: LaidOut | undefined;
  const view = { x: 0, y: 0, k: 1 };
  /** Whether the user panned or zoomed: until then the graph follows the size of its pane. */
  let moved = false;
  const save = () => vscode.setState({ depth, collapsed: [...collapsed] } satisfies SavedState);

  // ---- the frame
  const app = document.getElementById('app')!;
  const depthEl = h('input', { class: 'depth', title: S.depthTitle, attrs: { type: 'number', min: '0', max: String(init.maxDepth), value: String(depth), 'aria-label': S.depth } });
  const fitEl = h('button', { class: 'fit', title: S.fitTitle, attrs: { type: 'button' } }, S.fit);
  const countsEl = h('span', { class: 'counts', attrs: { role: 'status' } }, S.loading);
  const legend = h(
    'span',
    { class: 'legend' },
    // l10n-ignore: CSS classes
    h('span', { class: 'swatch version' }),
    S.legendVersion,
    // l10n-ignore: CSS classes
    h('span', { class: 'swatch run' }),
    S.legendRun,
    // l10n-ignore: CSS classes
    h('span', { class: 'swatch used' }),
    S.legendUsed,
    // l10n-ignore: CSS classes
    h('span', { class: 'swatch produced' }),
    S.legendProduced,
  );
  const header = h('header', null, h('span', { class: 'title' }, format(S.title, init.version)), h('label', null, S.depth, ' ', depthEl), fitEl, countsEl, legend);
  const noticeEl = h('div', { class: 'notice', attrs: { role: 'status' } });
  noticeEl.hidden = true;
  const svg = s('svg', { class: 'graph', role: 'img', 'aria-label': format(S.title, init.version) });
  const defs = s('defs');
  for (const kind of ['used', 'produced']) {
    defs.append(s('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` })));
  }
  const world = s('g', { class: 'world' });
  svg.append(defs, world);
  const details = h('aside', { class: 'details', attrs: { 'aria-live': 'polite' } });
  details.hidden = true;
  const main = h('main', null, svg, details);
  app.replaceChildren(header, noticeEl, main);

  // l10n-ignore: an SVG transform
  const applyView = () => world.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  const fit = () => {
    if (!laid) return;
    const { width, height } = svg.getBoundingClientRect();
    const k = Math.min(1.5, Math.max(0.05, Math.min(width / Math.max(1, laid.width), height / Math.max(1, laid.height))));
    view.k = k;
    view.x = (width - laid.width * k) / 2;
    view.y = (height - laid.height * k) / 2;
    applyView();
  };

  // ---- drawing
  const draw = (refit: boolean) => {
    if (!graph) return;
    const t0 = performance.now();
    laid = layoutLineage(graph, collapsed, nodeLines);
    const t1 = performance.now();
    const edgesG = s('g', { class: 'edges' });
    for (const e of laid.edges) {
      if (e.points.length < 2) continue;
      const d = `M${e.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' L')}`;
      edgesG.append(s('path', { d, class: `edge ${e.edge.kind}`, 'marker-end': `url(#arrow-${e.edge.kind})`, 'data-from': e.edge.from, 'data-to': e.edge.to, 'data-kind': e.edge.kind }));
    }
    const nodesG = s('g', { class: 'nodes' });
    for (const p of laid.nodes) {
      const n = p.node;
      const [line1, line2] = nodeLines(n);
      const cls = ['node', n.kind, n.id === graph.root ? 'root' : '', n.kind === 'version' ? n.state.toLowerCase() : n.run ? '' : 'missing', n.kind === 'run' && n.run?.end && n.run.end.exitCode !== 0 ? 'failed' : ''].filter(Boolean).join(' ');
      const g = s('g', { class: cls, transform: `translate(${(p.x - p.width / 2).toFixed(1)},${(p.y - p.height / 2).toFixed(1)})`, 'data-id': n.id, tabindex: 0, role: 'button' });
      const title = s('title');
      title.textContent = n.kind === 'version' ? format(S.versionTitle, n.ref) : format(S.runTitle, n.run?.command ?? n.runId);
      g.append(title, s('rect', { width: p.width, height: p.height, rx: n.kind === 'run' ? NODE_HEIGHT / 2 : 3 }));
      g.append(svgText(truncate(line1!, 40), { x: p.width / 2, y: 16, class: 'line1' }), svgText(truncate(line2 ?? '', 44), { x: p.width / 2, y: 31, class: 'line2' }));
      if (p.hasChildren) {
        // The toggle sits on the side the node's hidden part would be: left upstream, right downstream.
        const left = n.depth < 0;
        const tx = left ? -8 : p.width + 8;
        const toggle = s('g', { class: 'toggle', transform: `translate(${tx},${p.height / 2})`, 'data-toggle': n.id, role: 'button', tabindex: 0 });
        const tt = s('title');
        tt.textContent = collapsed.has(n.id) ? S.expand : S.collapse;
        toggle.append(tt, s('circle', { r: 7 }), svgText(collapsed.has(n.id) ? '+' : '−', { y: 4, class: 'sign' }));
        if (collapsed.has(n.id) && p.hidden) toggle.append(svgText(format(S.hiddenCount, formatNumber(p.hidden)), { x: left ? -12 : 12, y: 4, class: `hidden-count ${left ? 'left' : 'right'}` }));
        g.append(toggle);
      }
      nodesG.append(g);
    }
    world.replaceChildren(edgesG, nodesG);
    if (refit) fit();
    svg.getBoundingClientRect(); // style and layout now, inside the measurement
    const versions = graph.nodes.filter((n) => n.kind === 'version').length;
    countsEl.textContent = format(S.counts, formatNumber(versions), formatNumber(graph.nodes.length - versions), formatNumber(graph.edges.length));
    requestAnimationFrame(() => {
      const t2 = performance.now();
      document.body.dataset.nodes = String(laid!.nodes.length);
      document.body.dataset.edges = String(laid!.edges.length);
      document.body.dataset.layoutMs = (t1 - t0).toFixed(1);
      document.body.dataset.renderMs = (t2 - t1).toFixed(1);
      vscode.postMessage({ type: 'rendered', nodes: laid!.nodes.length, edges: laid!.edges.length, layoutMs: t1 - t0, renderMs: t2 - t1 });
    });
  };

  // ---- run details
  const showRun = (n: LineageRunNode) => {
    if (!graph) return;
    const run = n.run;
    const rows: Array<[string, string | Node]> = [[S.runId, n.runId]];
    if (run) {
      if (run.type) rows.push([S.runType, run.type]);
      rows.push([S.command, h('code', null, run.command)], [S.user, run.user], [S.host, run.host], [S.folder, h('code', null, run.cwd)]);
      if (run.gitCommit) rows.push([S.gitCommit, h('code', null, run.gitCommit)]);
      rows.push([S.started, formatDate(run.startedAt)]);
      if (run.end) {
        rows.push([S.ended, formatDate(run.end.endedAt)]);
        if (run.end.exitCode !== null) rows.push([S.exitCode, String(run.end.exitCode)]);
        if (run.end.signal) rows.push([S.signal, run.end.signal]);
        if (run.end.error) rows.push([S.error, run.end.error]);
      } else {
        rows.push([S.ended, run.name ? S.running : S.processRun]);
      }
    } else {
      rows.push([S.error, S.missingRun]);
    }
    const byId = new Map(graph.nodes.map((x) => [x.id, x]));
    const list = (ids: string[]) =>
      ids.length
        ? h(
            'ul',
            null,
            ...ids.map((id) => {
              const v = byId.get(id) as LineageVersionNode | undefined;
              const a = h('a', { attrs: { href: '#', 'data-ref': v?.ref ?? '' } }, v?.ref ?? id);
              return h('li', null, a);
            }),
          )
        : h('p', { class: 'muted' }, S.none);
    const inputs = graph.edges.filter((e) => e.kind === 'used' && e.to === n.id).map((e) => e.from);
    const outputs = graph.edges.filter((e) => e.kind === 'produced' && e.from === n.id).map((e) => e.to);
    const close = h('button', { class: 'close', title: S.close, attrs: { type: 'button', 'aria-label': S.close } }, '×');
    close.addEventListener('click', () => (details.hidden = true));
    details.replaceChildren(
      h('div', { class: 'details-head' }, h('h2', null, format(S.details, run?.name || n.runId)), close),
      h('dl', null, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      h('h3', null, S.inputs),
      list(inputs),
      h('h3', null, S.outputs),
      list(outputs),
    );
    details.hidden = false;
    details.dataset.run = n.runId;
  };
  details.addEventListener('click', (ev) => {
    const a = (ev.target as Element).closest('a[data-ref]');
    if (!a) return;
    ev.preventDefault();
    const ref = a.getAttribute('data-ref');
    if (ref) vscode.postMessage({ type: 'revealVersion', ref });
  });

  // ---- interaction
  const activate = (target: Element) => {
    const toggle = target.closest('[data-toggle]');
    if (toggle) {
      const id = toggle.getAttribute('data-toggle')!;
      if (collapsed.has(id)) collapsed.delete(id);
      else collapsed.add(id);
      save();
      draw(false);
      return;
    }
    const nodeEl = target.closest('g.node');
    const n = nodeEl && graph?.nodes.find((x) => x.id === nodeEl.getAttribute('data-id'));
    if (!n) return;
    world.querySelectorAll('g.node.selected').forEach((el) => el.classList.remove('selected'));
    nodeEl.classList.add('selected');
    if (n.kind === 'version') {
      if (n.state !== 'MISSING') vscode.postMessage({ type: 'revealVersion', ref: n.ref });
    } else {
      showRun(n);
    }
  };
  let drag: { x: number; y: number; moved: boolean } | undefined;
  svg.addEventListener('pointerdown', (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, moved: false };
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag || !(ev.buttons & 1)) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) svg.setPointerCapture(ev.pointerId);
    drag.moved = true;
    view.x += dx;
    view.y += dy;
    moved = true;
    drag.x = ev.clientX;
    drag.y = ev.clientY;
    applyView();
  });
  svg.addEventListener('pointerup', (ev) => {
    const wasDrag = drag?.moved;
    drag = undefined;
    if (!wasDrag) activate(ev.target as Element);
  });
  svg.addEventListener('keydown', (ev) => {
    // l10n-ignore: key names
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      activate(ev.target as Element);
    }
  });
  svg.addEventListener(
    'wheel',
    (ev) => {
      ev.preventDefault();
      const rect = svg.getBoundingClientRect();
      const px = ev.clientX - rect.left;
      const py = ev.clientY - rect.top;
      const k = Math.min(4, Math.max(0.05, view.k * Math.exp(-ev.deltaY * 0.0015)));
      view.x = px - ((px - view.x) * k) / view.k;
      view.y = py - ((py - view.y) * k) / view.k;
      view.k = k;
      moved = true;
      applyView();
    },
    { passive: false },
  );
  fitEl.addEventListener('click', () => {
    moved = false;
    fit();
  });
  depthEl.addEventListener('change', () => {
    const d = Number(depthEl.value);
    if (!Number.isInteger(d) || d < 0 || d > init.maxDepth) {
      depthEl.value = String(depth);
      return;
    }
    depth = d;
    save();
    countsEl.textContent = S.loading;
    vscode.postMessage({ type: 'setDepth', seq: ++seq, depth });
  });

  window.addEventListener('message', (ev: MessageEvent) => {
    const m: unknown = ev.data;
    if (!isLineageHostMessage(m) || m.type === 'init') return;
    if (m.seq !== seq) return; // an answer to an older depth
    if (m.type === 'error') {
      noticeEl.hidden = false;
      noticeEl.className = 'notice error'; // l10n-ignore: CSS classes
      noticeEl.textContent = format(S.couldNotShow, m.message);
      countsEl.textContent = '';
      return;
    }
    graph = m.graph;
    const known = new Set(graph.nodes.map((n) => n.id));
    for (const id of [...collapsed]) if (!known.has(id)) collapsed.delete(id);
    const notices: string[] = [];
    if (graph.nodes.length === 1) notices.push(S.nothingRecorded);
    if (graph.truncated) notices.push(format(S.truncated, formatNumber(graph.nodes.length)));
    noticeEl.className = 'notice';
    noticeEl.textContent = notices.join(' ');
    noticeEl.hidden = notices.length === 0;
    details.hidden = true;
    moved = false;
    draw(true);
  });
  // The details pane opening or the window changing size: fit again, unless the user moved the view.
  new ResizeObserver(() => {
    if (!moved) fit();
  }).observe(svg);
  // The saved depth differs from the host's: ask for it (the host's first graph has seq 0 and is then ignored).
  if (depth !== init.depth) vscode.postMessage({ type: 'setDepth', seq: ++seq, depth });
}

window.addEventListener('message', function onInit(ev: MessageEvent) {
  const m: unknown = ev.data;
  if (isLineageHostMessage(m) && m.type === 'init') {
    window.removeEventListener('message', onInit);
    start(m);
  }
});
vscode.postMessage({ type: 'ready' });
