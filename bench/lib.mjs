// Shared helpers of the benchmark cases: data generation, timing, child runs, statistics.
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, openSync, writeSync, closeSync, mkdtempSync, rmSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCRATCH = process.env.BENCH_DIR ?? tmpdir();

export function scratch(prefix) {
  return mkdtempSync(path.join(SCRATCH, `artifacts-bench-${prefix}-`));
}

/** Makes stored read-only files removable, then removes the tree. */
export function removeTree(dir) {
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        chmodSync(p, 0o755);
        walk(p);
      }
    }
  };
  try {
    walk(dir);
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}

/** `count` files of `size` bytes of random data, spread over a few sub-folders. */
export function generateFolder(dir, count, size) {
  const buf = Buffer.allocUnsafe(Math.min(size, 1 << 20));
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `part-${i % 10}`);
    mkdirSync(sub, { recursive: true });
    const fd = openSync(path.join(sub, `file-${String(i).padStart(5, '0')}.bin`), 'w');
    for (let left = size; left > 0; left -= buf.length) {
      randomFillSync(buf);
      writeSync(fd, buf, 0, Math.min(left, buf.length));
    }
    closeSync(fd);
  }
}

export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs a command; resolves with wall milliseconds, stdout and exit code. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
    let stdout = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 && !opts.allowFail) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`));
      else resolve({ ms, stdout, code });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function mib(bytes) {
  return `${(bytes / 1048576).toFixed(0)} MiB`;
}

export function report(name, { ratio, target, detail }) {
  const verdict = ratio <= target ? 'within target' : 'ABOVE target';
  console.log(`${name}: median ratio ${ratio.toFixed(2)}x (target <= ${target}x, ${verdict})${detail ? `; ${detail}` : ''}`);
  return { name, ratio, target, ok: ratio <= target };
}

export function dirSize(dir) {
  return listFiles(dir).reduce((s, f) => s + statSync(f).size, 0);
}
