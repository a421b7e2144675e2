/**
 * A small pool of hashing threads. Each file is read exactly once (hash and, when staging, copy in
 * the same pass). Tasks go to the threads in batches (many small files per message, fewer as the
 * queue runs out so the threads finish together), which keeps the per-file cost of a 100,000-file
 * folder to a few syscalls. Workers hold the event loop only while they have work, so an idle pool
 * never keeps a CLI process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../errors';
import { HASH_WORKER_SOURCE } from './worker-source';

/** A file's identity after it was written: what download records keep. */
export interface WrittenStat {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface HashResult {
  digest: string;
  size: number;
  /** Read-only copy at `<stageDir>/md5/<2 hex>/<30 hex>` when a stageDir was given. */
  stagedPath?: string;
  /** The copy was already there (with `skipExisting`) and was not written again. */
  existed?: boolean;
  /** For copies: the destination's stat once in place. */
  stat?: WrittenStat;
}

export interface HashTask {
  file: string;
  /** Write a read-only copy into this content-addressed folder while hashing. */
  stageDir?: string;
  /** Where the copy is written before it is renamed into place (same filesystem as stageDir). */
  tmpDir?: string;
  /** Leave a copy of the same size that is already at the staged path (a shared blob folder). */
  skipExisting?: boolean;
}

/** Copy `src` to `dest` (atomically, via a temp file beside it) if its MD5 equals `expect`. */
export interface CopyTask {
  op: 'copy';
  src: string;
  dest: string;
  /** base64 MD5 the bytes must have; a mismatch rejects with a CopyDigestError and writes nothing. */
  expect?: string;
  /** mtime to give the copy (ms since epoch). */
  mtimeMs?: number;
  /** Give the copy the source's mtime. */
  keepMtime?: boolean;
  mode?: number;
}

/** The source of a copy did not have the expected digest. */
export class CopyDigestError extends Error {
  constructor(
    readonly src: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${src}: expected digest ${expected}, found ${actual}`);
  }
}

export interface HashProgress {
  files: number;
  bytes: number;
}

type Task = HashTask | CopyTask;

interface Pending {
  task: Task;
  resolve(r: HashResult): void;
  reject(e: Error): void;
  onBytes?: (n: number) => void;
}

interface Slot {
  worker: Worker;
  /** Ids of the batch it is working on. */
  batch: number[] | undefined;
}

interface WorkerResult extends Partial<HashResult> {
  id: number;
  progress?: number;
  error?: { message: string; code?: string; actual?: string };
}

const MAX_BATCH = 64;

export class HashPool {
  private readonly slots: Slot[] = [];
  private queue: number[] = [];
  private head = 0;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private scheduled = false;

  constructor(readonly size = Math.max(1, Math.min(availableParallelism(), 8))) {}

  hash(task: HashTask, onBytes?: (n: number) => void): Promise<HashResult> {
    return this.submit(task, onBytes);
  }

  /** Copies with verification on a worker thread; resolves with the digest, size and the stat written. */
  copy(task: CopyTask, onBytes?: (n: number) => void): Promise<HashResult> {
    return this.submit({ mode: 0o644, ...task }, onBytes).catch((e: NodeJS.ErrnoException & { actual?: string }) => {
      if (e.code === 'ECORRUPT') throw new CopyDigestError(task.src, task.expect!, e.actual!);
      throw e;
    });
  }

  private submit(task: Task, onBytes?: (n: number) => void): Promise<HashResult> {
    const id = this.nextId++;
    const promise = new Promise<HashResult>((resolve, reject) => this.pending.set(id, { task, resolve, reject, onBytes }));
    this.queue.push(id);
    // Dispatch once the caller has queued what it has at hand, so batches fill up.
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.pump();
      });
    }
    return promise;
  }

  /**
   * Hashes many files with all threads busy; results come back in input order. On abort the
   * threads are stopped and the promise rejects with CancelledError.
   */
  async hashAll(
    tasks: readonly HashTask[],
    { signal, onProgress }: { signal?: AbortSignal; onProgress?: (p: HashProgress) => void } = {},
  ): Promise<HashResult[]> {
    if (signal?.aborted) throw new CancelledError();
    const progress: HashProgress = { files: 0, bytes: 0 };
    const onBytes = (n: number) => {
      progress.bytes += n;
      onProgress?.(progress);
    };
    const abort = () => this.cancelAll();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await Promise.all(
        tasks.map((t) =>
          this.hash(t, onBytes).then((r) => {
            progress.files += 1;
            onProgress?.(progress);
            return r;
          }),
        ),
      );
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Rejects everything queued or running and stops the threads (new ones start on demand). */
  cancelAll(): void {
    this.queue = [];
    this.head = 0;
    for (const p of this.pending.values()) p.reject(new CancelledError());
    this.pending.clear();
    for (const slot of this.slots.splice(0)) void slot.worker.terminate();
  }

  private waiting(): number {
    return this.queue.length - this.head;
  }

  private pump(): void {
    while (this.waiting() > 0) {
      let slot = this.slots.find((s) => !s.batch);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      // Large batches while there is plenty to do; smaller ones near the end, so threads finish together.
      const take = Math.max(1, Math.min(MAX_BATCH, Math.ceil(this.waiting() / (this.size * 4))));
      const ids = this.queue.slice(this.head, this.head + take).filter((id) => this.pending.has(id));
      this.head += take;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (ids.length === 0) continue;
      slot.batch = ids;
      slot.worker.ref();
      slot.worker.postMessage(
        ids.map((id) => {
          const t = this.pending.get(id)!.task;
          return 'op' in t ? { id, ...t } : { id, file: t.file, stageDir: t.stageDir, tmpDir: t.tmpDir ?? `${t.stageDir}/tmp`, skipExisting: t.skipExisting };
        }),
      );
    }
  }

  private settle(r: WorkerResult): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.progress) p.onBytes?.(r.progress);
    if (r.error) {
      const err = new Error(r.error.message) as NodeJS.ErrnoException & { actual?: string };
      if (r.error.code) err.code = r.error.code;
      if (r.error.actual) err.actual = r.error.actual;
      p.reject(err);
    } else {
      p.resolve({ digest: r.digest!, size: r.size!, stagedPath: r.stagedPath, existed: r.existed, stat: r.stat });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, batch: undefined };
    worker.on('message', (msg: { results?: WorkerResult[]; progress?: Array<[number, number]> }) => {
      for (const [id, n] of msg.progress ?? []) this.pending.get(id)?.onBytes?.(n);
      if (!msg.results) return;
      for (const r of msg.results) this.settle(r);
      slot.batch = undefined;
      if (this.waiting() === 0) worker.unref();
      this.pump();
    });
    worker.on('error', (err) => {
      for (const id of slot.batch ?? []) {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
      }
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      this.pump();
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}

let shared: HashPool | undefined;

/** The process-wide pool (one set of threads for the library, CLI and extension host). */
export function hashPool(): HashPool {
  shared ??= new HashPool();
  return shared;
}
