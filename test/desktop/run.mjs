// npm run test:desktop: the extension in a desktop VS Code downloaded by @vscode/test-electron (the
// standard runner). For contributors with internet access and a display; this workplace has neither,
// so CI runs the code-server suite (npm run test:e2e) instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const registry = mkdtempSync(path.join(tmpdir(), 'artifacts-desktop-registry-'));
const workspace = mkdtempSync(path.join(tmpdir(), 'artifacts-desktop-workspace-'));
mkdirSync(path.join(workspace, 'data'));
writeFileSync(path.join(workspace, 'data', 'a.txt'), 'hello');
execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--registry', registry, '--entity', 'desk', '--project', 'top', 'log', path.join(workspace, 'data'), '--name', 'ds', '--type', 'dataset']);

await runTests({
  version: process.env.VSCODE_TEST_VERSION ?? 'stable',
  extensionDevelopmentPath: ROOT,
  extensionTestsPath: path.join(ROOT, 'test', 'desktop', 'suite', 'index.cjs'),
  launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  extensionTestsEnv: { ARTIFACTS_REGISTRY: registry, ARTIFACTS_TEST_WORKSPACE: workspace },
});
