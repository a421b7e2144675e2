// Prepares the demo: a workspace folder with a small generated dataset, and a registry holding a
// couple of versioned datasets and a model, all made with the artifacts CLI (no download).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function write(file, content) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function csv(rows, seed) {
  const lines = ['id,label,score'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${['cat', 'dog', 'bird'][(i * seed) % 3]},${((i * 7919 * seed) % 1000) / 1000}`);
  return `${lines.join('\n')}\n`;
}

export function prepareDemo(base = path.join(ROOT, '.artifacts-demo'), { fresh = false } = {}) {
  const registry = path.join(base, 'registry');
  const workspace = path.join(base, 'workspace');
  if (fresh) rmSync(base, { recursive: true, force: true });
  if (existsSync(path.join(registry, 'entities'))) return { registry, workspace };
  const cli = (...args) => execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'demo', '--project', 'vision', ...args], { cwd: workspace, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
  write(path.join(workspace, 'data', 'train.csv'), csv(200, 1));
  write(path.join(workspace, 'data', 'test.csv'), csv(50, 2));
  write(path.join(workspace, 'data', 'README.md'), '# Demo dataset\n\nGenerated rows of (id, label, score).\n');
  cli('log', 'data', '--name', 'animals', '--type', 'dataset', '--alias', 'raw', '--tag', 'demo', '--description', 'First cut of the animals table', '--metadata', '{"rows": 250}');
  write(path.join(workspace, 'data', 'train.csv'), csv(300, 1));
  write(path.join(workspace, 'data', 'labels.json'), JSON.stringify({ cat: 0, dog: 1, bird: 2 }, null, 2));
  cli('log', 'data', '--name', 'animals', '--type', 'dataset', '--alias', 'best', '--tag', 'demo', '--description', 'More training rows, label map added', '--metadata', '{"rows": 350}');
  write(path.join(workspace, 'model', 'weights.bin'), Buffer.alloc(4096, 7));
  write(path.join(workspace, 'model', 'config.json'), JSON.stringify({ layers: 4, hidden: 128 }, null, 2));
  cli('log', 'model', '--name', 'classifier', '--type', 'model', '--alias', 'candidate');
  cli('link', 'animals:best', 'production-data', '--alias', 'live');
  write(path.join(workspace, 'notes', 'todo.md'), '- stage this folder from the Explorer (right-click → Add to Draft Artifact…)\n');
  return { registry, workspace };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { registry, workspace } = prepareDemo(undefined, { fresh: process.argv.includes('--fresh') });
  console.log(JSON.stringify({ registry, workspace }));
}
