// End-to-end: the extension in Japanese. code-server starts with --locale ja and a language pack
// for ja is installed (a fixture with no translations of VS Code's own UI); VS Code then takes
// package.nls.ja.json for the contributions and l10n/bundle.l10n.ja.json for vscode.l10n.t, and the
// diff page gets its words from the host. Checked: the Registry view's title, a version's tooltip,
// a command in the palette, and the compare view's header.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const parent = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-ja-'));
const registry = path.join(parent, 'registry');

function cli(...args) {
  return execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'e2e', ...args], { encoding: 'utf8' });
}

function write(files) {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(parent, 'data', rel)), { recursive: true });
    writeFileSync(path.join(parent, 'data', rel), content);
  }
}

/** The fixture language pack as a .vsix (VS Code runs in a language only when a pack for it is installed). */
function languagePack() {
  const dir = path.join(parent, 'language-pack-ja');
  cpSync(path.join(h.REPO_ROOT, 'test', 'e2e', 'fixtures', 'language-pack-ja'), dir, { recursive: true });
  const out = path.join(parent, 'language-pack-ja.vsix');
  const vsce = path.join(h.REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: dir, stdio: 'ignore' });
  return out;
}

let env;

beforeAll(async () => {
  write({ 'a.txt': 'one', 'b.txt': 'two' });
  cli('log', path.join(parent, 'data'), '--name', 'animals', '--type', 'dataset');
  write({ 'b.txt': 'two, changed', 'c.txt': 'three' });
  cli('log', path.join(parent, 'data'), '--name', 'animals', '--type', 'dataset');
  env = await h.launch({
    vsix: VSIX, extraVsix: [languagePack()], prefix: 'l10n-ja', args: ['--locale', 'ja'],
    env: { ARTIFACTS_REGISTRY: registry }, settings: { 'artifacts.entity': 'e2e' },
  });
  await h.dismissStartupNoise(env.page);
}, 300_000);

afterAll(async () => {
  await env?.dispose();
  rmSync(parent, { recursive: true, force: true });
});

describe('the extension with VS Code in Japanese', () => {
  it('titles its view, tooltips and palette commands in Japanese', async () => {
    const { page, shot } = env;
    await h.clickActivityBarItem(page, 'Artifacts');
    // The Registry view's title (package.nls.ja.json).
    await h.viewPane(page, 'レジストリ').waitFor({ state: 'visible', timeout: 20_000 });
    for (const label of ['uncategorized', 'animals']) {
      const row = h.treeRow(page, 'レジストリ', label);
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    // A version's tooltip (the tree model's l10n.t through the Japanese bundle).
    const version = h.treeRow(page, 'レジストリ', 'v1');
    await version.waitFor({ state: 'visible', timeout: 20_000 });
    await version.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'e2e/uncategorized/animals:v1' }).first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    const tooltip = await hover.innerText();
    expect(tooltip).toContain('ダイジェスト');
    expect(tooltip).toContain('3 ファイル、');
    expect(tooltip).not.toMatch(/\bfiles\b|\bcreated\b|\bdigest\b/);
    await shot('01-tree-tooltip');
    // A palette command: its title and category as VS Code shows them.
    const input = await h.openQuickInput(page, '>');
    await input.fill('>バージョンを比較');
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'バージョンを比較' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await row.innerText()).toContain('Artifacts: バージョンを比較');
    await shot('02-palette');
    await h.escapeAll(page);
  });

  it('opens the compare view with its header in Japanese', async () => {
    const { page, shot } = env;
    await h.runCommand(page, 'Artifacts: バージョンを比較');
    for (const answer of ['animals:v0', 'animals:v1']) {
      const box = page.locator('.quick-input-widget input.input').first();
      await box.waitFor({ state: 'visible' });
      await box.fill(answer);
      await page.waitForTimeout(150);
      await box.press('Enter');
    }
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const summary = frame.locator('.summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toMatch(/追加 1 件 · 削除 0 件 · 変更 1 件 · 変更なし 1 件/);
    expect(await summary.textContent()).not.toMatch(/added|removed|modified/);
    await shot('03-compare-view');
  });
});
