// npm run bench [-- [--quick] CASE…]: performance against baselines measured in the same run.
// Prints ratios and writes them to bench-results/results.json; never fails on timing (the exit code
// only reports a broken case). --quick runs small sizes once (CI uses it to prove the cases work).
// BENCH_SCALE=0.1 shrinks the data; BENCH_RUNS sets the repetitions; BENCH_DIR the scratch folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './lib.mjs';

const args = process.argv.slice(2);
if (args.includes('--quick')) {
  process.env.BENCH_SCALE ??= '0.01';
  process.env.BENCH_RUNS ??= '1';
  process.env.BENCH_NO_INSTALL ??= '1';
}
// Imported after the environment is set: the cases read it when they load.
const { cases } = await import('./cases.mjs');
const { smallFileCases } = await import('./small-files.mjs');
const { remoteCases } = await import('./remote.mjs');
const all = [...cases, ...smallFileCases, ...remoteCases];
const wanted = args.filter((a) => !a.startsWith('--'));
const quickSkips = new Set(['startup']); // needs a second VS Code install; covered by npm run bench
const selected = wanted.length ? all.filter((c) => wanted.includes(c.id)) : all.filter((c) => !args.includes('--quick') || !quickSkips.has(c.id));
if (selected.length === 0) {
  console.error(`unknown case; known: ${all.map((c) => c.id).join(', ')}`);
  process.exit(2);
}
const results = [];
let broken = 0;
for (const c of selected) {
  console.log(`\n== ${c.id}: ${c.title}`);
  try {
    results.push(...[].concat(await c.run()).map((r) => ({ case: c.id, ...r })));
  } catch (e) {
    broken += 1;
    console.error(`case ${c.id} is broken: ${e.stack ?? e}`);
    results.push({ case: c.id, name: c.title, broken: String(e.message ?? e) });
  }
}
console.log('\n== summary');
for (const r of results) console.log(r.broken ? `BROKEN ${r.case}: ${r.broken}` : `${r.ok ? 'ok   ' : 'SLOW '} ${r.name}: ${r.ratio.toFixed(2)}${r.name.includes('(ms') || r.name.includes('(MiB') ? '' : 'x'} (target ${r.target})`);
const out = path.join(ROOT, 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'results.json'), JSON.stringify({ at: new Date().toISOString(), scale: Number(process.env.BENCH_SCALE ?? 1), results }, null, 2));
console.log(`\nresults: ${path.join(out, 'results.json')}`);
process.exit(broken ? 1 : 0);
