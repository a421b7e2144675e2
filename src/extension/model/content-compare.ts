/**
 * The pure decisions of the compare view's content pane (no vscode, no I/O): what a click on a file
 * does, the options a content diff runs with under the configured byte limit, the key columns a
 * table offers, and which changed images the grid compares.
 */
import type { ContentKind } from '../../content/formats';
import type { ImageFormat } from '../../content/formats';
import type { TableDiffSummary } from '../../content/table';
import type { WorkerDiffOptions } from '../../content/worker-protocol';
import type { DiffRow } from '../webview/diff-protocol';

/** `artifacts.compare.maxBytes`'s default: the library's own limit for tables, images and weights. */
export const DEFAULT_COMPARE_MAX_BYTES = 256 * 1024 * 1024;
/** JSON and YAML are parsed whole, so they stop here even when the setting allows more. */
export const STRUCTURED_MAX_BYTES = 32 * 1024 * 1024;
/** The grid compares at most this many images (in path order); the view says when there were more. */
export const IMAGE_GRID_MAX_PAIRS = 500;
/** The grid lists (with thumbnails) at most this many changed images. */
export const IMAGE_GRID_MAX_LISTED = 200;
export const THUMBNAIL_SIZE = 120;

/** What selecting a row does: open VS Code's text diff, show a content diff, or nothing (a reference). */
export type RowAction = 'text-editor' | 'content' | 'none';

export function rowAction(row: Pick<DiffRow, 'kind' | 'isReference'>): RowAction {
  if (row.isReference) return 'none';
  return row.kind === 'text' ? 'text-editor' : 'content';
}

/** The setting's value as a byte limit: a positive whole number, else the default. */
export function compareLimit(setting: unknown): number {
  return typeof setting === 'number' && Number.isFinite(setting) && setting >= 1 ? Math.floor(setting) : DEFAULT_COMPARE_MAX_BYTES;
}

/** Worker options for a file of this kind under the limit; `key` as the page asked (undefined: guess). */
export function diffOptions(kind: ContentKind | null, limitBytes: number, key?: string | null): WorkerDiffOptions {
  const opts: WorkerDiffOptions = { limitBytes: kind === 'structured' ? Math.min(limitBytes, STRUCTURED_MAX_BYTES) : limitBytes };
  if (key !== undefined && kind === 'table') opts.key = key;
  return opts;
}

/** Columns a table's rows can be matched by: those on both sides, the one in use first. */
export function keyChoices(summary: Pick<TableDiffSummary, 'columns' | 'match'>): string[] {
  const before = new Set(summary.columns.before.map((c) => c.name));
  const both = summary.columns.after.map((c) => c.name).filter((n) => before.has(n));
  const current = summary.match.mode === 'key' ? summary.match.key : null;
  return current !== null && both.includes(current) ? [current, ...both.filter((n) => n !== current)] : both;
}

/** The file extension a copy of an image gets, so the webview serves it with its content type. */
export function imageExtension(format: ImageFormat | null): string | null {
  switch (format) {
    case 'png':
      return 'png';
    case 'jpeg':
      return 'jpg';
    case 'gif':
      return 'gif';
    case 'webp':
      return 'webp';
    default:
      return null;
  }
}

/** The changed images the grid compares: the first `max` (path order) of those the filter keeps. */
export function gridPairs(images: readonly DiffRow[], max = IMAGE_GRID_MAX_PAIRS): { rows: DiffRow[]; total: number } {
  return { rows: images.slice(0, max), total: images.length };
}
