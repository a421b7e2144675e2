/**
 * A small pool of hashing threads. Each file is read exactly once (hash and, when staging, copy in
 * the same pass). Work comes in jobs (one file, or a whole folder) and goes to the threads in
 * batches (many small files per message, fewer as the queue runs out so the threads finish
 * together); a job's results come back into one array and settle one promise, so a 100,000-file
 * folder costs the main thread a few microseconds per file. Workers hold the event loop only while
 * they have work, so an idle pool never keeps a CLI process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as l10n from '@vscode/l10n';
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
  /** The copy was already there (with `skipExisting`) and was not written. */
  existed?: boolean;
  /** The file's identity, taken before it was read ([size, mtimeNs, ctimeNs, ino, dev]). */
  id?: [number, string, string, string, string];
  /** For copies: the destination's stat once in place. */
  stat?: WrittenStat;
}

export interface HashTask {
  file: string;
  /** Write a read-only copy into this content-addressed folder while hashing. */
  stageDir?: string;
  /** Where a large copy is written before it is renamed into place (same filesystem as stageDir). */
  tmpDir?: string;
  /** Leave a copy of the same bytes that is already at the staged path (a shared blob folder). */
  skipExisting?: boolean;
  /** Report the file's identity (for the hash cache). */
  identify?: boolean;
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
    /** Which task of the job it was. */
    readonly index = 0,
  ) {
    super(l10n.t('{0}: expected digest {1}, found {2}', src, expected, actual));
  }
}

/** A task's failure: the file-system error, with the task's place in its job. */
export type TaskError = NodeJS.ErrnoException & { index?: number; actual?: string };

export interface HashProgress {
  files: number;
  bytes: number;
}

type Task = HashTask | CopyTask;

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: (p: HashProgress) => void;
}

interface WorkerResult extends Partial<Omit<HashResult, 'id'>> {
  /** Index of the task in its batch. */
  i: number;
  ident?: [number, string, string, string, string];
  progress?: number;
  error?: { message: string; code?: string; actual?: string };
}

/** Tasks submitted together; their results fill one array. */
interface Job {
  tasks: readonly Task[];
  results: HashResult[];
  remaining: number;
  done: boolean;
  /** Batches on a thread right now; a failed job settles only once none is left (nothing writes after). */
  running: number;
  failure?: Error;
  progress: HashProgress;
  onProgress?: (p: HashProgress) => void;
  resolve(r: HashResult[]): void;
  reject(e: Error): void;
}

/** A slice of a job waiting for a thread. */
interface Segment {
  job: Job;
  start: number;
  end: number;
}

interface Slot {
  worker: Worker;
  /** The batch it is working on. */
  batch: Segment | undefined;
}

const MAX_BATCH = 128;

/** The worker's error as an Error; the thread has no catalogue, so its own messages are translated here. */
function toError(r: NonNullable<WorkerResult['error']>, index: number, task: Task | undefined): Error {
  const src = task && 'src' in task ? task.src : task?.file;
  const message = r.code === 'ENOTFILE' && src !== undefined ? l10n.t('not a file: {0}', src) : r.message;
  const err = new Error(message) as TaskError;
  if (r.code) err.code = r.code;
  if (r.actual) err.actual = r.actual;
  err.index = index;
  return err;
}

function copyError(tasks: readonly CopyTask[], e: TaskError): Error {
  if (e.code !== 'ECORRUPT') return e;
  const t = tasks[e.index ?? 0]!;
  return new CopyDigestError(t.src, t.expect!, e.actual!, e.index);
}

export class HashPool {
  private readonly slots: Slot[] = [];
  private queue: Segment[] = [];
  private readonly jobs = new Set<Job>();

  constructor(readonly size = Math.max(1, Math.min(availableParallelism(), 8))) {}

  hash(task: HashTask, onBytes?: (n: number) => void): Promise<HashResult> {
    return this.run([task], onBytes && ((p) => onBytes(p.bytes))).then((r) => r[0]!);
  }

  /** Copies with verification on a worker thread; resolves with the digest, size and the stat written. */
  copy(task: CopyTask): Promise<HashResult> {
    return this.copyAll([task]).then((r) => r[0]!);
  }

  /**
   * Hashes many files with all threads busy; results come back in input order. On abort the
   * threads are stopped and the promise rejects with CancelledError. A failure rejects with a
   * TaskError (its `index` names the task) once no batch of the job is still running.
   */
  hashAll(tasks: readonly HashTask[], opts: JobOptions = {}): Promise<HashResult[]> {
    return this.runAbortable(tasks, opts);
  }

  /**
   * Many verified copies as one job (a download's blobs): results in input order, each with the
   * stat of the file in place. A digest mismatch rejects with a CopyDigestError naming the task;
   * when the promise settles, no copy of the job is being written any more.
   */
  copyAll(tasks: readonly CopyTask[], opts: JobOptions = {}): Promise<HashResult[]> {
    const withMode = tasks.map((t) => ({ mode: 0o644, ...t }));
    return this.runAbortable(withMode, opts).catch((e: TaskError) => {
      throw copyError(withMode, e);
    });
  }

  private async runAbortable(tasks: readonly Task[], { signal, onProgress }: JobOptions): Promise<HashResult[]> {
    if (signal?.aborted) throw new CancelledError();
    const abort = () => void this.cancelAll();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await this.run(tasks, onProgress);
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  private run(tasks: readonly Task[], onProgress?: (p: HashProgress) => void): Promise<HashResult[]> {
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const job: Job = { tasks, results: new Array(tasks.length), remaining: tasks.length, done: false, running: 0, progress: { files: 0, bytes: 0 }, onProgress, resolve, reject };
      this.jobs.add(job);
      this.queue.push({ job, start: 0, end: tasks.length });
      this.pump();
    });
  }

  /**
   * Stops the threads (new ones start on demand) and, once they have stopped, rejects everything
   * queued or running with CancelledError: nothing of a cancelled job writes after it settled.
   */
  async cancelAll(): Promise<void> {
    this.queue = [];
    const jobs = [...this.jobs];
    for (const job of jobs) job.failure ??= new CancelledError();
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
    for (const job of jobs) this.finish(job, job.failure);
  }

  private finish(job: Job, error?: Error): void {
    if (job.done) return;
    job.done = true;
    this.jobs.delete(job);
    if (error) job.reject(error);
    else job.resolve(job.results);
  }

  /** Fails a job: its queued batches are dropped; it settles when its running ones are back. */
  private fail(job: Job, error: Error): void {
    job.failure ??= error;
    this.queue = this.queue.filter((s) => s.job !== job);
    if (job.running === 0) this.finish(job, job.failure);
  }

  private waiting(): number {
    let n = 0;
    for (const s of this.queue) n += s.end - s.start;
    return n;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.batch);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const head = this.queue[0]!;
      if (head.job.done || head.job.failure) {
        this.queue.shift();
        continue;
      }
      // Large batches while there is plenty to do; smaller ones near the end, so threads finish together.
      const take = Math.max(1, Math.min(MAX_BATCH, Math.ceil(this.waiting() / (this.size * 4))));
      const batch: Segment = { job: head.job, start: head.start, end: Math.min(head.end, head.start + take) };
      head.start = batch.end;
      if (head.start >= head.end) this.queue.shift();
      slot.batch = batch;
      head.job.running += 1;
      slot.worker.ref();
      slot.worker.postMessage(head.job.tasks.slice(batch.start, batch.end));
    }
  }

  private settle(batch: Segment, results: WorkerResult[]): void {
    const job = batch.job;
    job.running -= 1;
    if (job.done) return;
    if (job.failure) return this.fail(job, job.failure);
    for (const r of results) {
      if (r.error) return this.fail(job, toError(r.error, batch.start + r.i, job.tasks[batch.start + r.i]));
      job.results[batch.start + r.i] = { digest: r.digest!, size: r.size!, stagedPath: r.stagedPath, existed: r.existed, id: r.ident, stat: r.stat };
      job.progress.files += 1;
      job.progress.bytes += r.progress ?? 0;
    }
    job.remaining -= results.length;
    job.onProgress?.(job.progress);
    if (job.remaining === 0) this.finish(job);
  }

  private spawn(): Slot {
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, batch: undefined };
    worker.on('message', (msg: { results?: WorkerResult[]; progress?: number }) => {
      const batch = slot.batch;
      if (msg.progress && batch && !batch.job.done && !batch.job.failure) {
        batch.job.progress.bytes += msg.progress;
        batch.job.onProgress?.(batch.job.progress);
      }
      if (!msg.results || !batch) return;
      slot.batch = undefined;
      this.settle(batch, msg.results);
      if (this.queue.length === 0) worker.unref();
      this.pump();
    });
    worker.on('error', (err) => {
      if (slot.batch) {
        slot.batch.job.running -= 1;
        this.fail(slot.batch.job, err);
        slot.batch = undefined;
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
