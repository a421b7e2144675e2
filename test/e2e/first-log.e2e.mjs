// End-to-end: a first-time user. The registry folder does not exist when the window opens; the
// welcome view explains it, and the first version logged by the CLI appears in the tree on its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const parent = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-first-'));
const registry = path.join(parent, 'registry'); // not created: the CLI makes it on the first log

let env;

beforeAll(async () => {
  env = await h.launch({ vsix: VSIX, prefix: 'first-log', env: { ARTIFACTS_REGISTRY: registry }, settings: { 'artifacts.entity': 'e2e' } });
  await h.dismissStartupNoise(env.page);
}, 300_000);

afterAll(async () => {
  await env?.dispose();
  rmSync(parent, { recursive: true, force: true });
});

describe('a registry that does not exist yet', () => {
  it('shows the welcome view, then the first version logged by the CLI', async () => {
    const { page, shot } = env;
    await h.clickActivityBarItem(page, 'Artifacts');
    await page.locator('.welcome-view-content', { hasText: /log/i }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await shot('01-welcome');
    const data = path.join(parent, 'data');
    mkdirSync(data);
    writeFileSync(path.join(data, 'a.txt'), 'first');
    execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'e2e', 'log', data, '--name', 'first', '--type', 'dataset']);
    await h.treeRow(page, 'Registry', 'uncategorized').waitFor({ state: 'visible', timeout: 15_000 });
    const rows = await h.readTree(page, 'Registry');
    expect(rows.find((r) => r.label === 'uncategorized')).toMatchObject({ description: 'e2e' });
    expect(await page.locator('.welcome-view-content', { hasText: /log/i }).first().isVisible()).toBe(false);
    await shot('02-first-version');
  });
});
