/**
 * A small pool of hashing threads. Each file is read exactly once (hash and, when staging, copy in
 * the same pass). Workers hold the event loop only while they have work, so an idle pool never keeps
 * a CLI process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../errors';
import { HASH_WORKER_SOURCE } from './worker-source';

/** What identifies a file's state: a write, truncate, chmod or touch changes ctime. */
export interface FileStamp {
  ino: number;
  size: number;
  ctimeMs: number;
}

export interface HashResult {
  digest: string;
  size: number;
  /** stat of the staged copy right after it was written and sealed. */
  stagedStamp?: FileStamp;
  /** Read-only copy at `<stageDir>/md5/<2 hex>/<30 hex>` when a stageDir was given. */
  stagedPath?: string;
}

export interface HashTask {
  file: string;
  /** Write a read-only copy into this content-addressed folder while hashing. */
  stageDir?: string;
  /** Where the copy is written before it is renamed into place (same filesystem as stageDir). */
  tmpDir?: string;
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

interface Pending {
  resolve(r: HashResult): void;
  reject(e: Error): void;
  onBytes?: (n: number) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface ErrorMessage {
  message: string;
  code?: string;
  actual?: string;
}

type Task = HashTask | CopyTask;

export class HashPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<{ id: number; task: Task }> = [];
  private readonly pending = new Map<number, Pending>();
  private readonly assigned = new Map<Worker, number>();
  private nextId = 1;

  constructor(readonly size = Math.max(1, Math.min(availableParallelism(), 8))) {}

  hash(task: HashTask, onBytes?: (n: number) => void): Promise<HashResult> {
    return this.submit(task, onBytes);
  }

  /** Copies with verification on a worker thread; resolves with the digest and size written. */
  copy(task: CopyTask, onBytes?: (n: number) => void): Promise<HashResult> {
    return this.submit({ mode: 0o644, ...task }, onBytes).catch((e: NodeJS.ErrnoException & { actual?: string }) => {
      if (e.code === 'ECORRUPT') throw new CopyDigestError(task.src, task.expect!, e.actual!);
      throw e;
    });
  }

  private submit(task: Task, onBytes?: (n: number) => void): Promise<HashResult> {
    const id = this.nextId++;
    const promise = new Promise<HashResult>((resolve, reject) => this.pending.set(id, { resolve, reject, onBytes }));
    this.queue.push({ id, task });
    this.pump();
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
    this.queue.length = 0;
    for (const p of this.pending.values()) p.reject(new CancelledError());
    this.pending.clear();
    this.assigned.clear();
    for (const slot of this.slots.splice(0)) void slot.worker.terminate();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const { id, task } = this.queue.shift()!;
      slot.busy = true;
      slot.worker.ref();
      this.assigned.set(slot.worker, id);
      slot.worker.postMessage('op' in task ? { id, ...task } : { id, file: task.file, stageDir: task.stageDir, tmpDir: task.tmpDir ?? `${task.stageDir}/tmp` });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, busy: false };
    worker.on('message', (msg: { id: number; progress?: number; digest?: string; size?: number; stagedPath?: string; stagedStamp?: FileStamp; error?: ErrorMessage }) => {
      const p = this.pending.get(msg.id);
      if (msg.progress) p?.onBytes?.(msg.progress);
      if (msg.digest === undefined && msg.error === undefined) return;
      this.pending.delete(msg.id);
      this.assigned.delete(worker);
      slot.busy = false;
      if (msg.error) {
        const err = new Error(msg.error.message) as NodeJS.ErrnoException & { actual?: string };
        if (msg.error.code) err.code = msg.error.code;
        if (msg.error.actual) err.actual = msg.error.actual;
        p?.reject(err);
      } else {
        p?.resolve({ digest: msg.digest!, size: msg.size!, stagedPath: msg.stagedPath, stagedStamp: msg.stagedStamp });
      }
      if (this.queue.length === 0) worker.unref();
      this.pump();
    });
    worker.on('error', (err) => {
      const id = this.assigned.get(worker);
      if (id !== undefined) {
        this.pending.get(id)?.reject(err);
        this.pending.delete(id);
      }
      this.assigned.delete(worker);
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
