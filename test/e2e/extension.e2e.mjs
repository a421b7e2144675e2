// End-to-end: the packaged extension in a real VS Code (code-server) driven by Chromium.
// Versions are logged with the CLI first; the test then browses, stages, commits, diffs and
// verifies through the UI, and checks every result against the registry on disk.
// Screenshots of each step: test-results/e2e/extension/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const registry = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-registry-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-data-'));

function cli(...args) {
  return execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'e2e', '--project', 'vision', ...args], { encoding: 'utf8' }).trim();
}

function write(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
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

/** The rows of the Artifacts registry tree: [{label, description, level}]. */
async function registryRows() {
  return h.readTree(page, 'Registry');
}

async function expandRow(view, label) {
  const row = h.treeRow(page, view, label);
  await row.waitFor({ state: 'visible' });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  await page.waitForTimeout(300);
}

beforeAll(async () => {
  // Two versions of a dataset and a model, logged by the CLI (no download).
  write(dataDir, { 'animals/train.csv': 'id,label\n1,cat\n2,dog\n', 'animals/test.csv': 'id,label\n3,bird\n', 'animals/README.md': '# animals\n' });
  cli('log', path.join(dataDir, 'animals'), '--name', 'animals', '--type', 'dataset', '--alias', 'raw');
  write(dataDir, { 'animals/train.csv': 'id,label\n1,cat\n2,dog\n4,cow\n', 'animals/labels.json': '{"cat":0}\n' });
  rmSync(path.join(dataDir, 'animals', 'README.md'));
  cli('log', path.join(dataDir, 'animals'), '--name', 'animals', '--type', 'dataset', '--alias', 'best');
  write(dataDir, { 'model/weights.bin': 'weights' });
  cli('log', path.join(dataDir, 'model'), '--name', 'classifier', '--type', 'model');

  env = await h.launch({
    vsix: VSIX,
    prefix: 'extension',
    env: { ARTIFACTS_REGISTRY: registry },
    settings: { 'artifacts.entity': 'e2e', 'artifacts.project': 'vision' },
    files: { 'incoming/a.csv': 'x,y\n1,2\n', 'incoming/sub/b.csv': 'x,y\n3,4\n', 'notes.md': '# notes\n' },
  });
  page = env.page;
  shot = env.shot;
  await h.dismissStartupNoise(page);
}, 300_000);

// A failed step leaves a picture of the window next to the step screenshots.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && shot) await shot(`failed-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await env?.dispose();
  rmSync(registry, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Artifacts extension in VS Code', () => {
  it('shows the registry in the Activity Bar container and expands to a version’s files', async () => {
    await h.clickActivityBarItem(page, 'Artifacts');
    await h.treeRow(page, 'Registry', 'vision').waitFor({ state: 'visible', timeout: 60_000 });
    await expandRow('Registry', 'vision');
    await h.treeRow(page, 'Registry', 'animals').waitFor({ state: 'visible' });
    let rows = await registryRows();
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining([registry, 'vision', 'dataset', 'animals', 'model', 'classifier']));
    await expandRow('Registry', 'animals');
    await h.treeRow(page, 'Registry', 'v1').waitFor({ state: 'visible' });
    rows = await registryRows();
    const v1 = rows.find((r) => r.label === 'v1');
    const v0 = rows.find((r) => r.label === 'v0');
    expect(v1.description).toMatch(/latest, best/);
    expect(v0.description).toMatch(/raw/);
    await expandRow('Registry', 'v1');
    await h.treeRow(page, 'Registry', 'labels.json').waitFor({ state: 'visible' });
    rows = await registryRows();
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining(['labels.json', 'test.csv', 'train.csv']));
    expect(rows.map((r) => r.label)).not.toContain('README.md');
    await shot('01-registry-tree');
  });

  it('stages a workspace folder from the Explorer context menu and commits it', async () => {
    const folder = await h.explorerItem(page, 'incoming');
    const items = await h.openContextMenu(page, folder);
    expect(items).toContain('Add to Draft Artifact…');
    await shot('02-explorer-context-menu');
    await h.clickContextMenuItem(page, 'Add to Draft Artifact…');
    await answer('incoming-data'); // no draft yet: the name of a new one
    await answer('dataset'); // its type
    await answer(''); // contents at the root
    await h.waitForNotification(page, /Staged 1 item in the draft incoming-data/);
    await h.clickActivityBarItem(page, 'Artifacts');
    await h.treeRow(page, 'Drafts', 'incoming-data').waitFor({ state: 'visible' });
    await shot('03-draft-staged');

    await h.runCommand(page, 'Artifacts: Commit Draft…');
    await answer('incoming-data'); // which draft
    await answer('first'); // aliases
    await answer('from e2e'); // tags
    await answer('Staged from the Explorer'); // description
    await answer('{"rows": 2}'); // metadata
    await h.waitForNotification(page, /Logged e2e\/vision\/incoming-data:v0 \(2 files\)/, { timeoutMs: 60_000 });
    await shot('04-committed');
    const show = JSON.parse(cli('show', 'incoming-data:first', '--json'));
    expect(show).toMatchObject({ version: 'v0', fileCount: 2, tags: ['from e2e'], description: 'Staged from the Explorer', metadata: { rows: 2 } });
    const manifest = JSON.parse(cli('manifest', 'incoming-data:v0'));
    expect(Object.keys(manifest.contents).sort()).toEqual(['a.csv', 'sub/b.csv']);
    // The new version shows up in the tree.
    await h.treeRow(page, 'Registry', 'incoming-data').waitFor({ state: 'visible', timeout: 20_000 });
  });

  it('picks up a version logged by the CLI while the window is open', async () => {
    write(dataDir, { 'late/x.txt': 'late' });
    cli('log', path.join(dataDir, 'late'), '--name', 'late-arrival', '--type', 'dataset');
    await h.treeRow(page, 'Registry', 'late-arrival').waitFor({ state: 'visible', timeout: 15_000 });
  });

  it('opens the diff of two versions and renders its rows', async () => {
    await h.runCommand(page, 'Artifacts: Compare Versions');
    await answer('animals:v0');
    await answer('animals:v1');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('.summary', { hasText: /added/ }).waitFor({ timeout: 30_000 });
    const summary = await frame.locator('.summary').textContent();
    expect(summary).toMatch(/1 added · 1 removed · 1 modified · 1 unchanged/);
    const rows = await frame.locator('.rows .row').evaluateAll((els) => els.map((e) => [e.querySelector('.badge').textContent, e.querySelector('.path').textContent]));
    // Sorted by path in code-point order, as W&B sorts manifests: upper case first.
    expect(rows).toEqual([
      ['D', 'README.md'],
      ['A', 'labels.json'],
      ['M', 'train.csv'],
    ]);
    const diffView = await shot('05-diff-view');
    // The README's picture of the diff view, when asked for (as test/e2e/content-diff.e2e.mjs does).
    if (process.env.UPDATE_DOCS_IMAGES === '1') copyFileSync(diffView, path.join(h.REPO_ROOT, 'docs', 'images', 'diff-view.png'));
    await frame.locator('.filter').fill('train');
    await frame.locator('.rows .row').first().waitFor();
    await page.waitForTimeout(400);
    expect(await frame.locator('.rows .row').count()).toBe(1);
    await shot('06-diff-filtered');
    // A modified table shows what changed inside it; its text opens in VS Code's own diff editor.
    await frame.locator('.rows .row', { hasText: 'train.csv' }).click();
    await frame.locator('.content-body[data-kind="table"]').waitFor({ timeout: 30_000 });
    expect(await frame.locator('.count-chip[data-count="added"] .n').textContent()).toBe('1');
    expect(await frame.locator('.count-chip[data-count="unchanged"] .n').textContent()).toBe('2');
    await frame.locator('.open-text-diff').click();
    const diffEditor = page.locator('.monaco-diff-editor').first();
    await diffEditor.waitFor({ state: 'visible', timeout: 20_000 });
    // Both sides come from the store through the artifact: file system.
    await diffEditor.locator('.editor.modified .view-lines', { hasText: '4,cow' }).waitFor({ timeout: 20_000 });
    await diffEditor.locator('.editor.original .view-lines', { hasText: '2,dog' }).waitFor({ timeout: 20_000 });
    await shot('07-file-diff-editor');
    await h.runCommand(page, 'View: Close All Editors');
  });

  it('manages a version from its context menu: adds an alias', async () => {
    await h.clickActivityBarItem(page, 'Artifacts');
    const v0 = h.treeRow(page, 'Registry', /^v0$/);
    await v0.waitFor({ state: 'visible' });
    const items = await h.openContextMenu(page, v0);
    expect(items).toEqual(expect.arrayContaining(['Compare with Previous Version', 'Verify Version Against Folder…', 'Check Out Version into Folder…', 'Add Alias…', 'Set Time to Live…', 'Link into Collection…', 'Copy Reference', 'Show Lineage', 'Delete Version…']));
    await shot('08-version-context-menu');
    await h.clickContextMenuItem(page, 'Add Alias…');
    await answer('golden');
    await expect.poll(() => JSON.parse(cli('show', 'animals:v0', '--json')).aliases, { timeout: 10_000 }).toContain('golden');
    await expect.poll(async () => (await registryRows()).find((r) => r.label === 'v0' && /raw/.test(r.description ?? ''))?.description, { timeout: 10_000 }).toMatch(/golden/);
  });

  it('starts a draft from a version, stages one more file and commits the next version', async () => {
    await h.clickActivityBarItem(page, 'Artifacts');
    const v1 = h.treeRow(page, 'Registry', /^v1$/);
    await h.openContextMenu(page, v1);
    await h.clickContextMenuItem(page, 'New Draft from Version');
    await h.treeRow(page, 'Drafts', 'animals').waitFor({ state: 'visible' });
    const file = await h.explorerItem(page, 'notes.md');
    await h.openContextMenu(page, file);
    await h.clickContextMenuItem(page, 'Add to Draft Artifact…');
    await answer('animals'); // the existing draft
    await answer('docs'); // under docs/
    await h.waitForNotification(page, /Staged 1 item in the draft animals/);
    await h.clickActivityBarItem(page, 'Artifacts');
    await shot('09-draft-from-version');
    await h.runCommand(page, 'Artifacts: Commit Draft…');
    await answer('animals');
    for (let i = 0; i < 4; i++) await answer(''); // no aliases, tags, description or metadata
    await h.waitForNotification(page, /Logged e2e\/vision\/animals:v2 \(4 files\)/, { timeoutMs: 30_000 });
    const manifest = JSON.parse(cli('manifest', 'animals:v2'));
    expect(Object.keys(manifest.contents).sort()).toEqual(['docs/notes.md', 'labels.json', 'test.csv', 'train.csv']);
  });

  it('checks out a version after listing, in a modal, the files it will delete', async () => {
    const root = path.join(env.dirs.workspace, 'artifacts', 'animals-v0');
    write(root, { 'mine.txt': 'precious?', 'train.csv': 'stale\n' });
    await h.runCommand(page, 'Artifacts: Check Out Version into Folder…');
    await answer('animals:v0');
    await answer('artifacts/animals-v0');
    const dialog = await h.waitForDialog(page, /Check out e2e\/vision\/animals:v0/);
    expect(await dialog.textContent()).toMatch(/This file is not in the version and will be deleted:\s*• mine\.txt/);
    await shot('10-checkout-modal');
    await h.clickDialogButton(page, /Check out/, 'Delete 1 File and Check Out');
    await h.waitForNotification(page, /is now e2e\/vision\/animals:v0: 3 written, 1 deleted/, { timeoutMs: 30_000 });
    expect(existsSync(path.join(root, 'mine.txt'))).toBe(false);
    expect(readFileSync(path.join(root, 'train.csv'), 'utf8')).toBe('id,label\n1,cat\n2,dog\n');
    expect(JSON.parse(cli('verify', 'animals:v0', '--root', root, '--json')).ok).toBe(true);
  });

  it('verifies a folder after a file changed and marks it modified', async () => {
    const root = path.join(env.dirs.workspace, 'artifacts', 'animals-v1');
    cli('download', 'animals:v1', '--root', root);
    writeFileSync(path.join(root, 'train.csv'), 'tampered\n');
    await h.runCommand(page, 'Artifacts: Verify Version Against Folder…');
    await answer('animals:v1');
    await answer('artifacts/animals-v1');
    await h.waitForNotification(page, /differs from e2e\/vision\/animals:v1: 1 modified, 0 missing, 0 not in the version/, { timeoutMs: 30_000 });
    await h.treeRow(page, 'Verification', 'train.csv').waitFor({ state: 'visible' });
    const rows = await h.readTree(page, 'Verification');
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining(['Modified', 'train.csv']));
    await shot('11-verification-view');
    // The Explorer marks the file.
    await h.explorerItem(page, 'artifacts');
    await expandRow(undefined, 'artifacts');
    await expandRow(undefined, 'animals-v1');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.csv' }).first();
    await file.waitFor({ state: 'visible' });
    await expect.poll(() => file.evaluate((el) => el.outerHTML)).toMatch(/Modified: differs from e2e\/vision\/animals:v1/);
    await shot('12-explorer-decoration');
  });

  it('logs a file as a new version in one flow, without a draft', async () => {
    await h.runCommand(page, 'Artifacts: Log Files or Folder as New Version…');
    // VS Code's own file dialog (the simple one in the browser): type the file's path.
    const input = page.locator('.quick-input-widget input.input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill(`${env.dirs.workspace}/`);
    await page.waitForTimeout(800);
    await input.pressSequentially('notes.md', { delay: 50 });
    await page.locator('.quick-input-widget .quick-input-list-row', { hasText: 'notes.md' }).first().waitFor({ state: 'visible' });
    await page.waitForTimeout(500);
    await input.press('Enter');
    // The same widget then asks for the name: wait for its prompt before typing.
    await page.locator('.quick-input-widget', { hasText: 'Artifact name (the collection to log into)' }).waitFor({ state: 'visible' });
    await answer('release-notes'); // the collection
    await answer('dataset'); // a new collection: its type
    await answer('docs'); // aliases
    await answer(''); // tags
    await answer('Logged in one go'); // description
    await answer(''); // metadata
    await h.waitForNotification(page, /Logged e2e\/vision\/release-notes:v0 \(1 file\)/, { timeoutMs: 30_000 });
    const show = JSON.parse(cli('show', 'release-notes:docs', '--json'));
    expect(show).toMatchObject({ version: 'v0', fileCount: 1, description: 'Logged in one go' });
    expect(Object.keys(JSON.parse(cli('manifest', 'release-notes:v0')).contents)).toEqual(['notes.md']);
    await h.treeRow(page, 'Registry', 'release-notes').waitFor({ state: 'visible', timeout: 20_000 });
    await shot('13-logged-in-one-flow');
    // No draft was left behind.
    expect((await h.readTree(page, 'Drafts', { waitForRows: false })).map((r) => r.label)).not.toContain('release-notes');
  });
});
