// npm run bench [-- CASE…]: performance against baselines measured in the same run.
// Prints ratios; never fails on timing (the exit code only reports a broken case).
// BENCH_SCALE=0.1 shrinks the data for a quick look; BENCH_RUNS sets the repetitions.
import { cases } from './cases.mjs';

const wanted = process.argv.slice(2);
const selected = wanted.length ? cases.filter((c) => wanted.includes(c.id)) : cases;
if (selected.length === 0) {
  console.error(`unknown case; known: ${cases.map((c) => c.id).join(', ')}`);
  process.exit(2);
}
const results = [];
for (const c of selected) {
  console.log(`\n== ${c.id}: ${c.title}`);
  results.push(...[].concat(await c.run()));
}
console.log('\n== summary');
for (const r of results) console.log(`${r.ok ? 'ok   ' : 'SLOW '} ${r.name}: ${r.ratio.toFixed(2)}x (target ${r.target}x)`);
