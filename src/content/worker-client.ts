/**
 * Runs content diffs on a worker thread, for callers whose thread must stay responsive (the VS Code
 * extension host). Some decoders work in one synchronous call that no time slicing can split: a
 * Parquet column chunk (hyparquet), a JPEG (jpeg-js), a YAML document, JSON.parse; on a 16 MP JPEG
 * that is seconds. The worker runs them all and sends back the same JSON results `diffContent`
 * returns; a table's changed rows stay in the worker and `rows()` asks for a window of them.
 *
 * `workerFile` is the bundle of worker.ts (e.g. dist/content-worker.js). Sides are local file
 * paths: a stored object's path, with the path inside the artifact as its `name`.
 */
import { Worker } from 'node:worker_threads';
import * as l10n from '@vscode/l10n';
import { CancelledError, NotFoundError, ValidationError } from '../core/errors';
import { currentLanguage } from '../core/l10n';
import type { ImageFolderDiff } from './image';
import type { ContentDiff } from './index';
import type { ChangedRowsPage, RowFilter, TableDiffSummary } from './table';
import { WORKER_FLAG, WORKER_LANGUAGE, type FilePair, type FileSpec, type Request, type Response, type SerializedError, type WorkerDiffOptions, type WorkerImageFolderOptions } from './worker-protocol';

export type { FilePair, FileSpec, WorkerDiffOptions, WorkerImageFolderOptions } from './worker-protocol';

/** A table diff whose changed rows are read in the worker. */
export interface RemoteTableDiff extends TableDiffSummary {
  rows(offset: number, limit: number, filter?: RowFilter, signal?: AbortSignal): Promise<ChangedRowsPage>;
  /** Lets the worker drop the diff; `rows()` fails afterwards. */
  release(): void;
  toJSON(): TableDiffSummary;
}

export type RemoteContentDiff = Exclude<ContentDiff, { kind: 'table' }> | RemoteTableDiff;

function toError(e: SerializedError): Error {
  if (e.name === 'CancelledError') return new CancelledError();
  if (e.name === 'NotFoundError') return new NotFoundError(e.message);
  if (e.userError) return new ValidationError(e.message);
  const error = new Error(e.message);
  // l10n-ignore: a stack trace, for developers
  if (e.stack) error.stack = `${e.name}: ${e.message} (in the content diff worker)\n${e.stack.split('\n').slice(1).join('\n')}`;
  return error;
}

export class ContentDiffWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Response & { type: 'result' }) => void; reject: (e: Error) => void }>();

  constructor(private readonly workerFile: string) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    // The worker's messages in the language of this thread (as it is when the worker starts).
    const worker = new Worker(this.workerFile, { workerData: { [WORKER_FLAG]: true, [WORKER_LANGUAGE]: currentLanguage() } });
    worker.unref();
    worker.on('message', (r: Response) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      this.idleCheck();
      if (r.type === 'result') p.resolve(r);
      else p.reject(toError(r.error));
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(l10n.t('The content diff worker failed: {0}', error.message))));
    worker.on('exit', (code) => fail(new Error(l10n.t('The content diff worker stopped (exit code {0})', code))));
    this.worker = worker;
    return worker;
  }

  /** Keeps the process alive only while a request waits for the worker. */
  private idleCheck(): void {
    if (this.pending.size === 0) this.worker?.unref();
    else this.worker?.ref();
  }

  private request(req: Request & { id: number }, signal?: AbortSignal): Promise<Response & { type: 'result' }> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => worker.postMessage({ type: 'cancel', id: req.id } satisfies Request);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = <T>(f: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        f(v);
      };
      this.pending.set(req.id, { resolve: done(resolve), reject: done(reject) });
      this.idleCheck();
      worker.postMessage(req);
    });
  }

  /** `diffContent` on the worker thread; a missing side (file added or removed) is `null`. */
  async diff(before: FileSpec | null, after: FileSpec | null, opts: WorkerDiffOptions & { signal?: AbortSignal } = {}): Promise<RemoteContentDiff> {
    const { signal, ...rest } = opts;
    const id = this.nextId++;
    const r = await this.request({ type: 'diff', id, before, after, opts: rest }, signal);
    if (r.table === undefined) return r.value as RemoteContentDiff;
    const summary = r.value as TableDiffSummary;
    const table = r.table;
    const worker = this.worker;
    return {
      ...summary,
      rows: async (offset, limit, filter, rowSignal) => (await this.request({ type: 'rows', id: this.nextId++, table, offset, limit, filter }, rowSignal)).value as ChangedRowsPage,
      release: () => {
        if (this.worker === worker) worker?.postMessage({ type: 'release', table } satisfies Request);
      },
      toJSON: () => summary,
    };
  }

  /** `diffImageFolder` on the worker thread: the changed pairs with thumbnails. */
  async imageFolder(pairs: FilePair[], opts: WorkerImageFolderOptions & { signal?: AbortSignal } = {}): Promise<ImageFolderDiff> {
    const { signal, ...rest } = opts;
    const r = await this.request({ type: 'imageFolder', id: this.nextId++, pairs, opts: rest }, signal);
    return r.value as ImageFolderDiff;
  }

  /** Stops the worker; pending requests fail. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
