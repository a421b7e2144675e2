// End-to-end: a folder downloaded by the CLI is tracked (.artifact.json); in the real VS Code its
// edited file shows under Modified in Source Control (with the gutter's quick diff), the input box
// commits it as the next version, and the new version appears in the Registry tree and in the
// status bar. Screenshots: test-results/e2e/tracked-folders/; with UPDATE_DOCS_IMAGES=1 the
// README's picture docs/images/tracked-folder-scm.png is replaced by this run's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const parent = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-tracked-'));
const registry = path.join(parent, 'registry');

function cli(...args) {
  return execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'e2e', '--project', 'vision', ...args], { encoding: 'utf8' }).trim();
}

let env;
let page;
let shot;
let folder;

async function docShot(step, docName) {
  const file = await shot(step);
  if (process.env.UPDATE_DOCS_IMAGES === '1' && docName) copyFileSync(file, path.join(h.REPO_ROOT, 'docs', 'images', docName));
}

beforeAll(async () => {
  const data = path.join(parent, 'data');
  mkdirSync(path.join(data, 'images'), { recursive: true });
  writeFileSync(path.join(data, 'train.csv'), 'id,label\n1,cat\n2,dog\n3,bird\n');
  writeFileSync(path.join(data, 'test.csv'), 'id,label\n4,fish\n');
  writeFileSync(path.join(data, 'README.md'), '# mnist\n\nA small labelled set.\n');
  cli('log', data, '--name', 'mnist', '--type', 'dataset', '--alias', 'raw');
  env = await h.launch({
    vsix: VSIX,
    prefix: 'tracked-folders',
    env: { ARTIFACTS_REGISTRY: registry },
    settings: { 'artifacts.entity': 'e2e', 'artifacts.project': 'vision', 'scm.diffDecorations': 'all' },
    files: { 'notes.md': '# notes\n' },
  });
  ({ page, shot } = env);
  await h.dismissStartupNoise(page);
  // Downloaded by the CLI into the open workspace: the folder tracks mnist:v0.
  folder = path.join(env.dirs.workspace, 'mnist');
  cli('download', 'mnist:v0', '--root', folder);
}, 300_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && shot) await shot(`failed-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await env?.dispose();
  rmSync(parent, { recursive: true, force: true });
});

const scm = () => page.locator('.part.sidebar');
const scmRow = (label) => scm().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();

describe('a tracked folder in Source Control', () => {
  it('shows an edited file under Modified, with the gutter diff and the tracked version in the status bar', async () => {
    expect(JSON.parse(readFileSync(path.join(folder, '.artifact.json'), 'utf8'))).toMatchObject({ collection: 'mnist', version: 'v0' });
    await h.clickActivityBarItem(page, 'Artifacts'); // activates the extension, which finds the tracked folder
    await h.treeRow(page, 'Registry', 'vision').waitFor({ state: 'visible', timeout: 30_000 });
    await h.openFile(page, 'mnist/train.csv');
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'mnist:v0' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // Edit in the editor and save.
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('4,horse\n');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.type(',source');
    await page.keyboard.press('Control+S');
    await h.clickActivityBarItem(page, 'Source Control');
    await scmRow('train.csv').waitFor({ state: 'visible', timeout: 30_000 });
    const all = await scm().locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.textContent.trim()));
    const rows = all.slice(all.findIndex((r) => r.startsWith('Modified'))); // after the input box: the group, then its one file
    expect(rows).toEqual([expect.stringMatching(/^Modified/), expect.stringMatching(/^train\.csv/)]);
    // The gutter: quick diff against the stored file.
    await page.locator('.editor-instance .monaco-editor .dirty-diff-glyph, .editor-instance .monaco-editor [class*="dirty-diff-modified"], .editor-instance .monaco-editor [class*="dirty-diff-added"]').first().waitFor({ state: 'attached', timeout: 20_000 });
    // The status bar item of the editor's folder says that it differs (its warning colours: the picture).
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'mnist:v0*' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.mouse.move(900, 600); // no hover tooltip in the picture
    await page.waitForTimeout(500);
    await docShot('01-modified', 'tracked-folder-scm.png');
  });

  it('opens the change in the diff editor against the stored file', async () => {
    await scmRow('train.csv').click();
    await page.locator('.editor-instance .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('.tabs-container .tab', { hasText: 'train.csv (mnist:v0 ↔ folder)' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await shot('02-diff-editor');
  });

  it('commits the folder as mnist:v1 from the input box, and the tree shows the new version', async () => {
    const input = scm().locator('.scm-editor .monaco-editor, .scm-input .monaco-editor').first();
    await input.click();
    await page.keyboard.type('horses and a source column');
    await page.keyboard.press('Control+Enter');
    // Aliases, asked as a log asks them.
    const box = page.locator('.quick-input-widget input.input, .quick-input-widget .quick-input-box input').first();
    await box.waitFor({ state: 'visible', timeout: 20_000 });
    await box.fill('edited');
    await box.press('Enter');
    await h.waitForNotification(page, 'Logged e2e/vision/mnist:v1', { timeoutMs: 60_000 });
    expect(JSON.parse(readFileSync(path.join(folder, '.artifact.json'), 'utf8'))).toMatchObject({ version: 'v1' });
    const shown = JSON.parse(cli('show', 'mnist:edited', '--json'));
    expect(shown).toMatchObject({ version: 'v1', description: 'horses and a source column', aliases: ['latest', 'edited'] });
    // The tree revealed the new version; Source Control is clean; the status bar tracks v1.
    await h.clickActivityBarItem(page, 'Artifacts');
    await h.treeRow(page, 'Registry', /^v1$/).waitFor({ state: 'visible', timeout: 30_000 });
    const tree = await h.readTree(page, 'Registry');
    expect(tree.map((r) => r.label)).toEqual(expect.arrayContaining(['v1', 'v0']));
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'mnist:v1' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await shot('03-committed');
    await h.clickActivityBarItem(page, 'Source Control');
    await scmRow('train.csv').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('discards a change to one file (restored from the version), and switches the folder to another version', async () => {
    // Changed outside the editor: the watcher sees it.
    writeFileSync(path.join(folder, 'test.csv'), 'id,label\n4,shark\n');
    await h.clickActivityBarItem(page, 'Source Control');
    const row = scmRow('test.csv');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="Discard Changes"]').first().click();
    await h.clickDialogButton(page, 'Discard the changes to test.csv', 'Discard Changes');
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    expect(readFileSync(path.join(folder, 'test.csv'), 'utf8')).toBe('id,label\n4,fish\n');
    await shot('04-discarded');
    // Switch Version…: v0 again (the file edited for v1 goes back to v0's bytes).
    await h.runCommand(page, 'Artifacts: Switch Version…');
    const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'v0' }).first();
    await pick.waitFor({ state: 'visible', timeout: 20_000 });
    await pick.click(); // the folder is clean (nothing of the user's to lose): no modal
    await expect.poll(() => h.statusBarItems(page), { timeout: 30_000 }).toContain('mnist:v0');
    expect(JSON.parse(readFileSync(path.join(folder, '.artifact.json'), 'utf8'))).toMatchObject({ version: 'v0' });
    expect(readFileSync(path.join(folder, 'train.csv'), 'utf8')).toBe('id,label\n1,cat\n2,dog\n3,bird\n');
    await shot('05-switched');
  });
});
