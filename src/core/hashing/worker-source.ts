/**
 * The hashing worker, kept as source text so that it runs the same from TypeScript tests, the CLI
 * bundle and the extension bundle (`new Worker(source, { eval: true })`, no file to locate).
 *
 * Two tasks. Hash: read a file once in 1 MiB chunks, feed MD5, and when `stageDir` is given write the same
 * bytes to a copy that ends up read-only at `<stageDir>/md5/<2 hex>/<30 hex>`: the object layout of
 * a local registry, so staging into a registry's own folder is storing (each blob once).
 * Copy: the download side (see copyFile below).
 */
import { SEAL_OFFSET_MS } from '../blob-seal';

export const HASH_WORKER_SOURCE = String.raw`
const SEAL_OFFSET_MS = ${SEAL_OFFSET_MS};
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const CHUNK = 1 << 20;
const PROGRESS_EVERY = 64 << 20;
const buf = Buffer.allocUnsafe(CHUNK);
const madeDirs = new Set();

function hashFile(id, file, stageDir, tmpDir) {
  const hash = crypto.createHash('md5');
  const fd = fs.openSync(file, 'r');
  let out = -1, tmp = null, size = 0, sinceProgress = 0;
  try {
    if (stageDir) {
      if (!madeDirs.has(tmpDir)) { fs.mkdirSync(tmpDir, { recursive: true }); madeDirs.add(tmpDir); }
      tmp = path.join(tmpDir, 'stage-' + process.pid + '-' + crypto.randomBytes(6).toString('hex'));
      out = fs.openSync(tmp, 'w', 0o644);
    }
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = n === CHUNK ? buf : buf.subarray(0, n);
      hash.update(chunk);
      if (out >= 0) {
        let off = 0;
        while (off < n) off += fs.writeSync(out, chunk, off, n - off);
      }
      size += n;
      sinceProgress += n;
      if (sinceProgress >= PROGRESS_EVERY) { parentPort.postMessage({ id, progress: sinceProgress }); sinceProgress = 0; }
    }
    const md5 = hash.digest();
    let stagedPath, stagedStamp;
    if (out >= 0) {
      fs.fchmodSync(out, 0o444);
      fs.closeSync(out);
      out = -1;
      const hex = md5.toString('hex');
      const dir = path.join(stageDir, 'md5', hex.slice(0, 2));
      if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
      stagedPath = path.join(dir, hex.slice(2));
      // Replacing an existing copy is as cheap as dropping ours, and leaves bytes known to be good.
      fs.renameSync(tmp, stagedPath);
      const now = Date.now(); // seal it: see blob-seal.ts
      fs.utimesSync(stagedPath, now / 1000, (now - SEAL_OFFSET_MS) / 1000);
      const st = fs.statSync(stagedPath);
      stagedStamp = { ino: st.ino, size: st.size, ctimeMs: st.ctimeMs };
      tmp = null;
    }
    parentPort.postMessage({ id, digest: md5.toString('base64'), size, stagedPath, stagedStamp, progress: sinceProgress });
  } finally {
    fs.closeSync(fd);
    if (out >= 0) fs.closeSync(out);
    if (tmp) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

// Copies src to dest through a temp file next to dest, hashing on the way. The copy is renamed into
// place only when its MD5 equals the expected digest, so a corrupted source never reaches dest.
function copyFile(id, src, dest, expect, mtimeMs, mode) {
  const hash = crypto.createHash('md5');
  const fd = fs.openSync(src, 'r');
  const tmp = path.join(path.dirname(dest), '.artifacts-tmp-' + process.pid + '-' + crypto.randomBytes(6).toString('hex'));
  let out = fs.openSync(tmp, 'w', mode);
  let size = 0, sinceProgress = 0, done = false;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = n === CHUNK ? buf : buf.subarray(0, n);
      hash.update(chunk);
      let off = 0;
      while (off < n) off += fs.writeSync(out, chunk, off, n - off);
      size += n;
      sinceProgress += n;
      if (sinceProgress >= PROGRESS_EVERY) { parentPort.postMessage({ id, progress: sinceProgress }); sinceProgress = 0; }
    }
    const digest = hash.digest('base64');
    if (expect && digest !== expect) {
      parentPort.postMessage({ id, error: { message: 'digest mismatch', code: 'ECORRUPT', actual: digest } });
      return;
    }
    fs.fchmodSync(out, mode);
    if (mtimeMs) fs.futimesSync(out, Date.now() / 1000, mtimeMs / 1000);
    fs.closeSync(out);
    out = -1;
    fs.renameSync(tmp, dest);
    done = true;
    parentPort.postMessage({ id, digest, size, progress: sinceProgress });
  } finally {
    fs.closeSync(fd);
    if (out >= 0) fs.closeSync(out);
    if (!done) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

parentPort.on('message', (task) => {
  try {
    if (task.op === 'copy') copyFile(task.id, task.src, task.dest, task.expect, task.mtimeMs, task.mode);
    else hashFile(task.id, task.file, task.stageDir, task.tmpDir);
  } catch (e) {
    parentPort.postMessage({ id: task.id, error: { message: e.message, code: e.code } });
  }
});
`;
