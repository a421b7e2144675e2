/**
 * Content-aware compare (issue 12): what changed inside two versions of a file, for the CLI
 * (`artifacts diff A B --content PATH [--json]`) and the VS Code compare view. Plain Node: no
 * vscode, no CLI parsing. Every result is JSON-serializable (a table diff through its `toJSON`).
 *
 *   const diff = await diffContent(beforeSourceOrPath, afterSourceOrPath, { signal, key: 'id' });
 *   switch (diff.kind) { case 'table': … await diff.rows(0, 100); case 'text': open the editor's diff … }
 *
 * On a thread that must stay responsive (the extension host), use `ContentDiffWorker` instead: some
 * decoders hold the thread for one synchronous call that cannot be sliced (see worker-client.ts).
 */
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../core/l10n';
import { readRange, sideInfo, toSourceOrNull, type ContentInput, type ContentSource, type SideInfo } from './source';
import { diffImage, type ImageDiff, type ImageOptions } from './image';
import { detectContentKind, type ContentKind } from './formats';
import { diffStructured, type StructuredDiff, type StructuredDiffOptions } from './structured';
import { diffTable, type TableDiff, type TableDiffOptions, type TableDiffSummary } from './table';
import { diffWeights, type WeightsDiff, type WeightsOptions } from './weights';

export { bufferSource, fileSource, type ByteRange, type ContentInput, type ContentSource, type SideInfo } from './source';
export { DEFAULT_LIMIT_BYTES, type BaseContentOptions, type Sampled } from './options';
export { diffValues, keyPath, type ArrayChange, type ChangeKind, type ValueChange, type ValueDiff, type ValueDiffOptions } from './value-diff';
export { diffVersionMetadata, type MetadataDiff, type SetChange, type TtlValue, type VersionMetadata } from './metadata';
export { DEFAULT_STRUCTURED_LIMIT_BYTES, diffStructured, parseStructured, type StructuredDiff, type StructuredDiffOptions, type StructuredFormat } from './structured';
export {
  diffTable,
  guessKeyColumn,
  tableFormat,
  TableDiff,
  type ChangedRow,
  type ChangedRowsPage,
  type ColumnStatsChange,
  type ColumnType,
  type NumericStats,
  type RowFilter,
  type RowMatch,
  type RowStatus,
  type SchemaChanges,
  type TableColumn,
  type TableDiffOptions,
  type TableDiffSummary,
  type TableFormat,
} from './table';
export {
  DEFAULT_MAX_PIXELS,
  diffImage,
  diffImageFolder,
  imagePairsFromFolders,
  type ImageDiff,
  type ImageFolderDiff,
  type ImageFolderOptions,
  type ImageFormat,
  type ImageOptions,
  type ImagePair,
  type ImagePairChange,
  type ImageSide,
  type ImageThumb,
} from './image';
export { webpWasmPath } from './image-codecs';
export { ContentDiffWorker, type FilePair, type FileSpec, type RemoteContentDiff, type RemoteTableDiff, type WorkerDiffOptions } from './worker-client';
export { diffWeights, type TensorChange, type TensorInfo, type WeightsDiff, type WeightsFormat, type WeightsOptions } from './weights';

export { detectContentKind, type ContentKind } from './formats';

/** "Open the editor's own diff": the files are text. */
export interface TextDiff {
  kind: 'text';
  before: SideInfo | null;
  after: SideInfo | null;
}

/** Neither text nor a format read here: only sizes. */
export interface BinaryDiff {
  kind: 'binary';
  before: SideInfo | null;
  after: SideInfo | null;
}

export type ContentDiff = TableDiff | StructuredDiff | ImageDiff | WeightsDiff | TextDiff | BinaryDiff;

export type ContentDiffOptions = TableDiffOptions &
  ImageOptions &
  WeightsOptions &
  StructuredDiffOptions & {
    /** Use this differ whatever the file is called. */
    kind?: ContentKind;
  };

/** Text when the first 8 KiB hold no NUL byte and are valid UTF-8. */
async function looksLikeText(source: ContentSource, signal?: AbortSignal): Promise<boolean> {
  const head = await readRange(source, 0, 8192, signal);
  if (head.includes(0)) return false;
  try {
    // A multi-byte character may be cut at the end of the sample: drop up to 3 trailing bytes.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length === 8192 ? head.length - 3 : head.length));
    return true;
  } catch {
    return false;
  }
}

/**
 * Compares two versions of one file with the differ its name calls for (or `opts.kind`); a missing
 * side (file added or removed) is `null`. Malformed files raise `ValidationError`, cancellation
 * `CancelledError`.
 */
export async function diffContent(beforeInput: ContentInput | null, afterInput: ContentInput | null, opts: ContentDiffOptions = {}): Promise<ContentDiff> {
  const [before, after] = await Promise.all([toSourceOrNull(beforeInput), toSourceOrNull(afterInput)]);
  const name = after?.name ?? before?.name ?? '';
  let kind = opts.kind ?? detectContentKind(name);
  if (kind === null) {
    const sides = [before, after].filter((s): s is ContentSource => s !== null);
    kind = (await Promise.all(sides.map((s) => looksLikeText(s, opts.signal)))).every(Boolean) ? 'text' : 'binary';
  }
  switch (kind) {
    case 'table':
      return diffTable(before, after, opts);
    case 'structured':
      return diffStructured(before, after, opts);
    case 'image':
      return diffImage(before, after, opts);
    case 'weights':
      return diffWeights(before, after, opts);
    case 'text':
    case 'binary':
      return { kind, before: sideInfo(before), after: sideInfo(after) };
  }
}

// ---------------------------------------------------------------------------------------------
// Gates for CI scripts: fail a pipeline when too much changed.

/**
 * Rows added, removed or changed, as a fraction of the larger of the two row counts (0 when both
 * tables are empty). With a row-hash match a changed row counts twice (removed and added).
 */
export function changedRowFraction(diff: TableDiffSummary): number {
  const { added, removed, changed } = diff.rowChanges;
  const rows = Math.max(diff.rowCount.before, diff.rowCount.after);
  return rows === 0 ? 0 : (added + removed + changed) / rows;
}

/**
 * How much changed, from 0 to 1, where a result has a natural measure: rows of a table, pixels of
 * an image, tensors of a weights file (shape, dtype or values). Null for the others.
 */
export function changedFraction(diff: ContentDiff): number | null {
  switch (diff.kind) {
    case 'table':
      return changedRowFraction(diff);
    case 'image':
      return diff.changedFraction;
    case 'weights': {
      if (diff.opaque) return null;
      const { added, removed, changed } = diff.tensors;
      const n = Math.max(diff.tensorCount.before, diff.tensorCount.after);
      return n === 0 ? 0 : (added.length + removed.length + changed.length + (diff.valuesChanged?.length ?? 0)) / n;
    }
    default:
      return null;
  }
}

export interface ChangeBudget {
  ok: boolean;
  /** null when the result has no measure (then `ok` is true). */
  fraction: number | null;
  /** One line for a log: what changed against what was allowed. */
  message: string;
}

/** Checks a result against a budget such as 0.01 (1% of rows may change), for `--max-changed`-style CI gates. */
export function checkChangeBudget(diff: ContentDiff, maxFraction: number): ChangeBudget {
  const fraction = changedFraction(diff);
  /** A percentage's number (the message holds the `%`). */
  const pct = (x: number): string => formatNumber(+(x * 100).toPrecision(3));
  if (fraction === null) return { ok: true, fraction, message: l10n.t('no change measure for {0} content', diff.kind) };
  const ok = fraction <= maxFraction;
  const [done, allowed] = [pct(fraction), pct(maxFraction)];
  let message: string;
  if (diff.kind === 'table') message = ok ? l10n.t('{0}% of rows changed, within the {1}% allowed', done, allowed) : l10n.t('{0}% of rows changed, more than the {1}% allowed', done, allowed);
  else if (diff.kind === 'image') message = ok ? l10n.t('{0}% of pixels changed, within the {1}% allowed', done, allowed) : l10n.t('{0}% of pixels changed, more than the {1}% allowed', done, allowed);
  else message = ok ? l10n.t('{0}% of tensors changed, within the {1}% allowed', done, allowed) : l10n.t('{0}% of tensors changed, more than the {1}% allowed', done, allowed);
  return { ok, fraction, message };
}
