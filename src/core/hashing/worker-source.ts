/**
 * The hashing worker, kept as source text so that it runs the same from TypeScript tests, the CLI
 * bundle and the extension bundle (`new Worker(source, { eval: true })`, no file to locate). It takes
 * tasks in batches (one message for many small files) and answers each batch in one message.
 *
 * Hash: the MD5 of a file. With `stageDir`, a read-only copy is also left at
 * `<stageDir>/md5/<2 hex>/<30 hex>` (the object layout of a local registry, so staging into a
 * registry's own folder is storing): a small file is read once into memory, hashed, and those very
 * bytes are written; a large one is copied by the kernel (a clone where the filesystem can) and the
 * copy is hashed. Either way the digest is that of exactly the bytes kept, even if the source changes
 * meanwhile.
 * Copy: the download side, the same way round: the bytes are hashed as they are copied to a temp
 * file beside the destination, which is renamed into place only when the digest matches.
 */
export const HASH_WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const CHUNK = 1 << 20;
const SMALL = 1 << 20;
const PROGRESS_EVERY = 64 << 20;
const buf = Buffer.allocUnsafe(CHUNK);
const madeDirs = new Set();

function ensureDir(dir) {
  if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
}

function tempName(dir, prefix) {
  return path.join(dir, prefix + process.pid + '-' + crypto.randomBytes(6).toString('hex'));
}

// Reads a whole small file (size from fstat) with as few reads as it takes.
function readAll(fd, size) {
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = fs.readSync(fd, out, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  // A file that grew since fstat: read the rest too (positional reads: the fd's offset never moved).
  const parts = [off === size ? out : out.subarray(0, off)];
  for (;;) {
    const n = fs.readSync(fd, buf, 0, CHUNK, off);
    if (n === 0) break;
    off += n;
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

// MD5 of an open file read in 1 MiB chunks, with progress messages on the way.
function hashOpenFile(id, fd) {
  const hash = crypto.createHash('md5');
  let size = 0, sinceProgress = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, CHUNK, null);
    if (n === 0) break;
    hash.update(n === CHUNK ? buf : buf.subarray(0, n));
    size += n;
    sinceProgress += n;
    if (sinceProgress >= PROGRESS_EVERY) { parentPort.postMessage({ progress: [[id, sinceProgress]] }); sinceProgress = 0; }
  }
  return { md5: hash.digest(), size, sinceProgress };
}

function sameSize(file, size) {
  try { return fs.statSync(file).size === size; } catch { return false; }
}

function stagedPathOf(stageDir, md5) {
  const hex = md5.toString('hex');
  const dir = path.join(stageDir, 'md5', hex.slice(0, 2));
  ensureDir(dir);
  return path.join(dir, hex.slice(2));
}

function hashFile(t) {
  const fd = fs.openSync(t.file, 'r');
  let tmp = null;
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= SMALL) {
      const bytes = readAll(fd, size);
      const md5 = crypto.createHash('md5').update(bytes).digest();
      const r = { id: t.id, digest: md5.toString('base64'), size: bytes.length, progress: bytes.length };
      if (t.stageDir) {
        r.stagedPath = stagedPathOf(t.stageDir, md5);
        if (t.skipExisting && sameSize(r.stagedPath, bytes.length)) { r.existed = true; return r; }
        ensureDir(t.tmpDir);
        tmp = tempName(t.tmpDir, 'stage-');
        fs.writeFileSync(tmp, bytes, { mode: 0o444, flag: 'wx' });
        fs.renameSync(tmp, r.stagedPath);
        tmp = null;
      }
      return r;
    }
    if (!t.stageDir) {
      const { md5, size: n, sinceProgress } = hashOpenFile(t.id, fd);
      return { id: t.id, digest: md5.toString('base64'), size: n, progress: sinceProgress };
    }
    ensureDir(t.tmpDir);
    tmp = tempName(t.tmpDir, 'stage-');
    fs.copyFileSync(t.file, tmp, fs.constants.COPYFILE_FICLONE);
    const cfd = fs.openSync(tmp, 'r');
    try {
      const { md5, size: n, sinceProgress } = hashOpenFile(t.id, cfd);
      fs.fchmodSync(cfd, 0o444);
      const stagedPath = stagedPathOf(t.stageDir, md5);
      if (t.skipExisting && sameSize(stagedPath, n)) return { id: t.id, digest: md5.toString('base64'), size: n, stagedPath, existed: true, progress: sinceProgress };
      fs.renameSync(tmp, stagedPath);
      tmp = null;
      return { id: t.id, digest: md5.toString('base64'), size: n, stagedPath, progress: sinceProgress };
    } finally {
      fs.closeSync(cfd);
    }
  } finally {
    fs.closeSync(fd);
    if (tmp) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

// Copies src to dest through a temp file beside dest, renamed into place only if its MD5 is the
// expected one; returns the stat of the file in place (for the download records).
function copyFile(t) {
  const tmp = tempName(path.dirname(t.dest), '.artifacts-tmp-');
  let placed = false;
  try {
    const fd = fs.openSync(t.src, 'r');
    let md5, size, progress;
    try {
      const srcStat = fs.fstatSync(fd);
      if (!srcStat.isFile()) return { id: t.id, error: { message: 'not a file: ' + t.src, code: 'ENOTFILE' } };
      const srcSize = srcStat.size;
      const mtimeMs = t.keepMtime ? srcStat.mtimeMs : t.mtimeMs;
      if (srcSize <= SMALL) {
        const bytes = readAll(fd, srcSize);
        md5 = crypto.createHash('md5').update(bytes).digest();
        size = bytes.length;
        progress = size;
        if (t.expect && md5.toString('base64') !== t.expect) return { id: t.id, error: { message: 'digest mismatch', code: 'ECORRUPT', actual: md5.toString('base64') } };
        const out = fs.openSync(tmp, 'wx', t.mode);
        try {
          fs.writeSync(out, bytes, 0, bytes.length, 0);
          if (mtimeMs) fs.futimesSync(out, Date.now() / 1000, mtimeMs / 1000);
        } finally {
          fs.closeSync(out);
        }
      } else {
        fs.copyFileSync(t.src, tmp, fs.constants.COPYFILE_FICLONE);
        const cfd = fs.openSync(tmp, 'r+');
        try {
          ({ md5, size, sinceProgress: progress } = hashOpenFile(t.id, cfd));
          if (t.expect && md5.toString('base64') !== t.expect) return { id: t.id, error: { message: 'digest mismatch', code: 'ECORRUPT', actual: md5.toString('base64') } };
          fs.fchmodSync(cfd, t.mode);
          if (mtimeMs) fs.futimesSync(cfd, Date.now() / 1000, mtimeMs / 1000);
        } finally {
          fs.closeSync(cfd);
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, t.dest);
    placed = true;
    const st = fs.statSync(t.dest);
    return { id: t.id, digest: md5.toString('base64'), size, progress, stat: { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs } };
  } finally {
    if (!placed) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

parentPort.on('message', (batch) => {
  const results = [];
  for (const t of batch) {
    try {
      results.push(t.op === 'copy' ? copyFile(t) : hashFile(t));
    } catch (e) {
      results.push({ id: t.id, error: { message: e.message, code: e.code } });
    }
  }
  parentPort.postMessage({ results });
});
`;
