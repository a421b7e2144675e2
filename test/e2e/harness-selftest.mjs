// Self-test of test/e2e/vscode-harness.mjs: builds a throwaway extension (Activity Bar container,
// tree view, palette command with a notification, Explorer context-menu command) in a temp dir,
// packages it with vsce, installs it into code-server and drives the workbench with Chromium.
//
//   scripts/e2e-tools.sh && node test/e2e/harness-selftest.mjs [--keep] [--headed]
//
// Screenshots are written to test-results/e2e-selftest/ (gitignored). Exit code 0 = pass.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import * as h from './vscode-harness.mjs';

const execFileP = promisify(execFile);
const keep = process.argv.includes('--keep');
const headless = !process.argv.includes('--headed');
const screenshotsDir = path.join(h.REPO_ROOT, 'test-results', 'e2e-selftest');
const t0 = Date.now();
const log = (msg) => console.log(`[selftest +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

const EXT = {
  'package.json': JSON.stringify({
    name: 'harness-selftest',
    displayName: 'Harness Selftest',
    description: 'Throwaway extension used by test/e2e/harness-selftest.mjs',
    version: '0.0.1',
    publisher: 'selftest',
    license: 'MIT',
    engines: { vscode: '^1.90.0' },
    main: './extension.js',
    activationEvents: [],
    contributes: {
      viewsContainers: {
        activitybar: [{ id: 'selftestContainer', title: 'Harness Selftest', icon: 'media/icon.svg' }],
      },
      views: { selftestContainer: [{ id: 'selftest.items', name: 'Selftest Items' }] },
      commands: [
        { command: 'selftest.hello', title: 'Say Hello', category: 'Harness Selftest' },
        { command: 'selftest.fileInfo', title: 'Show File Info', category: 'Harness Selftest' },
        { command: 'selftest.inspect', title: 'Inspect Item', category: 'Harness Selftest', icon: '$(info)' },
        { command: 'selftest.refresh', title: 'Refresh Items', category: 'Harness Selftest', icon: '$(refresh)' },
        { command: 'selftest.confirm', title: 'Confirm Something', category: 'Harness Selftest' },
      ],
      menus: {
        'explorer/context': [{ command: 'selftest.fileInfo', when: '!explorerResourceIsFolder', group: 'navigation@99' }],
        commandPalette: [
          { command: 'selftest.fileInfo', when: 'false' },
          { command: 'selftest.inspect', when: 'false' },
        ],
        'view/title': [{ command: 'selftest.refresh', when: 'view == selftest.items', group: 'navigation' }],
        'view/item/context': [
          { command: 'selftest.inspect', when: 'view == selftest.items && viewItem == leaf', group: 'inline' },
          { command: 'selftest.inspect', when: 'view == selftest.items && viewItem == leaf', group: 'navigation' },
        ],
      },
    },
  }, null, 2),
  'extension.js': `
const vscode = require('vscode');
const path = require('path');
class Item extends vscode.TreeItem {}
exports.activate = (context) => {
  const env = process.env.SELFTEST_VALUE || 'unset';
  const provider = {
    getTreeItem: (e) => e,
    getChildren: (e) => {
      if (!e) {
        const a = new Item('Alpha', vscode.TreeItemCollapsibleState.Expanded);
        a.description = 'env=' + env;
        a.id = 'alpha';
        const b = new Item('Beta', vscode.TreeItemCollapsibleState.None);
        b.id = 'beta';
        b.contextValue = 'leaf';
        return [a, b];
      }
      if (e.id === 'alpha') {
        const c = new Item('Alpha child', vscode.TreeItemCollapsibleState.None);
        c.id = 'alpha/child';
        return [c];
      }
      return [];
    },
  };
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('selftest.items', provider),
    vscode.commands.registerCommand('selftest.hello', () =>
      vscode.window.showInformationMessage('Hello from the harness selftest (env=' + env + ')')),
    vscode.commands.registerCommand('selftest.inspect', (item) =>
      vscode.window.showInformationMessage('Inspect: ' + (item ? item.label : 'none'))),
    vscode.commands.registerCommand('selftest.confirm', async () => {
      const answer = await vscode.window.showWarningMessage('Really do it?', { modal: true, detail: 'Modal detail' }, 'Do It');
      vscode.window.showInformationMessage('Answer: ' + (answer || 'cancelled'));
    }),
    vscode.commands.registerCommand('selftest.refresh', () =>
      vscode.window.showInformationMessage('Refreshed items')),
    vscode.commands.registerCommand('selftest.fileInfo', (uri) =>
      vscode.window.showInformationMessage('File info: ' + (uri ? path.basename(uri.fsPath) : 'none'))),
  );
};
exports.deactivate = () => {};
`,
  'media/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
    + '<rect x="4" y="4" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
  'LICENSE': 'MIT License\n\nThrowaway test extension.\n',
  'README.md': '# Harness Selftest\n\nThrowaway extension for the e2e harness self-test.\n',
};

async function buildVsix(dir) {
  for (const [rel, content] of Object.entries(EXT)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  const vsce = path.join(h.REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const out = path.join(dir, 'harness-selftest.vsix');
  await execFileP(vsce, ['package', '--allow-missing-repository', '--skip-license', '--no-dependencies', '-o', out], {
    cwd: dir, env: { ...process.env, CI: 'true' },
  });
  return out;
}

async function main() {
  await fs.rm(screenshotsDir, { recursive: true, force: true });
  const dirs = await h.makeTempDirs('harness-selftest');
  const extDir = path.join(dirs.root, 'ext');
  log(`temp dir ${dirs.root}`);

  const vsix = await buildVsix(extDir);
  log(`packaged ${path.basename(vsix)}`);

  const installOut = await h.installExtension({ vsix, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
  log(`installed: ${installOut.trim().split('\n').pop()}`);
  const installed = await h.listExtensions(dirs);
  assert.ok(installed.some((s) => s.startsWith('selftest.harness-selftest@0.0.1')), `listed: ${installed}`);

  await fs.writeFile(path.join(dirs.workspace, 'hello.txt'), 'hello\n');
  await fs.mkdir(path.join(dirs.workspace, 'data'), { recursive: true });
  await fs.writeFile(path.join(dirs.workspace, 'data', 'numbers.csv'), 'a,b\n1,2\n');

  const server = await h.startCodeServer({
    folder: dirs.workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir,
    env: { SELFTEST_VALUE: 'from-harness' },
  });
  log(`code-server up at ${server.url} (pid ${server.pid})`);
  let wb;
  try {
    wb = await h.openWorkbench(server.url, dirs.workspace, { screenshotsDir, headless });
    const { page, shot } = wb;
    log('workbench loaded');
    await h.dismissStartupNoise(page);
    await shot('workbench');

    // Activity Bar -> our container -> tree rows
    await h.clickActivityBarItem(page, 'Harness Selftest');
    log(`activity bar: ${(await h.activityBarLabels(page)).join(' | ')}`);
    const rows = await h.readTree(page, 'Selftest Items');
    log(`tree rows: ${JSON.stringify(rows)}`);
    assert.deepEqual(rows.map((r) => r.label), ['Alpha', 'Alpha child', 'Beta']);
    assert.equal(rows[0].description, 'env=from-harness', 'env passed through to the extension host');
    assert.equal(rows[1].level, 2);
    await shot('tree-view');

    // Collapse a row by clicking its twistie, read again
    await h.treeRow(page, 'Selftest Items', 'Alpha').click();
    await page.waitForFunction(() => document.querySelectorAll('.part.sidebar .monaco-list-row').length === 2);
    assert.deepEqual((await h.readTree(page, 'Selftest Items')).map((r) => r.label), ['Alpha', 'Beta']);

    // Command palette -> notification
    await h.runCommand(page, 'Harness Selftest: Say Hello');
    const toast = await h.waitForNotification(page, 'Hello from the harness selftest');
    const note = await h.readNotification(toast);
    log(`notification: ${JSON.stringify(note)}`);
    assert.equal(note.severity, 'info');
    assert.equal(note.source, 'Harness Selftest');
    assert.deepEqual(await h.notificationTexts(page), ['Hello from the harness selftest (env=from-harness)']);
    await shot('notification');
    await h.clearNotifications(page);

    // Tree row: inline action, context menu; view title action
    await h.clickTreeItemAction(page, 'Selftest Items', 'Beta', 'Inspect Item');
    await h.waitForNotification(page, 'Inspect: Beta');
    const rowMenu = await h.openContextMenu(page, h.treeRow(page, 'Selftest Items', 'Beta'));
    log(`tree row context menu: ${rowMenu.join(' | ')}`);
    assert.ok(rowMenu.includes('Inspect Item'));
    await shot('tree-row-context-menu');
    await h.escapeAll(page);
    await h.clickViewTitleAction(page, 'Refresh Items');
    await h.waitForNotification(page, 'Refreshed items');
    await h.clearNotifications(page);

    // Explorer context menu on a file
    const file = await h.explorerItem(page, 'hello.txt');
    const items = await h.openContextMenu(page, file);
    log(`explorer context menu: ${items.join(' | ')}`);
    assert.ok(items.includes('Show File Info'), 'extension item in explorer/context');
    assert.ok(items.some((i) => /Copy Path/.test(i)));
    await shot('explorer-context-menu');
    await h.clickContextMenuItem(page, 'Show File Info');
    await h.waitForNotification(page, 'File info: hello.txt');
    await shot('context-menu-command');

    // Folder context menu hides the file-only item (when clause)
    const folder = await h.explorerItem(page, 'data');
    const folderItems = await h.openContextMenu(page, folder);
    assert.ok(!folderItems.includes('Show File Info'), 'when clause respected');
    await h.escapeAll(page);

    // Modal dialog
    await h.runCommand(page, 'Harness Selftest: Confirm Something');
    const dialog = await h.waitForDialog(page, 'Really do it?');
    await shot('modal-dialog');
    log(`dialog buttons: ${(await dialog.locator('.monaco-button').allInnerTexts()).join(' | ')}`);
    await h.clickDialogButton(page, 'Really do it?', 'Do It');
    await h.waitForNotification(page, 'Answer: Do It');

    // Quick Open a file
    await h.openFile(page, 'hello.txt');
    await shot('editor');
    log(`status bar: ${(await h.statusBarItems(page)).join(' | ')}`);

    log(`browser console errors (all, mostly offline marketplace/network noise): ${wb.consoleErrors.length}`);
    const errors = wb.consoleErrors.filter((e) => /selftest/i.test(e));
    assert.deepEqual(errors, [], 'no console errors mentioning the extension');
    log(`PASS - screenshots in ${screenshotsDir}`);
  } catch (e) {
    if (wb) log(`FAILED - screenshot ${await wb.shot('failure').catch(() => '(none)')}`);
    throw e;
  } finally {
    if (wb) await wb.close().catch(() => {});
    await server.stop();
    log('code-server stopped');
    if (!keep) await fs.rm(dirs.root, { recursive: true, force: true });
    else log(`kept ${dirs.root}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
