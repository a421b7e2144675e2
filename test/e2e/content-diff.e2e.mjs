// End-to-end: what changed inside versions, in the compare view of the packaged extension in a real
// VS Code (code-server + Chromium). Versions of a table dataset (with JSON, YAML and safetensors
// weights) and of an image folder are logged with the CLI; the test opens the compare view and checks
// the numbers it shows against what the test changed: rows added / removed / changed, metadata
// deltas, changed pixels per image, tensors and parameter counts; and a version against a folder.
// Screenshots of each step: test-results/e2e/content-diff/. With UPDATE_DOCS_IMAGES=1 the README's
// pictures (docs/images/compare-*.png) are replaced by this run's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const registry = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-content-registry-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-content-data-'));

function cli(...args) {
  return execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'e2e', '--project', 'shop', ...args], { encoding: 'utf8' }).trim();
}

function write(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

// ---- generated data

/** 200 products; v1: prices of ids 1-7 changed, ids 10, 20, 30 removed, 201-205 added, a column added. */
function itemsCsv(version) {
  const lines = [version === 0 ? 'id,name,category,price,qty' : 'id,name,category,price,qty,in_stock'];
  const last = version === 0 ? 200 : 205;
  for (let i = 1; i <= last; i++) {
    if (version === 1 && (i === 10 || i === 20 || i === 30)) continue;
    const price = (((i * 37) % 1000) / 10 + (version === 1 && i <= 7 ? 5 : 0)).toFixed(2);
    const row = `${i},product ${i},${['tools', 'garden', 'kitchen', 'toys'][i % 4]},${price},${(i * 7) % 50}`;
    lines.push(version === 0 ? row : `${row},${i % 3 === 0 ? 'no' : 'yes'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A 64×48 gradient; `block` = [x, y, w, h] painted white (w × h changed pixels). */
function png(seed, block) {
  const p = new PNG({ width: 64, height: 48 });
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 64; x++) {
      const i = (y * 64 + x) * 4;
      p.data[i] = (x * 4 + seed * 40) & 255;
      p.data[i + 1] = (y * 5 + seed * 20) & 255;
      p.data[i + 2] = (x + y + seed * 60) & 255;
      p.data[i + 3] = 255;
    }
  }
  if (block) {
    const [bx, by, bw, bh] = block;
    for (let y = by; y < by + bh; y++) for (let x = bx; x < bx + bw; x++) p.data.fill(255, (y * 64 + x) * 4, (y * 64 + x) * 4 + 3);
  }
  return PNG.sync.write(p);
}

/** safetensors: 8-byte header length, JSON header, tensor bytes. */
function safetensors(tensors) {
  const header = { __metadata__: { format: 'pt' } };
  const parts = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = Buffer.alloc(t.shape.reduce((n, d) => n * d, 1) * (t.dtype === 'F16' ? 2 : 4), t.fill);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, Buffer.from(json), ...parts]);
}

let env;
let page;
let shot;

/** Fill a quick input (input box or quick pick) and accept it. */
async function answer(text) {
  const input = page.locator('.quick-input-widget input.input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.waitForTimeout(150);
  await input.press('Enter');
}

/** The compare view's page (the visible webview). */
function view() {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** A screenshot of the step; with UPDATE_DOCS_IMAGES=1 also the README's picture `docName`. */
async function docShot(step, docName) {
  const file = await shot(step);
  if (process.env.UPDATE_DOCS_IMAGES === '1' && docName) copyFileSync(file, path.join(h.REPO_ROOT, 'docs', 'images', docName));
}

async function compare(a, b) {
  await h.runCommand(page, 'Artifacts: Compare Versions');
  await answer(a);
  await answer(b);
  await view().locator('.summary', { hasText: /added/ }).waitFor({ timeout: 30_000 });
}

/** Clicks a changed file and waits until its content diff is on show. */
async function openContent(filePath, kind) {
  await view().locator('.rows .row', { hasText: filePath }).first().click();
  await view().locator(`.content-body[data-kind="${kind}"]`).waitFor({ timeout: 30_000 });
  await view().locator('.content-title', { hasText: filePath }).waitFor();
}

/** Moves a slider as a drag would: sets its value and fires `input`. */
async function setRange(locator, value) {
  await locator.evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

const countOf = async (locator) => Number((await locator.textContent()).replace(/[^\d]/g, ''));

beforeAll(async () => {
  write(dataDir, {
    'catalog/items.csv': itemsCsv(0),
    'catalog/config.json': JSON.stringify({ training: { lr: 0.001, epochs: 10, optimizer: 'adam' }, labels: ['tools', 'garden', 'kitchen'] }, null, 2),
    'catalog/params.yaml': 'seed: 1\nsplit:\n  train: 0.8\n  test: 0.2\n',
    'catalog/model.safetensors': safetensors({ 'embed.weight': { dtype: 'F32', shape: [100, 16], fill: 1 }, 'head.weight': { dtype: 'F32', shape: [4, 16], fill: 2 }, 'head.bias': { dtype: 'F32', shape: [4], fill: 0 } }),
    'catalog/README.md': '# catalog\n',
  });
  const longNote = 'Prices were re-imported from the supplier feed after the currency fix. '.repeat(3).trim();
  cli('log', path.join(dataDir, 'catalog'), '--name', 'catalog', '--type', 'dataset', '--alias', 'raw', '--tag', 'import',
    '--description', 'First import', '--metadata', JSON.stringify({ accuracy: 0.91, rows: 200, source: { url: 's3://shop/2024-05' } }));
  write(dataDir, {
    'catalog/items.csv': itemsCsv(1),
    'catalog/config.json': JSON.stringify({ training: { lr: 0.0005, epochs: 12, optimizer: 'adam', warmup: 100 }, labels: ['tools', 'garden', 'kitchen', 'toys'] }, null, 2),
    'catalog/params.yaml': 'seed: 2\nsplit:\n  train: 0.9\n  test: 0.1\n',
    'catalog/model.safetensors': safetensors({ 'embed.weight': { dtype: 'F32', shape: [120, 16], fill: 1 }, 'head.weight': { dtype: 'F32', shape: [4, 16], fill: 3 }, 'head.bias': { dtype: 'F32', shape: [4], fill: 0 }, 'norm.weight': { dtype: 'F16', shape: [16], fill: 1 } }),
  });
  cli('log', path.join(dataDir, 'catalog'), '--name', 'catalog', '--type', 'dataset', '--alias', 'prices-fixed', '--tag', 'import', '--tag', 'reviewed',
    '--description', 'Second import with the prices fixed', '--metadata', JSON.stringify({ accuracy: 0.935, rows: 202, source: { url: 's3://shop/2024-06' }, notes: longNote }));
  cli('ttl', 'catalog:v1', '30d');

  const photos = { 'cat-1.png': png(1), 'cat-2.png': png(2), 'dog-3.png': png(3), 'dog-4.png': png(4), 'fox-5.png': png(5), 'fox-6.png': png(6) };
  write(path.join(dataDir, 'photos'), photos);
  cli('log', path.join(dataDir, 'photos'), '--name', 'photos', '--type', 'dataset');
  // v1: 120 pixels of cat-1 and 35 of cat-2 painted over, dog-3 removed, bird-7 added.
  write(path.join(dataDir, 'photos'), { 'cat-1.png': png(1, [20, 10, 12, 10]), 'cat-2.png': png(2, [40, 30, 5, 7]), 'bird-7.png': png(7) });
  rmSync(path.join(dataDir, 'photos', 'dog-3.png'));
  cli('log', path.join(dataDir, 'photos'), '--name', 'photos', '--type', 'dataset');

  env = await h.launch({
    vsix: VSIX,
    prefix: 'content-diff',
    env: { ARTIFACTS_REGISTRY: registry },
    settings: { 'artifacts.entity': 'e2e', 'artifacts.project': 'shop' },
    files: { 'README.md': '# shop\n' },
  });
  page = env.page;
  shot = env.shot;
  await h.dismissStartupNoise(page);
  // The extension's contributions are in once its Activity Bar item is.
  await h.activityBarItem(page, 'Artifacts').waitFor({ state: 'visible', timeout: 60_000 });
  // The compare view gets the whole window: the pictures are for the README.
  await h.runCommand(page, 'View: Close Primary Side Bar');
}, 300_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && shot) await shot(`failed-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await env?.dispose();
  rmSync(registry, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the compare view shows what changed inside two versions', () => {
  it('shows the metadata, description, aliases, tags and TTL that changed, with deltas', async () => {
    await compare('catalog:v0', 'catalog:v1');
    const v = view();
    expect(await v.locator('.summary').textContent()).toMatch(/0 added · 0 removed · 4 modified · 1 unchanged/);
    const details = v.locator('.metadata-details');
    await details.waitFor();
    const rows = await details.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    const byKey = Object.fromEntries(rows.map((r) => [r[1], r]));
    expect(byKey.accuracy.slice(2)).toEqual(['0.91', '0.935 (+0.025)']);
    expect(byKey.rows.slice(2)).toEqual(['200', '202 (+2)']);
    expect(byKey['source.url'].slice(2)).toEqual(['"s3://shop/2024-05"', '"s3://shop/2024-06"']);
    expect(byKey.notes[0]).toBe('+');
    expect(byKey.Description.slice(2)).toEqual(['"First import"', '"Second import with the prices fixed"']);
    expect(byKey.Aliases[2]).toBe('−raw');
    expect(byKey.Aliases[3].split(/\s+/).sort()).toEqual(['+latest', '+prices-fixed']);
    expect(byKey.Tags.slice(2)).toEqual(['', '+reviewed']);
    expect(byKey['Time to live'].slice(2)).toEqual(['inherit', '30d']);
    // The long note is collapsed behind a preview.
    expect(await details.locator('details.value').count()).toBe(1);
    // Signs take the theme's diff colours.
    const colour = await details.locator('.sign.added').first().evaluate((el) => getComputedStyle(el).color);
    const themeAdded = await details.locator('.sign.added').first().evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-gitDecoration-addedResourceForeground').trim());
    expect(themeAdded).not.toBe('');
    expect(colour).not.toBe(await details.evaluate((el) => getComputedStyle(el).color));
    await docShot('01-metadata', 'compare-metadata.png');
  });

  it('shows a table diff: row counts, schema, column statistics and the changed rows from the worker', async () => {
    await openContent('items.csv', 'table');
    const v = view();
    const chip = (k) => v.locator(`.count-chip[data-count="${k}"] .n`);
    expect(await countOf(chip('added'))).toBe(5);
    expect(await countOf(chip('removed'))).toBe(3);
    expect(await countOf(chip('changed'))).toBe(7);
    expect(await countOf(chip('unchanged'))).toBe(190);
    expect(await v.locator('.row-counts').textContent()).toMatch(/CSV · 200 → 202 rows \(\+2\)/);
    expect(await v.locator('.key-select').inputValue()).toBe('id');
    expect(await v.locator('.match').textContent()).toMatch(/\(guessed\)/);
    expect(await v.locator('ul.schema').textContent()).toMatch(/added in_stock \(string\)/);
    const stats = await v.locator('table.stats tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    expect(stats.find((r) => r[0] === 'price')[1]).toBe('200 → 202 (+2)');
    // The changed rows come in windows from the worker: changed first, then added, then removed.
    await v.locator('.crows .crow').first().waitFor();
    expect(await v.locator('.content-body .controls .count').textContent()).toBe('15 rows');
    const rows = await v.locator('.crows .crow').evaluateAll((els) => els.map((e) => [e.dataset.status, e.querySelector('.c-key').textContent]));
    expect(rows.slice(0, 8)).toEqual([['changed', '1'], ['changed', '2'], ['changed', '3'], ['changed', '4'], ['changed', '5'], ['changed', '6'], ['changed', '7'], ['added', '201']]);
    expect(rows.slice(-3)).toEqual([['removed', '10'], ['removed', '20'], ['removed', '30']]);
    expect(await v.locator('.crows .crow[data-status="changed"] .changed-cell').first().textContent()).toBe('3.70 → 8.70');
    await docShot('02-table', 'compare-table.png');

    // Only the removed rows.
    await v.locator('.rows-status').selectOption('removed');
    await expect.poll(() => v.locator('.crows .crow').count()).toBe(3);
    // Matching by whole rows instead: the 7 price changes become 7 removed + 7 added.
    await v.locator('.key-select').selectOption({ label: 'the whole row' });
    await v.locator('.notice', { hasText: 'matched by their whole content' }).waitFor({ timeout: 30_000 });
    expect(await countOf(chip('added'))).toBe(12);
    expect(await countOf(chip('removed'))).toBe(10);
    expect(await countOf(chip('changed'))).toBe(0);

    // The text of the table still opens in VS Code's own diff editor.
    await v.locator('.open-text-diff').click();
    const diffEditor = page.locator('.monaco-diff-editor').first();
    await diffEditor.waitFor({ state: 'visible', timeout: 20_000 });
    await diffEditor.locator('.editor.modified .view-lines', { hasText: 'in_stock' }).waitFor({ timeout: 20_000 });
    await h.runCommand(page, 'View: Close Editor');
  });

  it('shows JSON and YAML by key path, with arrays summarized', async () => {
    await openContent('config.json', 'structured');
    const v = view();
    expect(await v.locator('.structured-counts').textContent()).toBe('JSON · 2 added, 0 removed, 2 changed');
    const rows = await v.locator('.content-body table.changes tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    expect(rows).toEqual([
      ['~', 'training.lr', '0.001', '0.0005 (−0.0005)'],
      ['~', 'training.epochs', '10', '12 (+2)'],
      ['+', 'training.warmup', '(absent)', '100'],
      ['+', 'labels[3]', '(absent)', '"toys"'],
    ]);
    expect(await v.locator('ul.arrays').textContent()).toBe('labels: 3 → 4 elements, 1 changed');
    await docShot('03-json', 'compare-json.png');
    await openContent('params.yaml', 'structured');
    expect(await v.locator('.structured-counts').textContent()).toBe('YAML · 0 added, 0 removed, 3 changed');
  });

  it('shows model weights: tensors added, reshaped, with other values, and parameter counts', async () => {
    await openContent('model.safetensors', 'weights');
    const v = view();
    expect(await v.locator('.tensor-counts').textContent()).toBe('safetensors · 3 → 4 tensors');
    expect(await v.locator('.parameter-counts').textContent()).toBe('parameters 1,668 → 2,004 (+336)');
    const sections = await v.locator('.block').evaluateAll((els) => els.map((e) => [e.querySelector('h3').textContent, e.querySelector('tbody, ul').textContent.replace(/\s+/g, ' ').trim()]));
    expect(sections).toEqual([
      ['Tensors added', 'norm.weightF16[16]16'],
      ['Tensors changed in shape or dtype', 'embed.weightF32 [100, 16]F32 [120, 16]'],
      ['Same shape and dtype, other values', 'head.weight'],
    ]);
    await docShot('04-weights', 'compare-weights.png');
    await h.runCommand(page, 'View: Close All Editors');
  });

  it('shows the changed images of a folder as a grid, and one image side by side, swiped, onion-skinned and as a difference', async () => {
    await compare('photos:v0', 'photos:v1');
    const v = view();
    // Every changed file is an image: the grid opens by itself.
    await v.locator('.content-body[data-kind="imageFolder"]').waitFor({ timeout: 30_000 });
    expect(await v.locator('.grid-counts').textContent()).toBe('2 changed · 1 added · 1 removed');
    const cards = await v.locator('.card').evaluateAll((els) => els.map((e) => [e.dataset.path, e.querySelector('.card-stat').textContent]));
    expect(cards).toEqual([
      ['bird-7.png', 'added'],
      ['cat-1.png', '120 pixels changed (3.91%)'],
      ['cat-2.png', '35 pixels changed (1.14%)'],
      ['dog-3.png', 'removed'],
    ]);
    // Thumbnails load from the panel's own folder through the webview's resource origin.
    await expect.poll(() => v.locator('.card img').evaluateAll((imgs) => imgs.every((i) => i.complete && i.naturalWidth > 0))).toBe(true);
    expect(await v.locator('.card img').count()).toBe(6);
    await docShot('05-image-grid', 'compare-image-grid.png');

    await v.locator('.card[data-path="cat-1.png"]').click();
    await v.locator('.content-body[data-kind="image"]').waitFor({ timeout: 30_000 });
    const stat = v.locator('[data-stat="changed-pixels"]');
    expect(await stat.getAttribute('data-value')).toBe('120');
    expect(await stat.textContent()).toBe('120 of 3,072 pixels changed (3.91%)');
    expect(await v.locator('.facts').textContent()).toMatch(/within x 20, y 10, 12×10/);
    await expect.poll(() => v.locator('.side-by-side img').evaluateAll((imgs) => imgs.map((i) => i.naturalWidth))).toEqual([64, 64]);
    await shot('06-image-side-by-side');
    await v.locator('.modes button', { hasText: 'Swipe' }).click();
    await setRange(v.locator('.image-controls input[type=range]'), 30);
    expect(await v.locator('.after-layer').evaluate((el) => el.style.clipPath)).toBe('inset(0px 0px 0px 30%)');
    await shot('07-image-swipe');
    await v.locator('.modes button', { hasText: 'Onion skin' }).click();
    await setRange(v.locator('.image-controls input[type=range]'), 80);
    expect(await v.locator('.after-layer').evaluate((el) => el.style.opacity)).toBe('0.8');
    await shot('08-image-onion-skin');
    await v.locator('.modes button', { hasText: 'Difference' }).click();
    await expect.poll(() => v.locator('.mask-layer img').evaluate((i) => i.complete && i.naturalWidth)).toBe(64);
    await docShot('09-image-difference', 'compare-image.png');
    await h.runCommand(page, 'View: Close All Editors');
  });

  it('compares a version with a folder of the workspace', async () => {
    const root = path.join(env.dirs.workspace, 'artifacts', 'catalog-v1');
    cli('download', 'catalog:v1', '--root', root);
    const csv = readFileSync(path.join(root, 'items.csv'), 'utf8').replace('\n11,product 11,', '\n11,product eleven,').replace('\n12,product 12,', '\n12,product twelve,');
    writeFileSync(path.join(root, 'items.csv'), csv);
    await h.runCommand(page, 'Artifacts: Compare Version with Folder…');
    await answer('catalog:v1');
    await answer('artifacts/catalog-v1');
    const v = view();
    await v.locator('.summary', { hasText: /modified/ }).waitFor({ timeout: 30_000 });
    expect(await v.locator('.summary').textContent()).toMatch(/0 added · 0 removed · 1 modified · 4 unchanged/);
    expect(await v.locator('.metadata-same').textContent()).toMatch(/A folder has no metadata/);
    await openContent('items.csv', 'table');
    expect(await countOf(v.locator('.count-chip[data-count="changed"] .n'))).toBe(2);
    expect(await countOf(v.locator('.count-chip[data-count="unchanged"] .n'))).toBe(200);
    expect(await v.locator('.rows-column option').allTextContents()).toEqual(['Any column', 'name changed (2)']);
    await shot('10-version-vs-folder');
    await h.runCommand(page, 'View: Close All Editors');
  });
});
