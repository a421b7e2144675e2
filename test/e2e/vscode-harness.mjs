// End-to-end harness: a real VS Code for the web (code-server) driven by playwright-core with
// Debian's Chromium. Tools come from scripts/e2e-tools.sh (cached under .tools/code-server/).
//
//   import * as h from './vscode-harness.mjs';
//   const dirs = await h.makeTempDirs('artifacts-e2e');           // {root, userDataDir, extensionsDir, workspace, screenshots}
//   await h.installExtension({ vsix, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
//   const server = await h.startCodeServer({ folder: dirs.workspace, userDataDir: dirs.userDataDir,
//                                            extensionsDir: dirs.extensionsDir, env: { ARTIFACTS_REGISTRY: '...' } });
//   const wb = await h.openWorkbench(server.url, dirs.workspace, { screenshotsDir: dirs.screenshots });
//   await h.clickActivityBarItem(wb.page, 'Artifacts');
//   await h.runCommand(wb.page, 'Artifacts: Refresh');
//   await h.waitForNotification(wb.page, /Refreshed/);
//   await wb.shot('after-refresh');
//   await wb.close(); await server.stop();
//
// or all at once: const s = await h.launch({ vsix, env, files: { 'data/a.csv': '...' } }); ...; await s.dispose();
// Prerequisite: scripts/e2e-tools.sh (installs Chromium, Node 24 and code-server; ~1 s when present).
//
// Plain ESM JavaScript on purpose: runs with the repo's Node 20 (`node test/e2e/x.mjs`) or vitest.
import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = path.join(REPO_ROOT, '.tools', 'code-server');

/** Chromium flags verified to work in this sandbox (no GPU, no network beyond loopback). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Settings that keep the workbench quiet and deterministic. Merged under caller settings. */
export const QUIET_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
  'github.gitAuthentication': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'chat.setupFromDialog': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'workbench.reduceMotion': 'on', // fewer animations (context menus still fade in; shot() fast-forwards them)
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'workbench.editor.enablePreview': false,
  'terminal.integrated.enablePersistentSessions': false,
  'npm.autoDetect': 'off',
  'typescript.tsc.autoDetect': 'off',
  'task.autoDetect': 'off',
};

// ------------------------------------------------------------------ tools

/** Paths of Node 24, code-server's entry.js and Chromium (env vars win over .tools/code-server/paths.json). */
export function resolveTools() {
  let fromFile = {};
  const pathsJson = path.join(TOOLS_DIR, 'paths.json');
  if (fs.existsSync(pathsJson)) fromFile = JSON.parse(fs.readFileSync(pathsJson, 'utf8'));
  const tools = {
    node: process.env.CODE_SERVER_NODE || fromFile.node,
    entry: process.env.CODE_SERVER_ENTRY || fromFile.entry,
    chromium: process.env.CHROMIUM_PATH || fromFile.chromium || '/usr/bin/chromium',
  };
  for (const [k, p] of Object.entries(tools)) {
    if (!p || !fs.existsSync(p)) {
      throw new Error(`e2e tool "${k}" not found (${p ?? 'unset'}); run scripts/e2e-tools.sh first`);
    }
  }
  return tools;
}

/** Create a fresh temp tree: {root, userDataDir, extensionsDir, workspace, screenshots}. */
export async function makeTempDirs(prefix = 'vscode-e2e') {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const dirs = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    workspace: path.join(root, 'workspace'),
    screenshots: path.join(root, 'screenshots'),
  };
  for (const d of Object.values(dirs)) await fsp.mkdir(d, { recursive: true });
  return dirs;
}

/** Write userDataDir/User/settings.json = QUIET_SETTINGS + extra (extra wins). */
export async function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  await fsp.writeFile(file, JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
  return file;
}

// code-server writes ~/.config/code-server/config.yaml unless --config names a file; keep one per user-data dir.
async function configFile(userDataDir, port = 0) {
  const file = path.join(userDataDir, 'code-server-config.yaml');
  await fsp.mkdir(userDataDir, { recursive: true });
  await fsp.writeFile(file, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  return file;
}

// code-server keeps coder-logs + heartbeat in $XDG_DATA_HOME/code-server and VS Code a device id in
// $XDG_CACHE_HOME/Microsoft; point both into the user-data dir to keep $HOME clean.
function xdgEnv(userDataDir) {
  return { XDG_DATA_HOME: path.join(userDataDir, 'xdg-data'), XDG_CACHE_HOME: path.join(userDataDir, 'xdg-cache') };
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 << 20, ...opts }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
        reject(err);
      } else resolve({ stdout, stderr });
    });
  });
}

/** `code-server --install-extension vsix` into the given dirs. Returns the CLI output. */
export async function installExtension({ vsix, userDataDir, extensionsDir, force = true }) {
  const tools = resolveTools();
  await fsp.mkdir(extensionsDir, { recursive: true });
  const args = [
    tools.entry,
    '--config', await configFile(userDataDir),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--install-extension', path.resolve(vsix),
  ];
  if (force) args.push('--force');
  const { stdout, stderr } = await run(tools.node, args, { timeout: 120_000, env: { ...process.env, ...xdgEnv(userDataDir) } });
  const out = stdout + stderr;
  if (!/successfully installed|already installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed:\n${out}`);
  }
  await registerLanguagePacks(userDataDir, extensionsDir);
  return out;
}

/**
 * code-server's --install-extension does not run the step the running server does after installing a
 * language pack (LanguagePacksCache.update): list the packs in <user-data>/languagepacks.json, the
 * file --locale is resolved against. Same shape and hash as VS Code writes.
 */
async function registerLanguagePacks(userDataDir, extensionsDir) {
  const packs = {};
  for (const name of await fsp.readdir(extensionsDir)) {
    const dir = path.join(extensionsDir, name);
    let manifest;
    try {
      manifest = JSON.parse(await fsp.readFile(path.join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    for (const loc of manifest.contributes?.localizations ?? []) {
      const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
      const pack = (packs[loc.languageId] ??= { hash: '', extensions: [], translations: {}, label: loc.localizedLanguageName ?? loc.languageName });
      pack.extensions.push({ extensionIdentifier: { id }, version: manifest.version });
      for (const t of loc.translations) pack.translations[t.id] = path.join(dir, t.path);
      const md5 = crypto.createHash('md5');
      for (const e of pack.extensions) md5.update(e.extensionIdentifier.id).update(e.version);
      pack.hash = md5.digest('hex');
    }
  }
  if (Object.keys(packs).length) await fsp.writeFile(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}

/** List installed extensions (id@version). */
export async function listExtensions({ userDataDir, extensionsDir }) {
  const tools = resolveTools();
  const { stdout } = await run(tools.node, [
    tools.entry, '--config', await configFile(userDataDir),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--list-extensions', '--show-versions',
  ], { env: { ...process.env, ...xdgEnv(userDataDir) } });
  return stdout.split('\n').map((s) => s.trim()).filter((s) => /^[\w.-]+@/.test(s));
}

// ------------------------------------------------------------------ code-server

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => { req.destroy(); resolve(0); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Process groups of servers still running; killed if the test process exits without stop().
// (A SIGKILLed test process cannot clean up: then `pkill -g <pgid>` by the printed pid.)
const liveGroups = new Set();
function killLiveGroups() {
  for (const pgid of liveGroups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  }
  liveGroups.clear();
}
process.on('exit', killLiveGroups);
for (const sig of ['SIGINT', 'SIGTERM']) {
  // once + re-raise: clean up, then let the default action (or other listeners) proceed
  process.once(sig, () => {
    killLiveGroups();
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  });
}

/**
 * Start code-server on 127.0.0.1 in its own process group.
 * Options: folder (opened on start), userDataDir, extensionsDir, port (free one if omitted),
 * env (merged over process.env; reaches the extension host), settings (extra User settings;
 * pass settings: false to leave an existing settings.json alone), args (extra CLI args),
 * logFile (default userDataDir/code-server.log), timeoutMs, isolateXdg (default true: point
 * XDG_DATA_HOME / XDG_CACHE_HOME at userDataDir/xdg-* unless env sets them, so code-server's
 * heartbeat + coder-logs and VS Code's ~/.cache/Microsoft stay out of $HOME; HOME is untouched).
 * TMPDIR is always a private dir (removed by stop()) unless env sets it.
 * Returns {url, port, pid, logFile, log(), stop()}.
 */
export async function startCodeServer({
  folder, userDataDir, extensionsDir, port, env = {}, settings = {}, args = [], logFile, timeoutMs = 60_000,
  isolateXdg = true,
}) {
  const tools = resolveTools();
  port = port || (await freePort());
  await fsp.mkdir(extensionsDir, { recursive: true });
  if (settings !== false) await writeUserSettings(userDataDir, settings);
  logFile = logFile || path.join(userDataDir, 'code-server.log');
  const cliArgs = [
    tools.entry,
    '--config', await configFile(userDataDir, port),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...args,
  ];
  if (folder) cliArgs.push(folder);
  const xdg = isolateXdg ? xdgEnv(userDataDir) : {};
  // The server leaves vscode-ipc-*.sock files in $TMPDIR when killed; give it a short private one.
  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cs-tmp-'));
  const childEnv = { ...process.env, ...xdg, TMPDIR: tmpDir, ...env };
  // Do not leak a surrounding VS Code's IPC hooks into the server / extension host.
  for (const k of Object.keys(childEnv)) {
    if (/^VSCODE_(IPC_HOOK|PID|CWD|NLS_CONFIG|HANDLES|ESM_ENTRYPOINT|CODE_CACHE)/.test(k)) delete childEnv[k];
  }
  delete childEnv.PORT; // code-server would prefer $PORT over --bind-addr
  const out = fs.openSync(logFile, 'a');
  const child = spawn(tools.node, cliArgs, { env: childEnv, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pgid = child.pid;
  liveGroups.add(pgid);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const readLog = () => { try { return fs.readFileSync(logFile, 'utf8'); } catch { return ''; } };
  const stop = async () => {
    if (!liveGroups.has(pgid)) return;
    try { process.kill(-pgid, 'SIGTERM'); } catch { /* already gone */ }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && groupAlive(pgid)) await sleep(100);
    if (groupAlive(pgid)) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
    await Promise.race([exitPromise, sleep(2000)]);
    liveGroups.delete(pgid);
    await fsp.rm(tmpDir, { recursive: true, force: true }).catch(() => {});
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      liveGroups.delete(pgid);
      await fsp.rm(tmpDir, { recursive: true, force: true }).catch(() => {});
      throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${readLog().slice(-4000)}`);
    }
    if ((await httpStatus(`${url}/healthz`)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${readLog().slice(-4000)}`);
    }
    await sleep(200);
  }
  return { url, port, pid: child.pid, logFile, log: readLog, stop };
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

// ------------------------------------------------------------------ browser / workbench

/**
 * Launch Chromium, open `${url}/?folder=${folder}`, wait for the workbench.
 * Returns {browser, context, page, shot(name), consoleErrors, close()}.
 */
export async function openWorkbench(url, folder, {
  screenshotsDir, headless = true, viewport = { width: 1400, height: 900 }, timeoutMs = 90_000, waitForExtensions = true,
} = {}) {
  const tools = resolveTools();
  // Chromium writes ~/.config/chromium/Crash Reports and ~/.cache/dconf even with a temp profile.
  const browserHome = await fsp.mkdtemp(path.join(os.tmpdir(), 'vscode-e2e-chromium-'));
  const browser = await chromium.launch({
    executablePath: tools.chromium, args: CHROMIUM_ARGS, headless,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(browserHome, 'config'), XDG_CACHE_HOME: path.join(browserHome, 'cache') },
  });
  browser.on('disconnected', () => { fs.rmSync(browserHome, { recursive: true, force: true }); });
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  const target = folder ? `${url}/?folder=${encodeURI(folder)}` : url;
  try {
    await page.goto(target, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
    if (waitForExtensions) await waitForExtensionHost(page, { timeoutMs });
  } catch (e) {
    if (screenshotsDir) {
      await fsp.mkdir(screenshotsDir, { recursive: true }).catch(() => {});
      await page.screenshot({ path: path.join(screenshotsDir, 'open-workbench-failed.png') }).catch(() => {});
    }
    await browser.close();
    throw e;
  }

  let n = 0;
  const shot = async (name) => {
    if (!screenshotsDir) throw new Error('openWorkbench: no screenshotsDir given');
    await fsp.mkdir(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `${String(++n).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}.png`);
    // animations: 'disabled' fast-forwards fade-ins (context menus, toasts) so they are fully drawn
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    return file;
  };
  return { browser, context, page, shot, consoleErrors, close: () => browser.close() };
}

/**
 * Wait until the extension host is up: the status bar is rendered and no "Activating Extensions..."
 * progress is showing. Best effort; extensions still activate lazily on their events.
 */
export async function waitForExtensionHost(page, { timeoutMs = 60_000 } = {}) {
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.waitForFunction(
    () => !document.querySelector('.part.statusbar')?.textContent?.includes('Activating Extensions'),
    null, { timeout: timeoutMs },
  );
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const toRe = (t) => (t instanceof RegExp ? t : new RegExp(escapeRe(t)));

/**
 * Open the command palette (F1), type the command title, run it.
 * Picks the row whose label equals the title exactly (rows' aria-labels carry suffixes such as
 * ", Control+K Control+W" or ", recently used"); else the first row containing the title.
 */
export async function runCommand(page, title, { timeoutMs = 15_000 } = {}) {
  const input = await openQuickInput(page, '>');
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const exact = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) }).first();
  const loose = rows.filter({ hasText: title }).first();
  try {
    await loose.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const seen = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    await escapeAll(page);
    throw new Error(`command "${title}" not found in the palette (rows: ${JSON.stringify(seen)})`);
  }
  await (await exact.count() ? exact : loose).click();
  // Done when the palette is gone: hidden, or reused at once by the command's own prompt (a quick
  // pick or input box whose value is no longer the '>' command filter).
  await page
    .waitForFunction(() => {
      const widget = document.querySelector('.quick-input-widget');
      if (!widget || widget.offsetParent === null || getComputedStyle(widget).display === 'none') return true;
      const box = widget.querySelector('input.input');
      return !box || !box.value.startsWith('>');
    }, null, { timeout: timeoutMs })
    .catch(() => {});
}

/** Open the quick input with F1 (commands, prefix '>') or Ctrl+P (files, prefix ''). Returns the input locator. */
export async function openQuickInput(page, prefix = '>') {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input, .quick-input-box input').first();
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press(prefix === '>' ? 'F1' : 'Control+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      return input;
    } catch {
      if (prefix === '>') await page.keyboard.press('Control+Shift+P');
      if (await input.isVisible()) return input;
    }
  }
  throw new Error('command palette did not open');
}

/** Press Escape until no quick input / context menu is showing. */
export async function escapeAll(page) {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
}

/** Click an Activity Bar item by its label (aria-label starts with the label, e.g. "Explorer (Ctrl+Shift+E)"). */
export async function clickActivityBarItem(page, label) {
  const item = activityBarItem(page, label);
  await item.waitFor({ state: 'visible' });
  if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
  return item;
}

// The <li class="action-item" role="tab"> has an empty aria-label; the label sits on its
// <a class="action-label">, with the keybinding appended for built-ins ("Explorer (Ctrl+Shift+E)").
// aria-selected="true" on the <li> marks the open container.
export function activityBarItem(page, label) {
  const q = label.replace(/"/g, '\\"');
  return page.locator('.part.activitybar .action-item')
    .filter({ has: page.locator(`a.action-label[aria-label="${q}"], a.action-label[aria-label^="${q} ("]`) })
    .first();
}

/** Labels of all Activity Bar items (view containers). */
export async function activityBarLabels(page) {
  return page.locator('.part.activitybar .action-item > a.action-label[aria-label]')
    .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('aria-label')).filter(Boolean))]);
}

/** Locator of a view pane (by its title, e.g. "Selftest Items") in the side bar or panel. */
export function viewPane(page, title) {
  return page.locator('.pane')
    .filter({ has: page.locator('.pane-header', { has: page.locator('h3.title', { hasText: toRe(title) }) }) })
    .first();
}

/** Expand a collapsed view pane section (no-op if expanded or if it is the only view). */
export async function expandView(page, title) {
  const header = viewPane(page, title).locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

/** Tree/list rows of a view (or the whole side bar if no title), as locator. */
export function treeRows(page, viewTitle) {
  const scope = viewTitle ? viewPane(page, viewTitle) : page.locator('.part.sidebar');
  return scope.locator('.monaco-list-row');
}

/** Read visible tree rows: [{label, description, ariaLabel, level, expanded, selected}]. */
export async function readTree(page, viewTitle, { waitForRows = true, timeoutMs = 20_000 } = {}) {
  const rows = treeRows(page, viewTitle);
  if (waitForRows) await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return rows.evaluateAll((els) => els.map((e) => ({
    label: e.querySelector('.label-name')?.textContent?.trim() ?? e.textContent.trim(),
    description: e.querySelector('.label-description')?.textContent?.trim() ?? '',
    ariaLabel: e.getAttribute('aria-label') ?? '',
    level: Number(e.getAttribute('aria-level') || 0),
    expanded: e.hasAttribute('aria-expanded') ? e.getAttribute('aria-expanded') === 'true' : undefined,
    selected: e.getAttribute('aria-selected') === 'true',
  })));
}

/** Locator of the tree row whose label matches (string = substring, or RegExp). */
export function treeRow(page, viewTitle, label) {
  return treeRows(page, viewTitle).filter({ has: page.locator('.label-name', { hasText: toRe(label) }) }).first();
}

/**
 * Click an inline action (menus "view/item/context", group "inline") on a tree row. Inline actions
 * are only shown while the row is hovered or focused, so hover first. actionLabel = command title.
 */
export async function clickTreeItemAction(page, viewTitle, rowLabel, actionLabel) {
  const row = treeRow(page, viewTitle, rowLabel);
  await row.hover();
  await row.locator(`.actions .action-label[aria-label^="${actionLabel.replace(/"/g, '\\"')}"]`).first().click();
}

/**
 * Click a view title action ("view/title" menu, group "navigation") by command title. With a single
 * view in a container the header is merged into the side bar title, so search the whole side bar.
 */
export async function clickViewTitleAction(page, actionLabel) {
  const q = actionLabel.replace(/"/g, '\\"');
  const sidebar = page.locator('.part.sidebar');
  await sidebar.hover();
  await sidebar.locator(`.title-actions .action-label[aria-label^="${q}"], .pane-header .actions .action-label[aria-label^="${q}"]`)
    .filter({ visible: true }).first().click();
}

/** Wait for a notification toast containing text; returns its locator. */
export async function waitForNotification(page, text, { timeoutMs = 20_000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: toRe(text) }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return toast;
}

/** Texts of all visible notification toasts. */
export async function notificationTexts(page) {
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message')
    .evaluateAll((els) => els.map((e) => e.textContent.trim()));
}

/**
 * Read a toast (locator from waitForNotification): {message, severity, source, buttons}.
 * (toast.textContent() also contains a <style> element, so read the parts instead.)
 */
export async function readNotification(toast) {
  return toast.evaluate((el) => {
    const row = el.querySelector('.monaco-list-row[aria-label]');
    const aria = row?.getAttribute('aria-label') ?? '';
    return {
      message: el.querySelector('.notification-list-item-message')?.textContent?.trim() ?? '',
      severity: (/^(Info|Warning|Error):/.exec(aria) || [])[1]?.toLowerCase() ?? '',
      source: (/, source: ([^,]+)/.exec(aria) || [])[1] ?? '',
      buttons: [...el.querySelectorAll('.notification-list-item-buttons-container .monaco-button')]
        .map((b) => b.textContent.trim()),
    };
  });
}

/** Click a button (e.g. "Yes", "Cancel") on the toast containing text. */
export async function clickNotificationButton(page, text, button) {
  const toast = await waitForNotification(page, text);
  await toast.locator('.monaco-button', { hasText: toRe(button) }).first().click();
}

/** Clear all notification toasts. */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** Close all editors (welcome page, release notes, etc.). */
export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
}

/** Dismiss the workspace-trust dialog and welcome / walkthrough editors if any are showing. */
export async function dismissStartupNoise(page) {
  const trust = page.locator('.monaco-dialog-box', { hasText: /trust/i });
  if (await trust.isVisible().catch(() => false)) {
    await trust.locator('.monaco-button', { hasText: /Yes, I trust|Trust/ }).first().click();
  }
  const tabs = page.locator('.tabs-container .tab');
  if (await tabs.count()) {
    const titles = await tabs.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || ''));
    if (titles.some((t) => /Welcome|Walkthrough|Release Notes|Getting Started/i.test(t))) await closeAllEditors(page);
  }
}

/** Modal dialog (e.g. from showWarningMessage({modal:true})): returns its locator once visible. */
export async function waitForDialog(page, text, { timeoutMs = 20_000 } = {}) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: toRe(text) }).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  return dialog;
}

export async function clickDialogButton(page, text, button) {
  const dialog = await waitForDialog(page, text);
  await dialog.locator('.monaco-button', { hasText: toRe(button) }).first().click();
}

/**
 * Right-click a target locator and return the enabled context-menu item labels.
 * In the browser, workbench context menus are HTML menus (`.context-view.monaco-menu-container`,
 * no shadow root in 1.139; Playwright's CSS engine would pierce an open one anyway). They fade in
 * for ~100 ms; shot() fast-forwards that.
 */
export async function openContextMenu(page, target) {
  await target.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible' });
  return contextMenuItems(page);
}

export async function contextMenuItems(page) {
  return (await contextMenuEntries(page)).filter((e) => e.enabled).map((e) => e.label);
}

/** All entries of the open context menu: [{label, enabled, checked, keybinding, submenu}]. */
export async function contextMenuEntries(page) {
  return page.locator('.context-view .monaco-menu .action-item').evaluateAll((els) => els
    .map((li) => {
      const a = li.querySelector('.action-label');
      if (!a || a.classList.contains('separator')) return null;
      return {
        label: (a.getAttribute('aria-label') || a.textContent || '').trim(),
        enabled: !li.classList.contains('disabled') && !a.classList.contains('disabled'),
        checked: a.getAttribute('aria-checked') === 'true' || li.querySelector('.menu-item-check.checked') !== null,
        keybinding: li.querySelector('.keybinding')?.textContent?.trim() ?? '',
        submenu: li.querySelector('.submenu-indicator') !== null,
      };
    })
    .filter((e) => e && e.label));
}

/**
 * Click a context-menu item by label (menu must be open; string = exact label, or RegExp).
 * Quirk: VS Code attaches a menu item's mouseup handler only 100 ms after the menu renders, so a
 * click right after opening is silently ignored. Wait, click, and retry while the menu stays open.
 */
export async function clickContextMenuItem(page, label) {
  const re = label instanceof RegExp ? label : new RegExp(`^${escapeRe(label)}$`);
  const menu = page.locator('.context-view .monaco-menu').first();
  const item = menu.locator('.action-item .action-label', { hasText: re }).first();
  await item.waitFor({ state: 'visible' });
  for (let attempt = 0; attempt < 3; attempt++) {
    await sleep(150);
    await item.click();
    try {
      await menu.waitFor({ state: 'hidden', timeout: 1000 });
      return;
    } catch { /* still open: the click came too early, try again */ }
  }
  throw new Error(`context menu item ${re} did not run (menu still open)`);
}

/** Explorer row for a file/folder name (top-level or expanded); opens the Explorer first. */
export async function explorerItem(page, name) {
  await clickActivityBarItem(page, 'Explorer');
  const row = page.locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) }).first();
  await row.waitFor({ state: 'visible' });
  return row;
}

/** Open a workspace file by path via Quick Open (Ctrl+P). */
export async function openFile(page, relativePath) {
  const input = await openQuickInput(page, '');
  await input.fill(relativePath);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: path.basename(relativePath) }).waitFor({ state: 'visible' });
}

/** Text of the status bar. */
export async function statusBarText(page) {
  const items = await statusBarItems(page);
  return items.join(' | ');
}

/** Texts of the status bar items (left to right). */
export async function statusBarItems(page) {
  return page.locator('.part.statusbar .statusbar-item')
    .evaluateAll((els) => els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()).filter(Boolean));
}

/**
 * Everything needed for one test, in one call: temp dirs, optional .vsix install, workspace files,
 * code-server, Chromium. Screenshots go to test-results/e2e/<prefix>/ (gitignored) unless
 * screenshotsDir is given. dispose() closes the browser, stops the server and removes the temp
 * dirs (pass keep: true to keep them); args go to code-server (e.g. ['--locale', 'ja']), extraVsix are installed after vsix. Returns {dirs, server, wb, page, shot, dispose()}.
 */
export async function launch({
  vsix, prefix = 'vscode-e2e', env = {}, settings = {}, files = {}, headless = true, screenshotsDir, keep = false, args = [], extraVsix = [],
} = {}) {
  const dirs = await makeTempDirs(prefix);
  dirs.screenshots = screenshotsDir || path.join(REPO_ROOT, 'test-results', 'e2e', prefix);
  const cleanup = () => (keep ? undefined : fsp.rm(dirs.root, { recursive: true, force: true }).catch(() => {}));
  let server;
  let wb;
  try {
    for (const [rel, content] of Object.entries(files)) {
      const f = path.join(dirs.workspace, rel);
      await fsp.mkdir(path.dirname(f), { recursive: true });
      await fsp.writeFile(f, content);
    }
    for (const v of [vsix, ...extraVsix].filter(Boolean)) await installExtension({ vsix: v, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir });
    server = await startCodeServer({
      folder: dirs.workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, env, settings, args,
    });
    wb = await openWorkbench(server.url, dirs.workspace, { screenshotsDir: dirs.screenshots, headless });
  } catch (e) {
    await server?.stop();
    await cleanup();
    throw e;
  }
  const dispose = async () => {
    await wb.close().catch(() => {});
    await server.stop();
    await cleanup();
  };
  return { dirs, server, wb, page: wb.page, shot: wb.shot, dispose };
}
