/**
 * What a draft holds while it is built: its manifest, its staging (copies of added files), the local
 * paths it was given, and the files it wrote itself. W&B's add_file / add_dir / add_reference /
 * new_file / remove, behind the Artifact class, which checks that the draft is still open.
 */
import { betweenPhases } from './memory';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { b64ToHex } from './digest';
import { ArtifactsError, NotFoundError, ValidationError } from './errors';
import { HashCache } from './hash-cache';
import { isTrackingFile } from './tracking';
import { hashPool, type HashProgress, type HashResult } from './hashing/pool';
import { Manifest, type ManifestEntry } from './manifest';
import { referenceEntries } from '../references';
import type { Policy, Staging } from './staging';
import { isSafeLogicalPath, validateLogicalPath } from './validate';
import { walkFiles, type WalkedFile } from './walk';

export interface AddFileOptions {
  name?: string;
  isTmp?: boolean;
  skipCache?: boolean;
  policy?: Policy;
  overwrite?: boolean;
}

export interface AddDirOptions {
  name?: string;
  skipCache?: boolean;
  policy?: Policy;
  merge?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: HashProgress & { totalFiles: number }) => void;
}

export interface AddReferenceOptions {
  name?: string;
  checksum?: boolean;
  maxObjects?: number;
}

export interface NewFileHandle {
  /** Where the file is being written on disk. */
  readonly path: string;
  write(data: string | Uint8Array): Promise<void>;
  /** Closes the file and adds it to the artifact. */
  close(): Promise<ManifestEntry>;
}

function checkPolicy(policy: string): Policy {
  if (policy !== 'mutable' && policy !== 'immutable') {
    throw new ValidationError(l10n.t("Invalid upload policy '{0}': use 'mutable' or 'immutable'", policy));
  }
  return policy;
}

/** `file1.txt` with MD5 5d41… → `5d41402abc4b2a76b971.txt` (W&B's is_tmp naming). */
function tmpName(name: string, digest: string): string {
  const dir = path.posix.dirname(name);
  const parts = path.posix.basename(name).split('.');
  parts[0] = b64ToHex(digest).slice(0, 20);
  return dir === '.' ? parts.join('.') : `${dir}/${parts.join('.')}`;
}

export class DraftContents {
  private readonly addedLocalPaths = new Map<string, ManifestEntry>();
  /** Folders added, keyed into addedLocalPaths on the first lookup only (most drafts never look). */
  private pendingDirs: Array<{ localPath: string; files: WalkedFile[]; entries: ManifestEntry[] }> = [];
  private readonly newFiles = new Set<string>();

  constructor(
    readonly manifest: Manifest,
    readonly staging: Staging,
  ) {}

  async addFile(localPath: string, opts: AddFileOptions = {}): Promise<ManifestEntry> {
    const policy = checkPolicy(opts.policy ?? 'mutable');
    const st = await fsp.stat(localPath).catch(() => undefined);
    if (!st?.isFile()) throw new ValidationError(l10n.t('Path is not a file: {0}', localPath));
    let name = validateLogicalPath(opts.name ?? path.basename(localPath));
    await this.staging.prepare(policy);
    const result = await hashPool().hash(this.staging.task(localPath, policy));
    this.staging.note(result);
    if (opts.isTmp) name = tmpName(name, result.digest);
    const entry: ManifestEntry = { path: name, digest: result.digest, size: result.size, localPath: result.stagedPath ?? path.resolve(localPath) };
    if (result.stagedPath) entry.sourcePath = path.resolve(localPath);
    if (opts.skipCache) entry.skipCache = true;
    this.manifest.add(entry, { overwrite: opts.overwrite ?? false });
    this.keyPendingDirs(); // in the order things were added: a later add wins
    this.addedLocalPaths.set(localPath, entry);
    return entry;
  }

  /**
   * Adds every file under `localPath` at `name/relative/path` (symlinked folders are followed).
   * Nothing is added when a conflict is found (`merge` lets changed files overwrite).
   */
  async addDir(localPath: string, opts: AddDirOptions = {}): Promise<ManifestEntry[]> {
    const policy = checkPolicy(opts.policy ?? 'mutable');
    const st = await fsp.stat(localPath).catch(() => undefined);
    if (!st?.isDirectory()) throw new ValidationError(l10n.t('Path is not a directory: {0}', localPath));
    const prefix = opts.name === undefined ? '' : validateLogicalPath(opts.name);
    // A tracked folder's tracking file is not part of its contents (tracking.ts).
    const files = (await walkFiles(localPath, { followSymlinks: true })).filter((f) => !isTrackingFile(f.relPath));
    // Paths from a walk are clean already: the one-regex check settles nearly all of them.
    const logical = files.map((f) => {
      const p = prefix ? `${prefix}/${f.relPath}` : f.relPath;
      return isSafeLogicalPath(p) ? p : validateLogicalPath(p);
    });
    const totalFiles = files.length;
    // Files whose stat matches the hash cache are not read again (see hash-cache.ts).
    const cacheDir = this.staging.hashCacheDir;
    const cache = cacheDir ? await HashCache.load(cacheDir, localPath) : undefined;
    const known = cache ? await cache.known(files) : [];
    const todo: number[] = [];
    for (let i = 0; i < totalFiles; i++) if (known[i] === undefined) todo.push(i);
    const hits = { files: totalFiles - todo.length, bytes: 0 };
    if (hits.files > 0) opts.onProgress?.({ ...hits, totalFiles });
    await this.staging.prepare(policy);
    const hashed = await hashPool().hashAll(
      todo.map((i) => {
        const t = this.staging.task(files[i]!.absPath, policy);
        t.identify = cache !== undefined;
        return t;
      }),
      { signal: opts.signal, onProgress: opts.onProgress && ((p) => opts.onProgress!({ files: hits.files + p.files, bytes: p.bytes, totalFiles })) },
    );
    const results = new Array<HashResult>(totalFiles);
    hashed.forEach((r, j) => {
      const i = todo[j]!;
      this.staging.note(r);
      if (r.id) cache?.record(files[i]!.relPath, r.id, r.digest);
      results[i] = r;
    });
    // Known files: their copy is where the shared blob folder keeps that content (the log checks
    // that it is there), or, with a folder of the draft's own, the file itself is stored at the log.
    known.forEach((row, i) => {
      if (row !== undefined) results[i] = { digest: row.digest, size: row.size, stagedPath: policy === 'mutable' ? this.staging.sharedPathOf(row.digest) : undefined };
    });
    betweenPhases(todo.length); // the hashing's messages and results are garbage now (none when nothing was hashed)
    await cache?.save();
    const entries: ManifestEntry[] = results.map((r, i) => {
      const entry: ManifestEntry = { path: logical[i]!, digest: r.digest, size: r.size, localPath: r.stagedPath ?? files[i]!.absPath };
      if (r.stagedPath) entry.sourcePath = files[i]!.absPath;
      if (opts.skipCache) entry.skipCache = true;
      return entry;
    });
    if (!opts.merge) {
      const clash = entries.find((e) => {
        const existing = this.manifest.get(e.path);
        return existing !== undefined && existing.digest !== e.digest;
      });
      if (clash) throw new ValidationError(l10n.t('Cannot add the same path twice: {0} (use merge to let changed files overwrite)', clash.path));
    }
    for (const e of entries) this.manifest.add(e, { overwrite: true });
    this.pendingDirs.push({ localPath, files, entries });
    return entries;
  }

  async addReference(uri: string | ManifestEntry, opts: AddReferenceOptions = {}): Promise<ManifestEntry[]> {
    if (typeof uri !== 'string') {
      if (!uri.ref) throw new ValidationError(l10n.t('Entry {0} is not a reference; add the file itself instead', uri.path));
      uri = uri.ref;
    }
    const entries = await referenceEntries(uri, opts);
    for (const e of entries) {
      const existing = this.manifest.get(e.path);
      if (existing && existing.digest !== e.digest) throw new ValidationError(l10n.t('Cannot add the same path twice: {0}', e.path));
    }
    for (const e of entries) this.manifest.add(e);
    return entries;
  }

  /** Opens a new file to write inside the artifact; `close()` adds it. Mode 'x' refuses a name twice. */
  async newFile(name: string, { mode = 'x', encoding = 'utf8' }: { mode?: string; encoding?: BufferEncoding } = {}): Promise<NewFileHandle> {
    const logical = validateLogicalPath(name);
    if (!/^[xwa]b?\+?$/.test(mode)) throw new ValidationError(l10n.t("Invalid mode '{0}' for newFile: use 'x', 'w' or 'a'", mode));
    const exclusive = mode.includes('x');
    if (exclusive && this.newFiles.has(logical)) throw new ValidationError(l10n.t('File with name {0} already exists', logical));
    const file = path.join(this.staging.scratchDir(tmpdir()), ...logical.split('/'));
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const handle = await fsp.open(file, mode.startsWith('a') ? 'a' : 'w');
    this.newFiles.add(logical);
    let closed = false;
    return {
      path: file,
      write: async (data) => {
        await handle.write(typeof data === 'string' ? Buffer.from(data, encoding) : data);
      },
      close: async () => {
        if (closed) throw new ArtifactsError(l10n.t('{0} is already closed', logical));
        closed = true;
        await handle.close();
        return this.addFile(file, { name: logical, skipCache: true, overwrite: !exclusive });
      },
    };
  }

  /** Removes an entry, or every entry under a folder path. */
  remove(item: string | ManifestEntry): void {
    if (typeof item !== 'string') {
      if (!this.manifest.delete(item.path)) throw new NotFoundError(l10n.t('No such file or directory: {0}', item.path));
      return;
    }
    const p = validateLogicalPath(item);
    if (this.manifest.delete(p)) return;
    const under = this.manifest.entriesUnder(p);
    if (under.length === 0) throw new NotFoundError(l10n.t('No such file or directory: {0}', item));
    for (const e of under) this.manifest.delete(e.path);
  }

  private keyPendingDirs(): void {
    for (const d of this.pendingDirs.splice(0)) d.entries.forEach((e, i) => this.addedLocalPaths.set(path.join(d.localPath, d.files[i]!.relPath), e));
  }

  /** The logical path a local file was added under (exact string lookup, as in W&B), or null. */
  addedPathOf(localPath: string): string | null {
    this.keyPendingDirs();
    return this.addedLocalPaths.get(localPath)?.path ?? null;
  }
}
