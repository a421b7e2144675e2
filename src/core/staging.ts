/**
 * A draft's staging: where the copies of its files go while it is being built (policy "mutable":
 * a copy made while hashing, so later edits of the originals cannot change the version), and what
 * it knows about each copy. Owned by one draft; the registry's log discards it once the version is
 * committed. A draft that is never logged leaves nothing behind either: its folder is removed when
 * it is discarded, and at the latest when the process exits normally.
 *
 * Two layouts. With a `blobDir` (a local registry's own `objects/` folder) a copy is written straight
 * into the store, content-addressed, so staging a file is storing it and there is nothing to discard.
 * Without one, the copies go to `<stagingRoot>/<draft id>/md5/…`, a folder of this draft alone.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { FileStamp, HashResult, HashTask } from './hashing/pool';

export type Policy = 'mutable' | 'immutable';

/** Folders of live drafts (own staging, scratch), removed at exit if nobody discarded them. */
const live = new Set<string>();
let exitHookInstalled = false;

function removeLiveFoldersAtExit(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort: the process is exiting.
    }
  }
  live.clear();
}

export interface StagingOptions {
  /** Folder under which a draft keeps its own copies (`<stagingRoot>/<draft id>`). */
  stagingRoot: string;
  /** A shared content-addressed folder (`md5/<2 hex>/<30 hex>`) to write the copies into instead. */
  blobDir?: string;
}

export class Staging {
  private readonly id = randomBytes(6).toString('hex');
  /** Staged copy → its stat right after it was written (what a blob seal records). */
  private readonly stamps = new Map<string, FileStamp>();
  private readonly stagingRoot: string;
  private readonly blobDir: string | undefined;
  /** Folders this draft created and must remove. */
  private readonly owned = new Set<string>();

  constructor(opts: StagingOptions) {
    this.stagingRoot = opts.stagingRoot;
    this.blobDir = opts.blobDir;
  }

  /** Where policy "mutable" copies go: the shared blob folder, or this draft's own folder. */
  get dir(): string {
    return this.blobDir ?? path.join(this.stagingRoot, this.id);
  }

  /** True when the folder belongs to this draft alone (its copies can be moved or removed). */
  get ownsFolder(): boolean {
    return this.blobDir === undefined;
  }

  /** Where copies are written before being renamed into place (same filesystem as `dir`). */
  private get tmpDir(): string {
    return this.blobDir ? path.join(this.blobDir, '..', 'tmp') : path.join(this.dir, 'tmp');
  }

  /** The hashing task for a file: copy while hashing (mutable) or only hash (immutable). */
  task(file: string, policy: Policy): HashTask {
    if (policy !== 'mutable') return { file };
    if (this.ownsFolder) this.own(this.dir);
    return { file, stageDir: this.dir, tmpDir: this.tmpDir };
  }

  private own(dir: string): void {
    this.owned.add(dir);
    live.add(dir);
    if (!exitHookInstalled) {
      process.once('exit', removeLiveFoldersAtExit);
      exitHookInstalled = true;
    }
  }

  /** Records what the hashing thread reports about a copy it wrote. */
  note(r: HashResult): void {
    if (r.stagedPath && r.stagedStamp) this.stamps.set(r.stagedPath, r.stagedStamp);
  }

  /** The stat a staged copy had right after this draft wrote it, if it did. */
  stamp(localPath: string): FileStamp | undefined {
    return this.stamps.get(localPath);
  }

  /** A scratch folder of this draft for files it creates itself (`newFile`), removed with it. */
  scratchDir(tmpRoot: string): string {
    const dir = path.join(tmpRoot, `artifacts-newfile-${this.id}`);
    this.own(dir);
    return dir;
  }

  /** Removes the folders this draft created (its own copies, its scratch files; never a shared blob folder). */
  async discard(): Promise<void> {
    for (const dir of this.owned) {
      await fsp.rm(dir, { recursive: true, force: true });
      live.delete(dir);
    }
    this.owned.clear();
  }
}
