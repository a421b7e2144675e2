/**
 * A folder seen as an artifact: its files hashed (or known from checksum records) into a manifest,
 * and its comparison with a manifest (verify).
 */
import { promises as fsp, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { ChecksumRecords } from './checksum-records';
import type { HashCache } from './hash-cache';
import { throwIfAborted, ValidationError } from './errors';
import { hashPool, type HashProgress } from './hashing/pool';
import { Manifest } from './manifest';
import { isTrackingFile } from './tracking';
import { walkFiles } from './walk';

export interface FolderScanOptions {
  /** Trust files whose stat matches these records instead of reading them. */
  records?: ChecksumRecords;
  /** Then trust files whose stat matches the log's hash cache (a folder logged before: `commit`). */
  hashCache?: HashCache;
  /**
   * Add what was learned to `records` (each file hashed or known from the hash cache, with the stat
   * taken before it was read; not a file modified within 2 s, git's racy rule), so the next scan of
   * an unchanged file is one stat. The caller saves the records.
   */
  remember?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: HashProgress & { totalFiles: number }) => void;
}

/** A file modified this recently may change again without its mtime moving (git's racy rule). */
const RACY_MS = 2000;

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // unreadable now: hashing it will say why
  }
}

/** The manifest the folder's current contents would have (symlinked folders are not entered). */
export async function snapshotFolder(root: string, opts: FolderScanOptions = {}): Promise<Manifest> {
  // The tracking file of a tracked folder is not part of its contents (tracking.ts).
  const files = (await walkFiles(root, { followSymlinks: false })).filter((f) => !isTrackingFile(f.relPath));
  const manifest = new Manifest();
  let toHash: typeof files = [];
  const stats = new Map<string, Stats>();
  // With records, a synchronous stat each (cheaper than a promise), in chunks that yield.
  const CHUNK = 2000;
  for (let i = 0; i < files.length; i += CHUNK) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    for (const f of files.slice(i, i + CHUNK)) {
      const st = opts.records ? statOrUndefined(f.absPath) : undefined;
      const known = st && opts.records!.digestIfUnchanged(f.relPath, st);
      if (known) manifest.add({ path: f.relPath, digest: known, size: st.size });
      else {
        toHash.push(f);
        if (st && opts.remember) stats.set(f.relPath, st);
      }
    }
  }
  const learn = (rel: string, digest: string) => {
    const st = stats.get(rel);
    if (st && opts.records && Date.now() - st.mtimeMs > RACY_MS) opts.records.set(rel, st, digest);
  };
  if (opts.hashCache && toHash.length > 0) {
    const known = await opts.hashCache.known(toHash);
    const rest: typeof files = [];
    toHash.forEach((f, i) => {
      const k = known[i];
      if (!k) return rest.push(f);
      manifest.add({ path: f.relPath, digest: k.digest, size: k.size });
      learn(f.relPath, k.digest);
    });
    toHash = rest;
  }
  throwIfAborted(opts.signal);
  const results = await hashPool().hashAll(
    toHash.map((f) => ({ file: f.absPath })),
    { signal: opts.signal, onProgress: opts.onProgress && ((p) => opts.onProgress!({ ...p, totalFiles: toHash.length })) },
  );
  toHash.forEach((f, i) => {
    manifest.add({ path: f.relPath, digest: results[i]!.digest, size: results[i]!.size });
    learn(f.relPath, results[i]!.digest);
  });
  return manifest;
}

export interface VerifyResult {
  /** The folder compared (absolute). */
  root: string;
  ok: boolean;
  /** Entries with no file in the folder. */
  missing: string[];
  /** Files whose content differs from the entry. */
  modified: string[];
  /** Files in the folder that the artifact does not have. */
  extra: string[];
  /** Reference entries, which are not checked (as in W&B). */
  referencesSkipped: number;
  /** Files hashed and found equal. */
  matched: number;
}

/**
 * Compares a folder with a manifest by content: every file is hashed, unless `records` are given
 * (verify --fast), which let a file whose stat matches what a download recorded pass unread.
 */
export async function verifyFolder(manifest: Manifest, root: string, opts: FolderScanOptions = {}): Promise<VerifyResult> {
  const rootExists = await fsp.stat(root).then((s) => s.isDirectory(), () => false);
  const folder = rootExists ? await snapshotFolder(root, opts) : new Manifest();
  const result: VerifyResult = { root: path.resolve(root), ok: false, missing: [], modified: [], extra: [], referencesSkipped: 0, matched: 0 };
  for (const e of manifest.entries()) {
    if (e.ref !== undefined) {
      result.referencesSkipped += 1;
      continue;
    }
    const found = folder.get(e.path);
    if (!found) result.missing.push(e.path);
    else if (found.digest !== e.digest) result.modified.push(e.path);
    else result.matched += 1;
  }
  for (const p of folder.paths()) if (!manifest.has(p)) result.extra.push(p);
  for (const list of [result.missing, result.modified, result.extra]) list.sort();
  result.ok = result.missing.length === 0 && result.modified.length === 0 && result.extra.length === 0;
  return result;
}

/** W&B's verify() errors, for `throwOnMismatch`: the first difference, in W&B's words. */
export function verifyMismatchError(r: VerifyResult, version: string): ValidationError {
  if (r.extra.length) return new ValidationError(l10n.t('Found file {0} which is not a member of artifact {1}', r.extra[0]!, version));
  if (r.modified.length) return new ValidationError(l10n.t('Digest mismatch for file: {0}', r.modified[0]!));
  return new ValidationError(l10n.t('Missing file: {0} of artifact {1} is not in {2}', r.missing[0]!, version, r.root));
}
