import * as path from 'node:path';
import { generateFolder, listFiles, median, mib, removeTree, report, run, scratch, ROOT } from './lib.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Issue 2: logging a 1 GiB folder of 1,000 files vs md5sum of the same files in two processes. */
async function logVsMd5sum() {
  const count = Math.max(10, Math.round(1000 * SCALE));
  const size = 1 << 20;
  const work = scratch('log');
  const data = path.join(work, 'data');
  console.log(`generating ${count} files of 1 MiB (${mib(count * size)})…`);
  generateFolder(data, count, size);
  const files = listFiles(data);
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  const md5sum = async () => {
    const t0 = process.hrtime.bigint();
    await Promise.all(halves.map((h) => run('md5sum', h, { stdio: ['ignore', 'ignore', 'inherit'] })));
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  await md5sum(); // warm the page cache for both sides
  const ratios = [];
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    const registry = path.join(work, `registry-${i}`);
    await run('sync', []); // start each side with no dirty pages from the step before (untimed)
    const logged = JSON.parse((await run(process.execPath, [path.join(ROOT, 'bench', 'log-once.mjs'), registry, data])).stdout);
    await run('sync', []);
    const base = await md5sum();
    ratios.push(logged.ms / base);
    rss.push(logged.maxRssBytes);
    console.log(`  run ${i + 1}: log ${logged.ms.toFixed(0)} ms (${logged.files} files, ${logged.version}), md5sum x2 ${base.toFixed(0)} ms, ratio ${(logged.ms / base).toFixed(2)}, peak RSS ${mib(logged.maxRssBytes)}`);
    removeTree(registry);
  }
  removeTree(work);
  return report('log 1 GiB into a fresh registry vs md5sum (2 processes)', {
    ratio: median(ratios),
    target: 1.25,
    detail: `peak memory of the log ${mib(Math.max(...rss))}`,
  });
}

export const cases = [{ id: 'log', title: 'log 1 GiB (1,000 files) vs md5sum in two parallel processes', run: logVsMd5sum }];

/** Issue 3: first download vs cp -r, and a no-op second download vs a bare stat walk. */
async function downloadCases() {
  const count = Math.max(10, Math.round(1000 * SCALE));
  const work = scratch('download');
  const data = path.join(work, 'data');
  const registry = path.join(work, 'registry');
  console.log(`generating and logging ${count} files of 1 MiB…`);
  generateFolder(data, count, 1 << 20);
  await run(process.execPath, [path.join(ROOT, 'bench', 'log-once.mjs'), registry, data]);
  const once = path.join(ROOT, 'bench', 'transfer-once.mjs');
  const ratios = [];
  for (let i = 0; i < RUNS; i++) {
    await run('sync', []);
    const dest = path.join(work, `dl-${i}`);
    const ours = JSON.parse((await run(process.execPath, [once, 'download', registry, 'bench-data:v0', dest])).stdout);
    await run('sync', []);
    const copy = path.join(work, `cp-${i}`);
    const cp = await run('cp', ['-r', data, copy], { stdio: ['ignore', 'ignore', 'inherit'] });
    ratios.push(ours.ms / cp.ms);
    console.log(`  run ${i + 1}: download ${ours.ms.toFixed(0)} ms (${ours.written} files), cp -r ${cp.ms.toFixed(0)} ms, ratio ${(ours.ms / cp.ms).toFixed(2)}`);
    if (i < RUNS - 1) removeTree(dest);
    removeTree(copy);
  }
  const first = report('download 1 GiB into an empty folder vs cp -r', { ratio: median(ratios), target: 1.2 });
  const pairs = JSON.parse((await run(process.execPath, [once, 'noop', registry, 'bench-data:v0', path.join(work, `dl-${RUNS - 1}`), String(RUNS)])).stdout);
  for (const [i, p] of pairs.entries()) console.log(`  run ${i + 1}: no-op download ${p.ms.toFixed(1)} ms, stat walk ${p.statWalkMs.toFixed(1)} ms, ratio ${(p.ms / p.statWalkMs).toFixed(2)}`);
  const second = report('second (no-op) download vs a stat walk of the folder', { ratio: median(pairs.map((p) => p.ms / p.statWalkMs)), target: 2 });
  removeTree(work);
  return [first, second];
}

/** Issue 3: diff of two 500,000-entry versions differing in 1% vs parsing their two manifests. */
async function diffCase() {
  const entries = Math.max(1000, Math.round(500_000 * SCALE));
  const work = scratch('diff');
  const registry = path.join(work, 'registry');
  console.log(`logging two versions of ${entries} entries that differ in 1%…`);
  await run(process.execPath, [path.join(ROOT, 'bench', 'make-big-versions.mjs'), registry, String(entries)]);
  const pairs = JSON.parse((await run(process.execPath, [path.join(ROOT, 'bench', 'transfer-once.mjs'), 'diff', registry, 'big:v0', 'big:v1', String(RUNS)])).stdout);
  for (const [i, p] of pairs.entries()) console.log(`  run ${i + 1}: diff ${p.ms.toFixed(0)} ms (${p.changes} changes), parse both manifests ${p.parseMs.toFixed(0)} ms, ratio ${(p.ms / p.parseMs).toFixed(2)}`);
  removeTree(work);
  return report(`diff of two ${entries}-entry versions vs parsing their manifests`, { ratio: median(pairs.map((p) => p.ms / p.parseMs)), target: 1.5 });
}

cases.push(
  { id: 'download', title: 'download 1 GiB vs cp -r; no-op download vs stat walk', run: downloadCases },
  { id: 'diff', title: 'diff two 500k-entry versions vs parsing their manifests', run: diffCase },
);
