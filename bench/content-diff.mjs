#!/usr/bin/env node
// Benchmark of the content diff library's keyed row diff (src/content, issue 12).
//
//   node bench/content-diff.mjs [--rows 1000000] [--runs 5]
//   npm run bench -- content-diff          (the same, as a case of bench/run.mjs: measureContentDiff)
//
// Times `diffTable(a.csv, b.csv, { key: 'id' })` on two generated CSVs of --rows rows (1% of rows
// changed, 100 removed, 100 added) against a baseline: loading both files into memory once with
// the same parser (csv-parse, same options). Each measurement runs in a fresh child process, the
// two alternate (and swap order every pair), and the script prints the median of the per-pair
// ratios diff / baseline, with peak memory. Target: ≤ 2×. It never fails on timing.
//
// The library is taken from dist/content.js when a build provides it, else bundled from
// src/content/index.ts with esbuild (a devDependency) into the scratch folder. BENCH_SCALE=0.1
// shrinks the data, BENCH_DIR chooses the scratch folder (default: the OS temp folder).
import { spawn } from 'node:child_process';
import { createWriteStream, createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const PARSE_OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true };

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// --- Child processes: one measurement each, printed as JSON on stdout.

async function childBaseline(a, b) {
  const { parse } = require('csv-parse');
  const load = (file) =>
    new Promise((resolve, reject) => {
      const rows = [];
      const parser = createReadStream(file).pipe(parse(PARSE_OPTIONS));
      parser.on('data', (r) => rows.push(r));
      parser.on('end', () => resolve(rows));
      parser.on('error', reject);
    });
  const t0 = performance.now();
  const ra = await load(a);
  const rb = await load(b);
  const ms = performance.now() - t0;
  return { ms, rows: ra.length + rb.length };
}

async function childDiff(a, b, lib) {
  const { diffTable } = require(lib);
  const t0 = performance.now();
  const d = await diffTable(a, b, { key: 'id' });
  const ms = performance.now() - t0;
  // A view's page of 100 changed rows from the middle of the list, read back from the files.
  const t1 = performance.now();
  const page = await d.rows(Math.floor(d.count() / 2), 100);
  const windowMs = performance.now() - t1;
  return { ms, windowMs, rowChanges: d.rowChanges, pageRows: page.rows.length };
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isMain && process.argv[2] === '--child') {
  const [, , , what, a, b, lib] = process.argv;
  const result = what === 'baseline' ? await childBaseline(a, b) : await childDiff(a, b, lib);
  result.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

// --- The driver.

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${args[0]} exited ${code}`))));
  });
}

async function writeCsv(file, rows, line) {
  const out = createWriteStream(file);
  let buf = 'id,name,category,price,quantity,updated\n';
  for (let i = 0; i < rows; i++) {
    const l = line(i);
    if (l !== null) buf += `${l}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  await new Promise((resolve, reject) => {
    out.on('error', reject);
    out.end(buf, resolve);
  });
}

async function libraryPath(dir) {
  const built = path.join(ROOT, 'dist', 'content.js');
  if (existsSync(built)) return built;
  const esbuild = require('esbuild');
  const outfile = path.join(dir, 'content.cjs');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'src/content/index.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning' });
  return outfile;
}

/**
 * Generates the two CSVs, then alternates child processes (diff, baseline) `runs` times, swapping
 * the order every pair. Returns the per-pair ratios diff / baseline, their median and peak memory.
 */
export async function measureContentDiff({ rows, runs, log = console.log }) {
  const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'artifacts-bench-content-'));
  try {
    const lib = await libraryPath(dir);
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const price = (i) => ((i * 7919) % 100000) / 100;
    const line = (i, p = price(i)) => `${i},item-${i},cat-${i % 17},${p},${i % 1000},2024-01-${String((i % 28) + 1).padStart(2, '0')}`;
    await writeCsv(a, rows, (i) => line(i));
    const removedFrom = Math.floor(rows / 2);
    await writeCsv(b, rows + 100, (i) => (i >= removedFrom && i < removedFrom + 100 ? null : line(i, i % 100 === 7 ? price(i) + 1 : price(i))));
    log(`content-diff: keyed diff of two ${rows.toLocaleString('en')}-row CSVs vs loading both with csv-parse (library: ${lib.startsWith(ROOT) ? path.relative(ROOT, lib) : 'bundled from src/content'})`);

    const ratios = [];
    const peak = { diff: 0, baseline: 0 };
    for (let i = 0; i < runs; i++) {
      // Swap the order every pair so that neither always runs on a warmer page cache.
      const order = i % 2 === 0 ? ['baseline', 'diff'] : ['diff', 'baseline'];
      const r = {};
      for (const what of order) r[what] = await runChild(what === 'baseline' ? ['baseline', a, b] : ['diff', a, b, lib]);
      const ratio = r.diff.ms / r.baseline.ms;
      ratios.push(ratio);
      peak.diff = Math.max(peak.diff, r.diff.maxRssMiB);
      peak.baseline = Math.max(peak.baseline, r.baseline.maxRssMiB);
      log(
        `  run ${i + 1}: diff ${(r.diff.ms / 1000).toFixed(2)} s (${r.diff.maxRssMiB} MiB peak, 100-row window ${r.diff.windowMs.toFixed(0)} ms), ` +
          `baseline ${(r.baseline.ms / 1000).toFixed(2)} s (${r.baseline.maxRssMiB} MiB peak), ratio ${ratio.toFixed(2)}×`,
      );
      if (i === 0) log(`  changes found: ${JSON.stringify(r.diff.rowChanges)}`);
    }
    return { ratios, median: median(ratios), peakMiB: peak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain && process.argv[2] !== '--child') {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const rows = Math.round(arg('rows', 1_000_000) * scale);
  const runs = arg('runs', 5);
  const m = (await measureContentDiff({ rows, runs })).median;
  console.log(`content-diff: median ratio ${m.toFixed(2)}× over ${runs} runs (target ≤ 2×: ${m <= 2 ? 'met' : 'missed'})`);
}
