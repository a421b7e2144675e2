/**
 * Messages between `ContentDiffWorker` (the caller's thread) and the worker that runs the differs.
 * Sides cross the thread boundary as local file paths, since a ContentSource's `open` cannot.
 */
import type { ImageFolderOptions } from './image';
import type { ContentDiffOptions, ContentKind } from './index';
import type { RowFilter } from './table';

/** Marks a worker started to serve content diffs (see worker.ts). */
export const WORKER_FLAG = 'artifactsContentDiffWorker';

/** workerData key of the language and bundle the worker's messages use (core/l10n's `currentLanguage()`). */
export const WORKER_LANGUAGE = 'artifactsLanguage';

/** A local file; `name` (the path inside the artifact) chooses the differ and names it in messages. */
export type FileSpec = string | { path: string; name?: string };

/** The options that can be sent: everything but the signal (cancellation is its own message). */
export type WorkerDiffOptions = Omit<ContentDiffOptions, 'signal'> & { kind?: ContentKind };

/** One image of a folder comparison: its path in the artifact or folder, and its local file on each side. */
export interface FilePair {
  path: string;
  before: FileSpec | null;
  after: FileSpec | null;
}

export type WorkerImageFolderOptions = Omit<ImageFolderOptions, 'signal'>;

export type Request =
  | { type: 'diff'; id: number; before: FileSpec | null; after: FileSpec | null; opts: WorkerDiffOptions }
  | { type: 'imageFolder'; id: number; pairs: FilePair[]; opts: WorkerImageFolderOptions }
  | { type: 'rows'; id: number; table: number; offset: number; limit: number; filter?: RowFilter }
  | { type: 'cancel'; id: number }
  | { type: 'release'; table: number };

export interface SerializedError {
  name: string;
  message: string;
  userError: boolean;
  stack?: string;
}

export type Response =
  /** `table` is set when the result is a table diff whose rows stay in the worker. */
  | { type: 'result'; id: number; value: unknown; table?: number }
  | { type: 'error'; id: number; error: SerializedError };
