// Issue "Performance": many small files, unchanged re-logs, listings and memory. Every case runs
// the built CLI as a user would (start-up included) and its baseline in the same run, alternating
// which goes first, and reports the median of the ratios (this machine is small and noisy: absolute
// times vary from run to run, ratios much less). Peak memory comes from /usr/bin/time.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { listFiles, median, mib, removeTree, report, run, scratch, ROOT } from './lib.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** `count` files of 1–8 KiB of random bytes in ~count/330 folders (a few hundred for 100,000). */
function smallFiles(dir, count) {
  const folders = Math.max(3, Math.round(count / 330));
  const buf = Buffer.allocUnsafe(8192);
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `shard-${String(i % folders).padStart(3, '0')}`);
    if (i < folders) mkdirSync(sub, { recursive: true });
    const size = 1024 + ((i * 2654435761) % (7 * 1024 + 1));
    randomFillSync(buf, 0, size);
    const file = path.join(sub, `item-${String(i).padStart(6, '0')}.bin`);
    writeFileSync(file, buf.subarray(0, size));
    utimesSync(file, PAST, PAST);
  }
}

/** Datasets are rarely seconds old: files modified within 2 s of a log are hashed again next time (git's racy rule). */
const PAST = Date.now() / 1000 - 3600;

/** Our CLI, timed, with its peak RSS. */
async function ours(args, opts = {}) {
  const rssFile = path.join(opts.cwd ?? process.cwd(), `.rss-${process.pid}`);
  const cmd = TIME ?? process.execPath;
  const full = TIME ? ['-f', '%M', '-o', rssFile, process.execPath, CLI, ...args] : [CLI, ...args];
  const r = await run(cmd, full, { ...opts, stdio: ['ignore', 'pipe', 'inherit'], allowFail: opts.allowFail });
  let rss = 0;
  if (TIME && existsSync(rssFile)) {
    rss = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024;
    removeTree(rssFile);
  }
  return { ...r, rss };
}

/** md5sum of the files in two parallel processes (halves of the list), as `md5sum -P2` would. */
function md5sumP2(files) {
  const t0 = process.hrtime.bigint();
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  return Promise.all(halves.map((h) => new Promise((resolve, reject) => {
    const child = require_spawn('xargs', ['-0', 'md5sum'], h);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`md5sum exited ${code}`))));
  }))).then(() => Number(process.hrtime.bigint() - t0) / 1e6);
}

function require_spawn(cmd, args, input) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'inherit'] });
  child.stdin.end(input.join('\0'));
  return child;
}

async function statWalk(dir) {
  return (await run('find', [dir, '-type', 'f', '-printf', '%s %T@ %i\n'], { stdio: ['ignore', 'ignore', 'inherit'] })).ms;
}

async function cpR(from, to) {
  return (await run('cp', ['-r', from, to], { stdio: ['ignore', 'ignore', 'inherit'] })).ms;
}

async function sync() {
  await run('sync', []);
}

/** git-lfs and git-annex from Debian, installed by the bench when it may (root, apt). */
function ensureTools() {
  const have = (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0;
  if ((!have('git-lfs') || !have('git-annex')) && process.getuid?.() === 0 && have('apt-get') && process.env.BENCH_NO_INSTALL !== '1') {
    console.log('installing git-lfs and git-annex from Debian for the comparison…');
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'git-lfs', 'git-annex'], { stdio: 'ignore', timeout: 600_000 });
  }
  return { lfs: have('git-lfs'), annex: have('git-annex') };
}

async function gitAdd(dir, kind) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  if (kind === 'lfs') {
    execFileSync('git', ['lfs', 'install', '--local'], { cwd: dir, env, stdio: 'ignore' });
    execFileSync('git', ['lfs', 'track', '*.bin'], { cwd: dir, env, stdio: 'ignore' });
    return (await run('git', ['add', '.'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] })).ms;
  }
  execFileSync('git', ['annex', 'init', 'bench'], { cwd: dir, env, stdio: 'ignore' });
  return (await run('git', ['annex', 'add', '.'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] })).ms;
}

/** Issue 11, cases 1–4 and the log's memory: 100,000 files of 1–8 KiB. */
async function smallFilesCases() {
  const count = Math.max(200, Math.round(100_000 * SCALE));
  const work = scratch('small');
  const data = path.join(work, 'data');
  console.log(`generating ${count} files of 1–8 KiB…`);
  smallFiles(data, count);
  const files = listFiles(data);
  await md5sumP2(files); // warm the page cache
  const r = { log: [], digest: [], download: [], verify: [], relog: [], relogOne: [], noopDownload: [], verifyFast: [], lfs: [], annex: [], logRss: [] };
  const tools = ensureTools();
  for (let i = 0; i < RUNS; i++) {
    const reg = path.join(work, `reg-${i}`);
    const order = i % 2 === 0;
    // log (first) vs the slower of md5sum -P2 and cp -r
    await sync();
    const base = async () => Math.max(await md5sumP2(files), await (async () => { const t = await cpR(data, path.join(work, `cp-${i}`)); removeTree(path.join(work, `cp-${i}`)); return t; })());
    let logMs, baseMs;
    if (order) { logMs = await ours(['--registry', reg, 'log', data, '--name', 'small', '--type', 'dataset']); await sync(); baseMs = await base(); }
    else { baseMs = await base(); await sync(); logMs = await ours(['--registry', reg, 'log', data, '--name', 'small', '--type', 'dataset']); }
    r.log.push(logMs.ms / baseMs);
    r.logRss.push(logMs.rss);
    // digest vs md5sum -P2
    const dg = await ours(['--registry', reg, 'digest', data]);
    const m1 = await md5sumP2(files);
    r.digest.push(dg.ms / m1);
    // re-log unchanged vs a stat walk (wait out the racy window first: files just written are hashed again)
    // The floor is the walk plus the CLI's own start-up (as the table measures it): no
    // command of ours can take less than starting Node and the CLI.
    await new Promise((res) => setTimeout(res, 2100));
    const sw = (await statWalk(data)) + (await ours(['--version'])).ms;
    const relog = await ours(['--registry', reg, 'log', data, '--name', 'small', '--type', 'dataset']);
    r.relog.push(relog.ms / sw);
    // re-log with one changed file vs the unchanged re-log
    const one = files[Math.floor(files.length / 2)];
    appendFileSync(one, 'x');
    const relogOne = await ours(['--registry', reg, 'log', data, '--name', 'small', '--type', 'dataset']);
    const relog2 = await ours(['--registry', reg, 'log', data, '--name', 'small', '--type', 'dataset']);
    r.relogOne.push(relogOne.ms / relog2.ms);
    // download into an empty folder vs cp -r
    const dest = path.join(work, `dl-${i}`);
    await sync();
    let dl, cp;
    if (order) { dl = await ours(['--registry', reg, 'download', 'small:v0', '--root', dest]); await sync(); cp = await cpR(data, path.join(work, `cpd-${i}`)); }
    else { cp = await cpR(data, path.join(work, `cpd-${i}`)); await sync(); dl = await ours(['--registry', reg, 'download', 'small:v0', '--root', dest]); }
    removeTree(path.join(work, `cpd-${i}`));
    r.download.push(dl.ms / cp);
    // verify (hashes every file) vs md5sum -P2
    const destFiles = listFiles(dest);
    const vf = await ours(['--registry', reg, 'verify', 'small:v0', '--root', dest]);
    const m2 = await md5sumP2(destFiles);
    r.verify.push(vf.ms / m2);
    // download into a folder that already matches, and verify --fast, vs a stat walk
    const sw2 = (await statWalk(dest)) + (await ours(['--version'])).ms;
    const noop = await ours(['--registry', reg, 'download', 'small:v0', '--root', dest]);
    const fast = await ours(['--registry', reg, 'verify', 'small:v0', '--root', dest, '--fast']);
    r.noopDownload.push(noop.ms / sw2);
    r.verifyFast.push(fast.ms / sw2);
    console.log(`  run ${i + 1}: log ${logMs.ms.toFixed(0)} ms vs ${baseMs.toFixed(0)} (peak ${mib(logMs.rss)}), digest ${dg.ms.toFixed(0)} vs md5sum ${m1.toFixed(0)}, re-log ${relog.ms.toFixed(0)} vs stat walk + start-up ${sw.toFixed(0)}, one changed ${relogOne.ms.toFixed(0)}, download ${dl.ms.toFixed(0)} vs cp ${cp.toFixed(0)}, verify ${vf.ms.toFixed(0)} vs md5sum ${m2.toFixed(0)}, no-op download ${noop.ms.toFixed(0)} / verify --fast ${fast.ms.toFixed(0)} vs stat walk + start-up ${sw2.toFixed(0)}`);
    removeTree(dest);
    removeTree(reg);
    // the tools a user would otherwise pick, on a fresh copy of the same folder
    for (const kind of ['lfs', 'annex']) {
      if (!tools[kind] || i > 0) continue;
      const copy = path.join(work, `${kind}-data`);
      await cpR(data, copy);
      await sync();
      const t = await gitAdd(copy, kind).catch((e) => (console.log(`  git ${kind}: ${e.message}`), undefined));
      removeTree(copy);
      const reg2 = path.join(work, `reg-${kind}`);
      await sync();
      const o = await ours(['--registry', reg2, 'log', data, '--name', 'small', '--type', 'dataset']);
      removeTree(reg2);
      if (t !== undefined) {
        r[kind].push(o.ms / t);
        console.log(`  git ${kind === 'lfs' ? 'lfs' : 'annex'} add ${t.toFixed(0)} ms vs our log ${o.ms.toFixed(0)} ms`);
      }
    }
  }
  removeTree(work);
  const out = [
    report(`small files (${count}): log vs the slower of md5sum -P2 and cp -r`, { ratio: median(r.log), target: 1.5 }),
    report(`small files: digest vs md5sum -P2`, { ratio: median(r.digest), target: 2 }),
    report(`small files: download into an empty folder vs cp -r`, { ratio: median(r.download), target: 1.5 }),
    report(`small files: verify (hashes every file) vs md5sum -P2`, { ratio: median(r.verify), target: 2 }),
    report(`small files: re-log unchanged vs a stat walk + CLI start-up`, { ratio: median(r.relog), target: 2 }),
    report(`small files: re-log with one file changed vs unchanged`, { ratio: median(r.relogOne), target: 2 }),
    report(`small files: download into a matching folder vs a stat walk + CLI start-up`, { ratio: median(r.noopDownload), target: 2 }),
    report(`small files: verify --fast vs a stat walk + CLI start-up`, { ratio: median(r.verifyFast), target: 2 }),
    report(`memory: peak RSS of logging ${count} files (MiB, target 300)`, { ratio: Math.max(...r.logRss) / 1048576, target: 300 }),
  ];
  if (r.lfs.length) out.push(report('small files: log vs git add with git-lfs', { ratio: median(r.lfs), target: 1 }));
  if (r.annex.length) out.push(report('small files: log vs git annex add', { ratio: median(r.annex), target: 1 }));
  return out;
}

/** Issue 11, case 2 for large files: re-log of an unchanged 1 GiB folder vs a stat walk. */
async function relogLargeCase() {
  const count = Math.max(10, Math.round(1000 * SCALE));
  const work = scratch('relog-large');
  const data = path.join(work, 'data');
  mkdirSync(data, { recursive: true });
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let i = 0; i < count; i++) {
    randomFillSync(buf);
    writeFileSync(path.join(data, `f${String(i).padStart(5, '0')}.bin`), buf);
    utimesSync(path.join(data, `f${String(i).padStart(5, '0')}.bin`), PAST, PAST);
  }
  const reg = path.join(work, 'reg');
  await ours(['--registry', reg, 'log', data, '--name', 'big', '--type', 'dataset']);
  await new Promise((res) => setTimeout(res, 2100));
  const ratios = [];
  const floor = async () => (await statWalk(data)) + (await ours(['--version'])).ms;
  for (let i = 0; i < RUNS; i++) {
    const a = i % 2 === 0;
    const sw1 = a ? await floor() : 0;
    const relog = await ours(['--registry', reg, 'log', data, '--name', 'big', '--type', 'dataset']);
    const sw = a ? sw1 : await floor();
    ratios.push(relog.ms / sw);
    console.log(`  run ${i + 1}: re-log ${relog.ms.toFixed(0)} ms, stat walk + CLI start-up ${sw.toFixed(0)} ms`);
  }
  removeTree(work);
  return report(`re-log an unchanged ${mib(count << 20)} folder vs a stat walk + CLI start-up`, { ratio: median(ratios), target: 2 });
}

/** Issue 11, case 5: a collection of 10,000 versions. */
async function listingCase() {
  const versions = Math.max(100, Math.round(10_000 * Math.min(1, SCALE * 10)));
  const work = scratch('listing');
  const reg = path.join(work, 'reg');
  const one = path.join(work, 'one');
  mkdirSync(one);
  writeFileSync(path.join(one, 'a.txt'), 'a');
  await ours(['--registry', reg, '--entity', 'e', '--project', 'p', 'log', one, '--name', 'many', '--type', 'dataset']);
  // Give the collection `versions` versions (all of the same content) in one document swap.
  execFileSync(process.execPath, [path.join(ROOT, 'bench', 'grow-collection.mjs'), reg, String(versions)], { stdio: 'inherit' });
  const lib = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bench', 'listing-once.mjs'), reg, String(RUNS)], { encoding: 'utf8' }));
  const startup = [];
  const first = [];
  const whole = [];
  for (let i = 0; i < RUNS; i++) {
    startup.push((await ours(['--version'])).ms);
    first.push((await ours(['--registry', reg, 'ls', 'e/p/many', '--limit', '50'])).ms);
    whole.push((await ours(['--registry', reg, 'ls', 'e/p/many'])).ms);
  }
  removeTree(work);
  console.log(`  library first page ${lib.firstPageMs.map((x) => x.toFixed(1)).join(', ')} ms; CLI start-up ${startup.map((x) => x.toFixed(0)).join(', ')} ms, ls first page ${first.map((x) => x.toFixed(0)).join(', ')} ms, ls whole ${whole.map((x) => x.toFixed(0)).join(', ')} ms`);
  return [
    report(`listing: first page of a ${versions}-version collection in the library, as the tree asks (ms, target 50)`, { ratio: median(lib.firstPageMs), target: 50 }),
    report(`listing: ls of the first page vs the CLI's start-up`, { ratio: median(first) / median(startup), target: 2 }),
    report(`listing: ls of all ${versions} versions vs the CLI's start-up`, { ratio: median(whole) / median(startup), target: 2 }),
  ];
}

/** Issue 11, case 6: peak memory of diffing two 500,000-entry versions. */
async function diffMemoryCase() {
  const entries = Math.max(5000, Math.round(500_000 * SCALE));
  const work = scratch('diffmem');
  const reg = path.join(work, 'reg');
  execFileSync(process.execPath, [path.join(ROOT, 'bench', 'make-big-versions.mjs'), reg, String(entries)], { stdio: 'inherit' });
  const d = await ours(['--registry', reg, '--entity', 'bench', '--project', 'bench', 'diff', 'big:v0', 'big:v1', '--json'], { allowFail: true });
  removeTree(work);
  return report(`memory: peak RSS of diffing two ${entries}-entry versions (MiB, target 1024)`, { ratio: d.rss / 1048576, target: 1024 });
}

export const smallFileCases = [
  { id: 'small', title: 'many small files: log, digest, download, verify, re-log, no-op; git-lfs and git-annex', run: smallFilesCases },
  { id: 'relog-large', title: 're-log an unchanged 1 GiB folder vs a stat walk', run: relogLargeCase },
  { id: 'listing', title: 'listing a collection of 10,000 versions', run: listingCase },
  { id: 'diff-memory', title: 'peak memory of diffing two 500,000-entry versions', run: diffMemoryCase },
];
