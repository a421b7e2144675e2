// l10n-ignore-file: the source code of the hashing thread (its few messages are translated in pool.ts)
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
const PROGRESS_EVERY = 64 << 20;
const buf = Buffer.allocUnsafe(CHUNK);
// holds() reads with its own buffer: the file being staged is still in buf.
const checkBuf = Buffer.allocUnsafe(CHUNK);
const madeDirs = new Set();
// One-shot MD5 (no Hash object per file) where this Node has it (20.12 and later).
const md5Of = crypto.hash ? (b) => crypto.hash('md5', b, 'buffer') : (b) => crypto.createHash('md5').update(b).digest();

const oneByte = Buffer.allocUnsafe(1);

// Reads a file from its start into the shared buffer: its length when it ends within CHUNK bytes
// (a file of exactly CHUNK bytes included), or -1 for a larger file (the buffer then holds its first
// CHUNK bytes). No fstat: EOF is the end.
function readSmall(fd) {
  let off = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, off, CHUNK - off, off);
    if (n === 0) return off;
    off += n;
    if (off === CHUNK) return fs.readSync(fd, oneByte, 0, 1, CHUNK) === 0 ? CHUNK : -1;
  }
}

function ensureDir(dir) {
  if (!madeDirs.has(dir)) { fs.mkdirSync(dir, { recursive: true }); madeDirs.add(dir); }
}

// Runs fn; if a folder this thread made earlier has gone since (someone removed it), makes it again.
function withDirs(dirs, fn) {
  try {
    return fn();
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
    for (const d of dirs) { madeDirs.delete(d); ensureDir(d); }
    return fn();
  }
}

// True when the file at path already holds exactly these bytes (a content-addressed copy is
// trusted only after it was hashed: a damaged one is replaced, not kept).
function holds(file, md5, size) {
  let fd;
  try { fd = fs.openSync(file, 'r'); } catch { return false; }
  try {
    if (fs.fstatSync(fd).size !== size) return false;
    return hashOpenFile(fd, checkBuf).md5.equals(md5);
  } finally {
    fs.closeSync(fd);
  }
}

function tempName(dir, prefix) {
  return path.join(dir, prefix + process.pid + '-' + crypto.randomBytes(6).toString('hex'));
}

// MD5 of an open file read in 1 MiB chunks, with progress messages on the way; with first set, the
// first CHUNK bytes were read already and are in the buffer (readSmall said the file is larger).
function hashOpenFile(fd, b = buf, first = false) {
  const hash = crypto.createHash('md5');
  let size = 0, sinceProgress = 0;
  if (first) {
    hash.update(b);
    size = sinceProgress = CHUNK;
  }
  for (;;) {
    const n = fs.readSync(fd, b, 0, CHUNK, size);
    if (n === 0) break;
    hash.update(n === CHUNK ? b : b.subarray(0, n));
    size += n;
    sinceProgress += n;
    if (sinceProgress >= PROGRESS_EVERY) { parentPort.postMessage({ progress: sinceProgress }); sinceProgress = 0; }
  }
  return { md5: hash.digest(), size, sinceProgress };
}

function stagedPathOf(stageDir, md5) {
  const hex = md5.toString('hex');
  const dir = path.join(stageDir, 'md5', hex.slice(0, 2));
  ensureDir(dir);
  return path.join(dir, hex.slice(2));
}

function identity(st) {
  return [Number(st.size), String(st.mtimeNs), String(st.ctimeNs), String(st.ino), String(st.dev)];
}

function hashFile(t) {
  if (t.stageDir && !t.tmpDir) t.tmpDir = path.join(t.stageDir, 'tmp');
  const fd = fs.openSync(t.file, 'r');
  let tmp = null;
  try {
    // The identity is taken before the bytes are read (a change during the read shows next time).
    const st = t.identify ? fs.fstatSync(fd, { bigint: true }) : t.stageDir ? fs.fstatSync(fd) : undefined;
    const ident = t.identify ? identity(st) : undefined;
    // Staging decides by size (a large file is cloned, never read twice); hashing alone reads on.
    const n = t.stageDir && Number(st.size) > CHUNK ? -1 : readSmall(fd);
    if (n >= 0) {
      const bytes = buf.subarray(0, n);
      const md5 = md5Of(bytes);
      const r = { digest: md5.toString('base64'), size: n, progress: n, ident };
      if (t.stageDir) {
        const staged = stagedPathOf(t.stageDir, md5);
        r.stagedPath = staged;
        // Written straight at its content-addressed name (exclusive create): cheaper than a temp file
        // and a rename, and safe: a copy cut short by a crash has the wrong bytes, which every reader
        // checks (a later staging replaces it, a download refuses it).
        try {
          withDirs([path.dirname(staged)], () => fs.writeFileSync(staged, bytes, { mode: 0o444, flag: 'wx' }));
          return r;
        } catch (e) {
          if (e.code !== 'EEXIST') throw e;
        }
        if (t.skipExisting && holds(staged, md5, n)) { r.existed = true; return r; }
        ensureDir(t.tmpDir);
        tmp = tempName(t.tmpDir, 'stage-');
        fs.writeFileSync(tmp, bytes, { mode: 0o444, flag: 'wx' });
        withDirs([path.dirname(staged)], () => fs.renameSync(tmp, staged));
        tmp = null;
      }
      return r;
    }
    if (!t.stageDir) {
      const { md5, size, sinceProgress } = hashOpenFile(fd, buf, true);
      return { digest: md5.toString('base64'), size, progress: sinceProgress, ident };
    }
    ensureDir(t.tmpDir);
    tmp = tempName(t.tmpDir, 'stage-');
    withDirs([t.tmpDir], () => fs.copyFileSync(t.file, tmp, fs.constants.COPYFILE_FICLONE));
    const cfd = fs.openSync(tmp, 'r');
    try {
      const { md5, size, sinceProgress } = hashOpenFile(cfd);
      fs.fchmodSync(cfd, 0o444);
      const stagedPath = stagedPathOf(t.stageDir, md5);
      if (t.skipExisting && holds(stagedPath, md5, size)) return { digest: md5.toString('base64'), size, stagedPath, existed: true, progress: sinceProgress, ident };
      withDirs([path.dirname(stagedPath)], () => fs.renameSync(tmp, stagedPath));
      tmp = null;
      return { digest: md5.toString('base64'), size, stagedPath, progress: sinceProgress, ident };
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
      if (!srcStat.isFile()) return { error: { message: 'not a file: ' + t.src, code: 'ENOTFILE' } };
      const srcSize = srcStat.size;
      const mtimeMs = t.keepMtime ? srcStat.mtimeMs : t.mtimeMs;
      const n = srcSize < CHUNK ? readSmall(fd) : -1;
      if (n >= 0) {
        const bytes = buf.subarray(0, n);
        md5 = md5Of(bytes);
        size = n;
        progress = size;
        if (t.expect && md5.toString('base64') !== t.expect) return { error: { message: 'digest mismatch', code: 'ECORRUPT', actual: md5.toString('base64') } };
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
          ({ md5, size, sinceProgress: progress } = hashOpenFile(cfd));
          if (t.expect && md5.toString('base64') !== t.expect) return { error: { message: 'digest mismatch', code: 'ECORRUPT', actual: md5.toString('base64') } };
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
    return { digest: md5.toString('base64'), size, progress, stat: { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs } };
  } finally {
    if (!placed) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

parentPort.on('message', (batch) => {
  const results = [];
  for (let i = 0; i < batch.length; i++) {
    const t = batch[i];
    let r;
    try {
      r = t.op === 'copy' ? copyFile(t) : hashFile(t);
    } catch (e) {
      r = { error: { message: e.message, code: e.code } };
    }
    r.i = i;
    results.push(r);
    if (r.error) break; // the job fails on its first error: no need to go on
  }
  parentPort.postMessage({ results });
});
`;
