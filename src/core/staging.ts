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
import type { HashTask } from './hashing/pool';

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
  /**
   * Called once before the first copy is written into a shared blob folder: the registry pins
   * "everything written from now on" there, so gc leaves the copies alone until the log (see
   * src/registry/pins.ts). Released when the draft is logged or discarded.
   */
  guard?: () => Promise<{ release(): Promise<void> }>;
  /** Where the persistent hash cache lives (a registry's folder); none: every file is hashed. */
  hashCacheDir?: string;
}

export class Staging {
  private readonly id = randomBytes(6).toString('hex');
  private readonly stagingRoot: string;
  private readonly blobDir: string | undefined;
  /** Folders this draft created and must remove. */
  private readonly owned = new Set<string>();
  /** Copies this draft wrote itself (not ones that were already in the blob folder). */
  private readonly written = new Set<string>();
  private readonly guard: StagingOptions['guard'];
  readonly hashCacheDir: string | undefined;
  private guarded: Promise<{ release(): Promise<void> }> | undefined;
  private dirs: { dir: string; tmpDir: string } | undefined;

  constructor(opts: StagingOptions) {
    this.stagingRoot = opts.stagingRoot;
    this.blobDir = opts.blobDir;
    this.guard = opts.guard;
    this.hashCacheDir = opts.hashCacheDir;
  }

  /** Where a shared blob folder keeps content `digest` (undefined when this draft has its own folder). */
  sharedPathOf(digest: string): string | undefined {
    if (!this.blobDir) return undefined;
    const hex = Buffer.from(digest, 'base64').toString('hex');
    return `${this.blobDir}${path.sep}md5${path.sep}${hex.slice(0, 2)}${path.sep}${hex.slice(2)}`;
  }

  /** Before hashing with `policy`: takes the registry's guard once, when copies go into its store. */
  async prepare(policy: Policy): Promise<void> {
    if (policy !== 'mutable' || !this.blobDir || !this.guard) return;
    this.guarded ??= this.guard();
    await this.guarded;
  }

  /** Records what the hashing thread did for one file. */
  note(r: { stagedPath?: string; existed?: boolean }): void {
    if (r.stagedPath && !r.existed) this.written.add(r.stagedPath);
  }

  /** True when this draft wrote the copy at `localPath` itself, under its guard. */
  wrote(localPath: string): boolean {
    return this.guarded !== undefined && this.written.has(localPath);
  }

  /** Where policy "mutable" copies go: the shared blob folder, or this draft's own folder. */
  get dir(): string {
    return (this.dirs ??= this.folders()).dir;
  }

  /** True when the folder belongs to this draft alone (its copies can be moved or removed). */
  get ownsFolder(): boolean {
    return this.blobDir === undefined;
  }

  /** Where copies are written before being renamed into place (same filesystem as `dir`). */
  private get tmpDir(): string {
    return (this.dirs ??= this.folders()).tmpDir;
  }

  /** Both folders, joined once (a task per file asks for them). */
  private folders(): { dir: string; tmpDir: string } {
    const dir = this.blobDir ?? path.join(this.stagingRoot, this.id);
    return { dir, tmpDir: this.blobDir ? path.join(this.blobDir, '..', 'tmp') : path.join(dir, 'tmp') };
  }

  /** The hashing task for a file: copy while hashing (mutable) or only hash (immutable). */
  task(file: string, policy: Policy): HashTask {
    if (policy !== 'mutable') return { file };
    if (this.ownsFolder) this.own(this.dir);
    // A copy already in a shared blob folder is kept (checked by key at the log), not written again.
    return { file, stageDir: this.dir, tmpDir: this.tmpDir, skipExisting: !this.ownsFolder };
  }

  private own(dir: string): void {
    this.owned.add(dir);
    live.add(dir);
    if (!exitHookInstalled) {
      process.once('exit', removeLiveFoldersAtExit);
      exitHookInstalled = true;
    }
  }

  /** A scratch folder of this draft for files it creates itself (`newFile`), removed with it. */
  scratchDir(tmpRoot: string): string {
    const dir = path.join(tmpRoot, `artifacts-newfile-${this.id}`);
    this.own(dir);
    return dir;
  }

  /** Removes the folders this draft created (its own copies, its scratch files; never a shared blob folder). */
  async discard(): Promise<void> {
    const guarded = this.guarded;
    this.guarded = undefined;
    this.written.clear();
    if (guarded) await (await guarded).release().catch(() => undefined);
    for (const dir of this.owned) {
      await fsp.rm(dir, { recursive: true, force: true });
      live.delete(dir);
    }
    this.owned.clear();
  }
}
