// Timed operations of the library for the benchmark, in a child process of its own.
//   download REGISTRY REF ROOT    → {"ms": …}  (first download into ROOT)
//   noop     REGISTRY REF ROOT    → {"ms": …, "statWalkMs": …} pairs of a no-op download and a bare stat walk
//   diff     REGISTRY REF_A REF_B → {"ms": …, "parseMs": …} pairs of a diff and parsing the two manifests
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
const require = createRequire(import.meta.url);
const { Registry, Manifest } = require('../dist/index.js');

const [op, registryRoot, a, b, runs = '5'] = process.argv.slice(2);
const registry = new Registry({ root: registryRoot, entity: 'bench', project: 'bench' });
const time = async (fn) => {
  const t0 = process.hrtime.bigint();
  const out = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
};

/** The baseline: list the folder and lstat every file, all stats in flight at once. */
async function statWalk(dir) {
  const files = [];
  const list = async (d) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await list(path.join(d, e.name));
      else files.push(path.join(d, e.name));
    }
  };
  await list(dir);
  await Promise.all(files.map((f) => fsp.lstat(f)));
  return files.length;
}

if (op === 'download') {
  const artifact = await registry.get(a);
  const [ms, r] = await time(() => artifact.download(b));
  console.log(JSON.stringify({ ms, written: r.written.length }));
} else if (op === 'noop') {
  const artifact = await registry.get(a);
  await artifact.download(b); // the records exist; what follows must be stat-only
  const pairs = [];
  for (let i = 0; i < Number(runs); i++) {
    const [ms, r] = await time(() => artifact.download(b));
    if (r.written.length) throw new Error('the no-op download wrote files');
    const [statWalkMs] = await time(() => statWalk(b));
    pairs.push({ ms, statWalkMs });
  }
  console.log(JSON.stringify(pairs));
} else if (op === 'diff') {
  const pairs = [];
  // The bench registry holds exactly these two versions, so its manifests/ folder has their two manifests.
  const keys = (await fsp.readdir(path.join(registryRoot, 'manifests'))).map((f) => path.join(registryRoot, 'manifests', f));
  for (let i = 0; i < Number(runs); i++) {
    const [ms, d] = await time(() => registry.diff(a, b));
    const [parseMs] = await time(async () => Promise.all(keys.map(async (k) => Manifest.parse(await fsp.readFile(k)))));
    pairs.push({ ms, parseMs, changes: d.added.length + d.removed.length + d.modified.length });
  }
  console.log(JSON.stringify(pairs));
}
