/**
 * The hashing worker, kept as source text so that it runs the same from TypeScript tests, the CLI
 * bundle and the extension bundle (`new Worker(source, { eval: true })`, no file to locate).
 *
 * Two tasks. Hash: MD5 of a file in 1 MiB chunks; when `stageDir` is given, the kernel first copies
 * the file (a clone on filesystems that have them) and the copy is hashed, then made read-only at
 * `<stageDir>/md5/<2 hex>/<30 hex>`: the object layout of a local registry, so staging into a
 * registry's own folder is storing (each blob once). A kernel copy costs less than writing the
 * bytes from the worker (measured: log of 1 GiB 1.5 s instead of 2.0-2.9 s on the same machine).
 * Copy: the download side (see copyFile below), the same way round.
 */

export const HASH_WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const CHUNK = 1 << 20;
const PROGRESS_EVERY = 64 << 20;
const buf = Buffer.allocUnsafe(CHUNK);
const madeDirs = new Set();

// MD5 of an open file, read in 1 MiB chunks, with progress messages on the way.
function hashOpenFile(id, fd) {
  const hash = crypto.createHash('md5');
  let size = 0, sinceProgress = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, CHUNK, null);
    if (n === 0) break;
    hash.update(n === CHUNK ? buf : buf.subarray(0, n));
    size += n;
    sinceProgress += n;
    if (sinceProgress >= PROGRESS_EVERY) { parentPort.postMessage({ id, progress: sinceProgress }); sinceProgress = 0; }
  }
  return { md5: hash.digest(), size, sinceProgress };
}

// The kernel copies (a clone where the filesystem can), then the copy is hashed: the digest is that
// of exactly the bytes kept, even if the source changes meanwhile, and the source is read once.
function copyThenOpen(src, tmp) {
  fs.copyFileSync(src, tmp, fs.constants.COPYFILE_FICLONE);
  return fs.openSync(tmp, 'r');
}

function hashFile(id, file, stageDir, tmpDir) {
  let fd = -1, tmp = null;
  try {
    if (stageDir) {
      if (!madeDirs.has(tmpDir)) { fs.mkdirSync(tmpDir, { recursive: true }); madeDirs.add(tmpDir); }
      tmp = path.join(tmpDir, 'stage-' + process.pid + '-' + crypto.randomBytes(6).toString('hex'));
      fd = copyThenOpen(file, tmp);
    } else {
      fd = fs.openSync(file, 'r');
    }
    const { md5, size, sinceProgress } = hashOpenFile(id, fd);
    let stagedPath, stagedStamp;
    if (tmp) {
      fs.fchmodSync(fd, 0o444);
      const hex = md5.toString('hex');
      const dir = path.join(stageDir, 'md5', hex.slice(0, 2));
      if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
      stagedPath = path.join(dir, hex.slice(2));
      // Replacing an existing copy is as cheap as dropping ours, and leaves bytes known to be good.
      fs.renameSync(tmp, stagedPath);
      tmp = null;
      const st = fs.statSync(stagedPath);
      stagedStamp = { ino: st.ino, size: st.size, ctimeMs: st.ctimeMs };
    }
    parentPort.postMessage({ id, digest: md5.toString('base64'), size, stagedPath, stagedStamp, progress: sinceProgress });
  } finally {
    if (fd >= 0) fs.closeSync(fd);
    if (tmp) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

// Copies src to dest through a temp file next to dest and hashes the copy. It is renamed into place
// only when its MD5 equals the expected digest, so a corrupted source never reaches dest.
function copyFile(id, src, dest, expect, mtimeMs, mode) {
  const tmp = path.join(path.dirname(dest), '.artifacts-tmp-' + process.pid + '-' + crypto.randomBytes(6).toString('hex'));
  let fd = -1, done = false;
  try {
    fd = copyThenOpen(src, tmp);
    const { md5, size, sinceProgress } = hashOpenFile(id, fd);
    const digest = md5.toString('base64');
    if (expect && digest !== expect) {
      // Remove the copy before answering, so the caller never sees it.
      fs.closeSync(fd); fd = -1;
      try { fs.unlinkSync(tmp); } catch {}
      done = true;
      parentPort.postMessage({ id, error: { message: 'digest mismatch', code: 'ECORRUPT', actual: digest } });
      return;
    }
    fs.fchmodSync(fd, mode);
    if (mtimeMs) fs.futimesSync(fd, Date.now() / 1000, mtimeMs / 1000);
    fs.renameSync(tmp, dest);
    done = true;
    parentPort.postMessage({ id, digest, size, progress: sinceProgress });
  } finally {
    if (fd >= 0) fs.closeSync(fd);
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
