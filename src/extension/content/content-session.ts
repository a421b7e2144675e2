/**
 * The content pane of one compare panel, on the host side: runs the content diff of the file the
 * user selects (or the grid of changed images) in the content diff worker, turns results into what
 * the page shows (images as copies the webview may load), keeps the table on show so the page can
 * page through its changed rows, and cancels what a newer selection or a closed panel supersedes.
 * Nothing here blocks the extension host: decoding and diffing run on the worker thread.
 *
 * No vscode: the panel gives it a way to post messages, to make webview URIs and to open VS Code's
 * text diff editor.
 */
import * as l10n from '@vscode/l10n';
import { CancelledError, isUserError } from '../../core/errors';
import type { ImageFolderDiff, ImageFolderOptions, ImageThumb } from '../../content/image';
import type { ChangedRowsPage, RowFilter } from '../../content/table';
import type { FilePair, FileSpec, WorkerDiffOptions } from '../../content/worker-protocol';
import type { RemoteContentDiff, RemoteTableDiff } from '../../content/worker-client';
import { diffOptions, gridPairs, IMAGE_GRID_MAX_LISTED, IMAGE_GRID_MAX_PAIRS, imageExtension, keyChoices, rowAction, THUMBNAIL_SIZE } from '../model/content-compare';
import type { ContentRowQuery, ContentView, HostMessage, ImageThumbView, ImageUri } from '../webview/diff-protocol';
import type { DiffTable } from '../webview/diff-table';
import type { CompareFiles } from './compare-files';
import type { ComparedSides } from './compared-sides';

/** What the session needs of ContentDiffWorker (tests may pass the real one). */
export interface ContentWorker {
  diff(before: FileSpec | null, after: FileSpec | null, opts: WorkerDiffOptions & { signal?: AbortSignal }): Promise<RemoteContentDiff>;
  imageFolder(pairs: FilePair[], opts: Omit<ImageFolderOptions, 'signal'> & { signal?: AbortSignal }): Promise<ImageFolderDiff>;
}

export interface ContentSessionDeps {
  worker: ContentWorker;
  sides: ComparedSides;
  files: CompareFiles;
  table: DiffTable;
  /** The configured byte limit (`artifacts.compare.maxBytes`), read at each request. */
  limitBytes(): number;
  /** A webview URI for a file under `files.served`. */
  toUri(file: string): string;
  post(message: HostMessage): void;
  /** Opens VS Code's diff editor on a file of the two sides. */
  openTextDiff(path: string): Promise<void>;
  /** Details of an unexpected failure (the page gets its message); `what` says what failed, in the user's language. */
  logError(what: string, error: unknown): void;
}

/** Changed rows sent per window at most. */
const MAX_ROWS_WINDOW = 1000;

interface Job {
  generation: number;
  path: string;
  controller: AbortController;
  table: RemoteTableDiff | null;
}

const pathOf = (spec: FileSpec): string => (typeof spec === 'string' ? spec : spec.path);

export class ContentSession {
  private job: Job | null = null;
  private generation = 0;

  constructor(private readonly deps: ContentSessionDeps) {}

  /** Ends the job on show (cancelling its work, releasing its table) and starts the next. */
  private begin(path: string): Job {
    this.end();
    const job: Job = { generation: ++this.generation, path, controller: new AbortController(), table: null };
    this.job = job;
    this.deps.post({ type: 'contentStarted', path, generation: job.generation, limitBytes: this.deps.limitBytes() });
    return job;
  }

  private end(): void {
    const job = this.job;
    this.job = null;
    if (!job) return;
    job.controller.abort();
    job.table?.release();
  }

  private current(job: Job): boolean {
    return this.job === job && !job.controller.signal.aborted;
  }

  private show(job: Job, view: ContentView, limitBytes: number): void {
    if (this.current(job)) this.deps.post({ type: 'content', path: job.path, generation: job.generation, limitBytes, view });
  }

  private fail(job: Job, error: unknown, what: () => string): void {
    if (this.job !== job) return;
    if (error instanceof CancelledError || job.controller.signal.aborted) {
      this.deps.post({ type: 'contentCancelled', path: job.path, generation: job.generation });
      return;
    }
    if (!isUserError(error)) this.deps.logError(what(), error);
    const message = error instanceof Error ? error.message : String(error);
    this.deps.post({ type: 'contentError', path: job.path, generation: job.generation, message });
  }

  /** Shows what changed inside `path`; `key` chooses how a table's rows are matched (undefined: guessed). */
  async select(path: string, key?: string | null): Promise<void> {
    const row = this.deps.table.row(path);
    if (!row) return;
    const action = rowAction(row);
    if (action === 'none') return;
    const job = this.begin(path);
    const limitBytes = this.deps.limitBytes();
    const side = (size: number | null) => (size === null ? null : { name: path, size });
    try {
      if (action === 'text-editor') {
        await this.deps.openTextDiff(path);
        this.show(job, { kind: 'text', before: side(row.sizeBefore), after: side(row.sizeAfter) }, limitBytes);
        return;
      }
      const { signal } = job.controller;
      const { before, after } = await this.deps.sides.pair(path, signal);
      const diff = await this.deps.worker.diff(before, after, { ...diffOptions(row.kind, limitBytes, key), signal });
      if (diff.kind === 'table') {
        if (!this.current(job)) {
          diff.release();
          return;
        }
        job.table = diff;
        this.show(job, { kind: 'table', summary: diff.toJSON(), keyChoices: keyChoices(diff), wholeRowAsked: key === null }, limitBytes);
        return;
      }
      switch (diff.kind) {
        case 'image': {
          const copy = async (spec: FileSpec | null, info: (typeof diff)['before']): Promise<ImageUri> => {
            const ext = imageExtension(info?.format ?? null);
            if (!spec || !info || !ext || info.size > limitBytes) return null;
            return this.deps.toUri(await this.deps.files.copyImage(pathOf(spec), ext));
          };
          const { mask, ...rest } = diff;
          const [b, a, m] = await Promise.all([copy(before, diff.before), copy(after, diff.after), mask ? this.deps.files.writePng(mask.pngBase64).then((f) => this.deps.toUri(f)) : null]);
          this.show(job, { kind: 'image', diff: rest, before: b, after: a, mask: m }, limitBytes);
          return;
        }
        case 'text':
          // Named like nothing we know, but text: VS Code's own diff editor shows it best.
          await this.deps.openTextDiff(path);
          this.show(job, diff, limitBytes);
          return;
        case 'structured':
          this.show(job, { kind: 'structured', diff }, limitBytes);
          return;
        case 'weights':
          this.show(job, { kind: 'weights', diff }, limitBytes);
          return;
        case 'binary':
          this.show(job, diff, limitBytes);
          return;
      }
    } catch (error) {
      this.fail(job, error, () => l10n.t('Could not compare the contents of {0}', path));
    }
  }

  /** Shows the changed images whose path contains `filter` as a grid of thumbnails. */
  async imageGrid(filter: string): Promise<void> {
    const job = this.begin('');
    const limitBytes = this.deps.limitBytes();
    try {
      const { signal } = job.controller;
      const { rows, total } = gridPairs(this.deps.table.images(filter));
      const pairs = await Promise.all(rows.map(async (r) => ({ path: r.path, ...(await this.deps.sides.pair(r.path, signal)) })));
      const d = await this.deps.worker.imageFolder(pairs, { limitBytes, thumbnailSize: THUMBNAIL_SIZE, maxPairs: IMAGE_GRID_MAX_LISTED, signal });
      const thumb = async (t: ImageThumb | null): Promise<ImageThumbView | null> => {
        if (!t) return null;
        const { thumbnailBase64, ...rest } = t;
        return { ...rest, uri: thumbnailBase64 ? this.deps.toUri(await this.deps.files.writePng(thumbnailBase64)) : null };
      };
      const changed = await Promise.all(d.changed.map(async (c) => ({ ...c, before: await thumb(c.before), after: await thumb(c.after) })));
      this.show(job, { kind: 'imageFolder', diff: { ...d, changed }, filter, pairs: total, pairsLimit: IMAGE_GRID_MAX_PAIRS }, limitBytes);
    } catch (error) {
      this.fail(job, error, () => l10n.t('Could not compare the changed images'));
    }
  }

  /** A window of the changed rows of the table on show; ignored when it asks about an older one. */
  async rows(q: ContentRowQuery): Promise<void> {
    const job = this.job;
    if (!job?.table || job.generation !== q.generation) return;
    const filter: RowFilter = {};
    if (q.status !== 'all') filter.status = q.status;
    if (q.column !== null) filter.column = q.column;
    let page: ChangedRowsPage;
    try {
      page = await job.table.rows(Math.max(0, q.offset), Math.min(Math.max(0, q.limit), MAX_ROWS_WINDOW), filter, job.controller.signal);
    } catch (error) {
      this.fail(job, error, () => l10n.t('Could not read the changed rows'));
      return;
    }
    if (this.current(job)) this.deps.post({ type: 'contentRows', generation: job.generation, seq: q.seq, page });
  }

  /** Stops the work on show (the page keeps what it has). */
  cancel(): void {
    this.job?.controller.abort();
  }

  /** The page closed the content pane. */
  close(): void {
    this.end();
  }

  dispose(): void {
    this.end();
  }
}
