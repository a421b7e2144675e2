// node bench/lineage-page.mjs [NODES]: lays out and draws a generated lineage graph of about NODES
// nodes (default 1,000) in the lineage page (dist/media/lineage.js) in Chromium, and prints how
// long the layout (dagre) and the drawing (SVG, up to the next frame) took, for two shapes: a deep
// pipeline (50 runs, each with 18 side inputs) and a wide one (one dataset used by many runs).
// Needs `npm run build` first and Debian's chromium (as the e2e tests).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const target = Number(process.argv[2] ?? 1000);

const run = (id, depth) => ({ kind: 'run', id: `run:${id}`, runId: id, depth, run: { id, name: id, type: 'train', command: `python train.py --step ${id}`, user: 'u', host: 'h', cwd: '/w', gitCommit: null, startedAt: '2026-01-01T00:00:00Z', end: { endedAt: '2026-01-01T01:00:00Z', exitCode: 0 } } });
const version = (c, i, depth) => ({ kind: 'version', id: `version:e/p/${c}:v${i}`, ref: `e/p/${c}:v${i}`, entity: 'e', project: 'p', collection: c, index: i, type: 'dataset', aliases: [], digest: 'd', createdAt: '2026-01-01T00:00:00Z', state: 'COMMITTED', depth });

/** 1 + levels × (2 + fanIn) nodes: chain:vN made by rN from chain:vN-1 and fanIn side inputs. */
function deep(levels, fanIn) {
  const nodes = [version('chain', levels, 0)];
  const edges = [];
  for (let l = 1; l <= levels; l++) {
    const i = levels - l + 1;
    nodes.push(run(`r${i}`, -l), version('chain', i - 1, -l));
    edges.push({ from: `run:r${i}`, to: `version:e/p/chain:v${i}`, kind: 'produced' }, { from: `version:e/p/chain:v${i - 1}`, to: `run:r${i}`, kind: 'used' });
    for (let j = 0; j < fanIn; j++) {
      nodes.push(version(`side${j}`, i, -l));
      edges.push({ from: `version:e/p/side${j}:v${i}`, to: `run:r${i}`, kind: 'used' });
    }
  }
  return { root: nodes[0].id, depth: levels, nodes, edges, truncated: false };
}

/** 1 + runs × 3 nodes: a dataset used by `runs` runs, each logging two versions. */
function wide(runs) {
  const nodes = [version('ds', 0, 0)];
  const edges = [];
  for (let r = 0; r < runs; r++) {
    nodes.push(run(`w${r}`, 1), version(`model${r}`, 0, 1), version(`metrics${r}`, 0, 1));
    edges.push({ from: 'version:e/p/ds:v0', to: `run:w${r}`, kind: 'used' }, { from: `run:w${r}`, to: `version:e/p/model${r}:v0`, kind: 'produced' }, { from: `run:w${r}`, to: `version:e/p/metrics${r}:v0`, kind: 'produced' });
  }
  return { root: nodes[0].id, depth: 1, nodes, edges, truncated: false };
}

const keys = [...readFileSync(path.join(ROOT, 'src/extension/webview/lineage-protocol.ts'), 'utf8').matchAll(/LINEAGE_STRING_KEYS = \[([\s\S]*?)\] as const/g)][0][1].match(/'([^']+)'/g).map((k) => k.slice(1, -1));
const strings = Object.fromEntries(keys.map((k) => [k, k === 'title' ? 'Lineage of {0}' : k === 'counts' ? '{0} versions · {1} runs · {2} edges' : k]));

async function measure(browser, name, graph) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lineage-bench-'));
  writeFileSync(path.join(dir, 'graph.js'), `window.GRAPH = ${JSON.stringify(graph)}; window.STRINGS = ${JSON.stringify(strings)};`);
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="stylesheet" href="file://${ROOT}/dist/media/lineage.css"></head><body><div id="app"></div>
<script src="graph.js"></script>
<script>
window.acquireVsCodeApi = () => ({ getState: () => undefined, setState() {}, postMessage(m) {
  if (m.type === 'ready') setTimeout(() => {
    window.postMessage({ type: 'init', locale: 'en', version: 'e/p/x:v0', depth: 3, maxDepth: 50, strings: window.STRINGS }, '*');
    window.T0 = performance.now();
    window.postMessage({ type: 'graph', seq: 0, depth: 3, graph: window.GRAPH }, '*');
  });
  if (m.type === 'rendered') window.RENDERED = { ...m, wallMs: performance.now() - window.T0 };
} });
</script>
<script src="file://${ROOT}/dist/media/lineage.js"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`file://${dir}/index.html`);
  await page.waitForFunction(() => window.RENDERED, null, { timeout: 120000 });
  const first = await page.evaluate(() => window.RENDERED);
  const drawn = await page.evaluate(() => ({ nodes: document.querySelectorAll('g.node').length, edges: document.querySelectorAll('path.edge').length }));
  // Collapse the root's first child with a toggle and measure the redraw.
  await page.evaluate(() => (window.RENDERED = undefined));
  const t = Date.now();
  await page.locator('g.toggle').first().dispatchEvent('pointerdown');
  await page.locator('g.toggle').first().dispatchEvent('pointerup');
  await page.waitForFunction(() => window.RENDERED, null, { timeout: 120000 });
  const collapse = await page.evaluate(() => window.RENDERED);
  await page.screenshot({ path: path.join(dir, 'shot.png') });
  await page.close();
  console.log(
    `${name}: ${graph.nodes.length} nodes, ${graph.edges.length} edges (drawn: ${drawn.nodes} nodes, ${drawn.edges} edges): ` +
      `layout ${first.layoutMs.toFixed(0)} ms + draw ${first.renderMs.toFixed(0)} ms (message to frame ${first.wallMs.toFixed(0)} ms); ` +
      `after collapsing a node (${collapse.nodes} shown): layout ${collapse.layoutMs.toFixed(0)} ms + draw ${collapse.renderMs.toFixed(0)} ms (${Date.now() - t} ms wall); screenshot ${path.join(dir, 'shot.png')}`,
  );
  return first;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'] });
try {
  const levels = 50;
  await measure(browser, 'deep', deep(levels, Math.max(0, Math.round((target - 1) / levels) - 2)));
  await measure(browser, 'wide', wide(Math.round((target - 1) / 3)));
} finally {
  await browser.close();
}
