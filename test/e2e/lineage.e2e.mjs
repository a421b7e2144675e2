// End-to-end: the lineage graph of the packaged extension in a real VS Code (code-server + Chromium).
// A dataset is logged with the CLI, then `artifacts run --name train -- sh -c 'artifacts download
// ds:v0 … && artifacts log … --name model --type model'` makes a model from it. The test opens the
// lineage of the model and checks that both versions, the run and the used/logged edges are drawn,
// that a run shows its details, that clicking a version reveals it in the Registry view, that a
// node collapses and that the depth control asks for another graph. Screenshots:
// test-results/e2e/lineage/; with UPDATE_DOCS_IMAGES=1 the README's docs/images/lineage.png too.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const registry = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-lineage-registry-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-lineage-data-'));
const GLOBAL = ['--registry', registry, '--entity', 'e2e', '--project', 'mnist'];

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
function cli(...args) {
  return execFileSync(process.execPath, [CLI, ...GLOBAL, ...args], { encoding: 'utf8' }).trim();
}

let env;
let page;
let shot;

function view() {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

async function answer(text) {
  const input = page.locator('.quick-input-widget input.input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.waitForTimeout(150);
  await input.press('Enter');
}

const node = (id) => view().locator(`g.node[data-id="${id}"]`);
const edge = (from, to, kind) => view().locator(`path.edge[data-from="${from}"][data-to="${to}"][data-kind="${kind}"]`);

beforeAll(async () => {
  mkdirSync(path.join(dataDir, 'mnist'), { recursive: true });
  writeFileSync(path.join(dataDir, 'mnist', 'train.csv'), 'label,pixels\n3,0 0 1\n7,1 1 0\n');
  writeFileSync(path.join(dataDir, 'model.bin'), 'trained weights');
  cli('log', path.join(dataDir, 'mnist'), '--name', 'ds', '--type', 'dataset', '--alias', 'raw');
  // The run's command as a person would write it: `artifacts` on PATH (this build, this registry's
  // entity and project), relative paths, in a git repository whose commit the run records.
  const bin = path.join(dataDir, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'artifacts'), `#!/bin/sh\nexec ${q(process.execPath)} ${q(CLI)} --entity e2e --project mnist "$@"\n`, { mode: 0o755 });
  const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args], { cwd: dataDir, stdio: 'ignore' });
  git('init', '-q');
  git('add', 'mnist', 'model.bin');
  git('commit', '-q', '-m', 'data and model');
  execFileSync(process.execPath, [CLI, ...GLOBAL, 'run', '--name', 'train', '--type', 'train', '--', 'sh', '-c', 'artifacts download ds:v0 --root work && artifacts log model.bin --name model --type model --alias candidate'], {
    cwd: dataDir,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    stdio: 'ignore',
  });

  env = await h.launch({
    vsix: VSIX,
    prefix: 'lineage',
    env: { ARTIFACTS_REGISTRY: registry },
    settings: { 'artifacts.entity': 'e2e', 'artifacts.project': 'mnist' },
    files: { 'README.md': '# mnist\n' },
  });
  page = env.page;
  shot = env.shot;
  await h.dismissStartupNoise(page);
  await h.activityBarItem(page, 'Artifacts').waitFor({ state: 'visible', timeout: 60_000 });
}, 300_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && shot) await shot(`failed-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await env?.dispose();
  rmSync(registry, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the lineage graph of a model made by artifacts run', () => {
  let runId;

  it('draws the model, the dataset, the run and the used and logged edges', async () => {
    const graph = JSON.parse(cli('lineage', 'model:v0', '--json'));
    runId = graph.nodes.find((n) => n.kind === 'run' && n.run?.name === 'train').runId;
    await h.runCommand(page, 'Artifacts: Show Lineage');
    await answer('model:v0');
    const v = view();
    await v.locator('g.node').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => v.locator('body').getAttribute('data-render-ms'), { timeout: 20_000 }).not.toBeNull();

    const model = node('version:e2e/mnist/model:v0');
    const ds = node('version:e2e/mnist/ds:v0');
    const run = node(`run:${runId}`);
    await model.waitFor();
    expect(await model.getAttribute('class')).toMatch(/\broot\b/); // the current version is highlighted
    expect(await model.locator('text.line1').textContent()).toBe('model:v0');
    expect(await model.locator('text.line2').textContent()).toMatch(/model · .*candidate/);
    expect(await ds.locator('text.line1').textContent()).toBe('ds:v0');
    expect(await run.locator('text.line1').textContent()).toBe('train');
    expect(await run.locator('text.line2').textContent()).toMatch(/train · .* 0$/);
    await expect.poll(() => edge('version:e2e/mnist/ds:v0', `run:${runId}`, 'used').count()).toBe(1);
    await expect.poll(() => edge(`run:${runId}`, 'version:e2e/mnist/model:v0', 'produced').count()).toBe(1);
    // Drawn, not just present: boxes and edges have a size on the page.
    for (const el of [model, ds, run]) expect((await el.boundingBox()).width).toBeGreaterThan(40);
    expect((await edge('version:e2e/mnist/ds:v0', `run:${runId}`, 'used').boundingBox()).width).toBeGreaterThan(10);
    // Left to right: the dataset, then the run, then the model.
    const x = async (el) => (await el.boundingBox()).x;
    expect(await x(ds)).toBeLessThan(await x(run));
    expect(await x(run)).toBeLessThan(await x(model));
    expect(await v.locator('.counts').textContent()).toMatch(/versions .* runs .* edges/);
  });

  it('shows a run’s details when it is clicked', async () => {
    const v = view();
    await node(`run:${runId}`).click();
    const details = v.locator('aside.details');
    await details.waitFor({ state: 'visible' });
    expect(await details.locator('h2').textContent()).toContain('train');
    const text = await details.textContent();
    expect(text).toContain("sh -c 'artifacts download ds:v0 --root work && artifacts log model.bin --name model --type model --alias candidate'");
    expect(text).toMatch(/Git commit\s*[0-9a-f]{40}/);
    expect(text).toMatch(/Exit code\s*0/);
    expect(text).toContain('e2e/mnist/ds:v0');
    expect(text).toContain('e2e/mnist/model:v0');
    await shot('01-run-details');
  });

  it('reveals a version in the Registry view when it is clicked', async () => {
    await node('version:e2e/mnist/ds:v0').click();
    // The Registry view shows the dataset's v0 selected, under the collection ds.
    await expect.poll(async () => (await h.readTree(page, 'Registry', { waitForRows: false })).findIndex((r) => r.selected && r.label === 'v0'), { timeout: 20_000 }).toBeGreaterThan(0);
    const rows = await h.readTree(page, 'Registry');
    const i = rows.findIndex((r) => r.selected && r.label === 'v0');
    const parent = rows.slice(0, i).reverse().find((r) => r.level === rows[i].level - 1);
    expect(parent.label).toBe('ds');
    // The README's picture: the graph, the run's details and the revealed version.
    const file = await shot('02-revealed');
    if (process.env.UPDATE_DOCS_IMAGES === '1') copyFileSync(file, path.join(h.REPO_ROOT, 'docs', 'images', 'lineage.png'));
  });

  it('collapses a node and asks for another depth', async () => {
    const v = view();
    // The model's upstream side (the run and what it used) hides behind the run's toggle.
    await v.locator(`g.node[data-id="run:${runId}"] g.toggle`).dispatchEvent('pointerdown');
    await v.locator(`g.node[data-id="run:${runId}"] g.toggle`).dispatchEvent('pointerup');
    await expect.poll(() => node('version:e2e/mnist/ds:v0').count()).toBe(0);
    expect(await v.locator(`g.node[data-id="run:${runId}"] text.hidden-count`).textContent()).toMatch(/\+\d/);
    await v.locator(`g.node[data-id="run:${runId}"] g.toggle`).dispatchEvent('pointerdown');
    await v.locator(`g.node[data-id="run:${runId}"] g.toggle`).dispatchEvent('pointerup');
    await expect.poll(() => node('version:e2e/mnist/ds:v0').count()).toBe(1);
    // Depth 0: the version alone.
    await v.locator('input.depth').fill('0');
    await v.locator('input.depth').dispatchEvent('change');
    await expect.poll(() => v.locator('g.node').count(), { timeout: 20_000 }).toBe(1);
    await v.locator('input.depth').fill('3');
    await v.locator('input.depth').dispatchEvent('change');
    await expect.poll(() => v.locator('g.node').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  });
});
