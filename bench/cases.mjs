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
    const logged = JSON.parse((await run(process.execPath, [path.join(ROOT, 'bench', 'log-once.mjs'), registry, data])).stdout);
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
