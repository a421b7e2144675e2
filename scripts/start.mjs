// npm start: build (done by the npm script), prepare a demo registry and workspace with the CLI, and
// open them in VS Code with the extension loaded:
//  - the desktop `code` command with --extensionDevelopmentPath, when it is installed;
//  - otherwise VS Code for the web (code-server) on 127.0.0.1, installed on first use.
// Options: --fresh (rebuild the demo), --port N, --web (use code-server even if `code` exists).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDemo } from './demo-data.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const demoBase = path.join(ROOT, '.artifacts-demo');
const { registry, workspace } = prepareDemo(demoBase, { fresh: flag('--fresh') });
console.log(`Demo registry:  ${registry}`);
console.log(`Demo workspace: ${workspace}`);
console.log(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--registry', registry, '--entity', 'demo', '--project', 'vision', 'ls']).toString());

const env = { ...process.env, ARTIFACTS_REGISTRY: registry };
const settings = { 'artifacts.entity': 'demo', 'artifacts.project': 'vision' };
const hasCode = !flag('--web') && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;

if (hasCode) {
  console.log('Opening desktop VS Code with the extension under development…');
  spawn('code', ['--new-window', `--extensionDevelopmentPath=${ROOT}`, workspace], { env, stdio: 'inherit', detached: true }).unref();
  console.log(`The CLI sees the same registry: ARTIFACTS_REGISTRY=${registry} node dist/cli.js --entity demo --project vision ls`);
} else {
  const tools = path.join(ROOT, '.tools', 'code-server');
  if (!existsSync(path.join(tools, 'paths.json'))) {
    console.log('Desktop VS Code is not installed here: installing VS Code for the web (code-server) on first use.');
    console.log('This downloads Node 24 and code-server from the npm registry and takes about two to three minutes…');
  }
  const install = spawnSync('bash', [path.join(ROOT, 'scripts', 'e2e-tools.sh')], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
  console.log('Packaging the extension…');
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pkg.status !== 0) process.exit(pkg.status ?? 1);
  const h = await import('../test/e2e/vscode-harness.mjs');
  const userDataDir = path.join(demoBase, 'code-server', 'user-data');
  const extensionsDir = path.join(demoBase, 'code-server', 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  await h.installExtension({ vsix: path.join(ROOT, 'artifacts.vsix'), userDataDir, extensionsDir });
  const port = Number(option('--port') ?? process.env.ARTIFACTS_DEMO_PORT ?? 0) || undefined;
  const server = await h.startCodeServer({ folder: workspace, userDataDir, extensionsDir, port, env: { ARTIFACTS_REGISTRY: registry }, settings });
  console.log(`\nVS Code for the web is running with the Artifacts extension:\n\n  ${server.url}/?folder=${encodeURIComponent(workspace)}\n`);
  console.log('Open it in a browser (the Artifacts view is in the Activity Bar). Press Ctrl+C to stop.');
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined); // keep serving until stopped
}
