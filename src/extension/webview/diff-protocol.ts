/**
 * The one message contract of the diff webview, shared by the extension host and the page (which
 * imports only this file's types). The host keeps the rows; the page asks for windows of them as the
 * user scrolls, filters and sorts, so 500,000 rows never travel at once. The same holds for the
 * changed rows of a table's content diff: they stay in the content diff worker and the page asks for
 * windows of them. Every page → host message is checked at run time (`isPageMessage`), and so is the
 * first host → page message, `init` (`isInitMessage`), which brings every word the page shows: the
 * page has no text of its own.
 */
import type { ContentKind } from '../../content/formats';
import type { ImageDiff, ImageFolderDiff, ImagePairChange, ImageThumb } from '../../content/image';
import type { MetadataDiff } from '../../content/metadata';
import type { SideInfo } from '../../content/source';
import type { StructuredDiff } from '../../content/structured';
import type { ChangedRowsPage, RowStatus, TableDiffSummary } from '../../content/table';
import type { WeightsDiff } from '../../content/weights';

/**
 * The names of the page's texts. The host sends each in the user's language (`vscode.l10n.t`); a
 * text with `{0}`, `{1}`… is a template the page fills (`format` in media/diff/strings.ts).
 */
export const DIFF_STRING_KEYS = [
  // The file list.
  'comparing', 'filterPlaceholder', 'show', 'allChanges', 'added', 'removed', 'modified', 'sortBy', 'sortPath', 'sortSize',
  'reverse', 'path', 'before', 'after', 'change', 'changedFiles', 'rowCountOne', 'rowCount', 'summary', 'couldNotCompare',
  'rowTitleReference', 'rowTitleTextDiff', 'rowTitleContent', 'imagesButton', 'imagesButtonTitle',
  // Counts in lists (`1 added, 3 changed`: joined by Intl.ListFormat).
  'countAdded', 'countRemoved', 'countChanged',
  // Version details (metadata).
  'metadataTitle', 'metadataSame', 'metadataFolder', 'metadataChanges', 'summaryDescription', 'summaryAliases', 'summaryTags',
  'summaryTtl', 'metadataKey', 'description', 'aliases', 'tags', 'ttl', 'ttlNone', 'ttlInherit', 'none', 'absent', 'showValue',
  'moreChangesOne', 'moreChanges', 'arrayChange', 'rootArray', 'arrays',
  // The content pane.
  'close', 'cancel', 'retry', 'openTextDiff', 'openTextDiffTitle', 'workingFile', 'workingImages', 'cancelled', 'failed',
  'textOpened', 'binary', 'gridTitle', 'gridTitleFiltered',
  // Tables.
  'tableFacts', 'wholeFiles', 'matchBy', 'matchByLabel', 'wholeRow', 'guessed', 'matchWhole', 'matchNoKey', 'countUnchanged', 'sampled', 'schema', 'schemaSame', 'columnAdded', 'columnRemoved',
  'columnRenamed', 'columnsReordered', 'numericColumns', 'column', 'statCount', 'statNulls', 'statMin', 'statMax', 'statMean',
  'changedRows', 'allRows', 'onlyAdded', 'onlyRemoved', 'onlyChanged', 'anyColumn', 'inColumn', 'row', 'noChangedRows',
  // JSON / YAML.
  'structuredCounts', 'structuredSame', 'structuredSkipped', 'keyPath', 'rootPath',
  // Images.
  'changedPixels', 'changedBox', 'notCompared', 'imageNotShown', 'sideBySide', 'swipe', 'onionSkin', 'difference',
  'swipePosition', 'opacity', 'gridSamePixels', 'gridOmitted', 'gridLimited', 'gridEmpty', 'gridOpen', 'pairChanged',
  'statusAdded', 'statusRemoved', 'statusChanged',
  // Weights.
  'weightsFacts', 'parameters', 'tensorsAdded', 'tensorsRemoved', 'tensorsChanged', 'valuesChanged', 'valuesNotCompared',
  'tensorsSameOne', 'tensorsSame', 'tensor', 'dtype', 'shape', 'params', 'weightsMetadata', 'opaque',
] as const;

export type DiffStringKey = (typeof DIFF_STRING_KEYS)[number];
/** Every text of the page, in the user's language. */
export type DiffStrings = Record<DiffStringKey, string>;

/** The host's answer to `ready`, before anything else: what the page needs to draw itself. */
export interface InitMessage {
  type: 'init';
  /** The display language as a BCP 47 tag (`ja`, `en-US`): numbers, sizes and the page's `lang`. */
  locale: string;
  /** The two sides as the user named them (the summary later gives them qualified). */
  before: string;
  after: string;
  strings: DiffStrings;
}

export type DiffStatus = 'added' | 'removed' | 'modified';
export type SortKey = 'path' | 'size';
export type StatusFilter = DiffStatus | 'all';

export interface DiffRow {
  path: string;
  status: DiffStatus;
  sizeBefore: number | null;
  sizeAfter: number | null;
  /** A reference entry (its bytes are not stored): no file diff. */
  isReference: boolean;
  /** The differ its name calls for; null when the name does not tell (the bytes are looked at). */
  kind: ContentKind | null;
}

export interface DiffSummary {
  before: string;
  after: string;
  /** The after side is a folder on disk, not a version. */
  afterIsFolder: boolean;
  added: number;
  removed: number;
  modified: number;
  unchanged: number;
  sizeBefore: number;
  sizeAfter: number;
  sizeChange: number;
  /** Changed images (not references): the view offers a grid of them. */
  images: number;
}

export interface RowQuery {
  /** Case-insensitive substring of the path. */
  filter: string;
  status: StatusFilter;
  sort: SortKey;
  descending: boolean;
  offset: number;
  limit: number;
  /** Echoed back so the page can drop answers to superseded queries. */
  seq: number;
}

/** A window of the changed rows of the table on show (`generation` names that content diff). */
export interface ContentRowQuery {
  generation: number;
  offset: number;
  limit: number;
  status: RowStatus | 'all';
  /** Only rows whose value in this column changed. */
  column: string | null;
  seq: number;
}

/** An image the page can show: a webview URI of a copy made for it, or null (not copied: too large, absent). */
export type ImageUri = string | null;

export interface ImageThumbView extends Omit<ImageThumb, 'thumbnailBase64'> {
  uri: ImageUri;
}

export interface ImagePairView extends Omit<ImagePairChange, 'before' | 'after'> {
  before: ImageThumbView | null;
  after: ImageThumbView | null;
}

/** What the content pane shows for one file (or the grid of changed images). */
export type ContentView =
  /** `wholeRowAsked`: the user chose to match rows by their whole content. */
  | { kind: 'table'; summary: TableDiffSummary; keyChoices: string[]; wholeRowAsked: boolean }
  | { kind: 'structured'; diff: StructuredDiff }
  | { kind: 'image'; diff: Omit<ImageDiff, 'mask'>; before: ImageUri; after: ImageUri; mask: ImageUri }
  | { kind: 'weights'; diff: WeightsDiff }
  | { kind: 'imageFolder'; diff: Omit<ImageFolderDiff, 'changed'> & { changed: ImagePairView[] }; filter: string; pairs: number; pairsLimit: number }
  /** Text: opened in VS Code's own diff editor. */
  | { kind: 'text'; before: SideInfo | null; after: SideInfo | null }
  /** Bytes no differ reads: sizes only. */
  | { kind: 'binary'; before: SideInfo | null; after: SideInfo | null };

/** Page → host. */
export type PageMessage =
  | { type: 'ready' }
  | { type: 'query'; query: RowQuery }
  /** Open VS Code's diff editor on a file (a text file, or the text of a table or document). */
  | { type: 'openDiff'; path: string }
  /** Show what changed inside a file. `key`: match table rows by this column (null: whole rows; absent: guess). */
  | { type: 'select'; path: string; key?: string | null }
  | { type: 'contentRows'; query: ContentRowQuery }
  /** Show the changed images whose path contains `filter` as a grid. */
  | { type: 'imageGrid'; filter: string }
  | { type: 'cancelContent' }
  | { type: 'closeContent' };

/** Host → page. */
export type HostMessage =
  | InitMessage
  | { type: 'summary'; summary: DiffSummary }
  | { type: 'rows'; seq: number; total: number; offset: number; rows: DiffRow[] }
  | { type: 'error'; message: string }
  /** Null when the after side is a folder (it has no metadata). */
  | { type: 'metadata'; diff: MetadataDiff | null }
  /** Content work started; `limitBytes` is the configured limit it runs with. */
  | { type: 'contentStarted'; path: string; generation: number; limitBytes: number }
  | { type: 'content'; path: string; generation: number; limitBytes: number; view: ContentView }
  | { type: 'contentRows'; generation: number; seq: number; page: ChangedRowsPage }
  | { type: 'contentError'; path: string; generation: number; message: string }
  | { type: 'contentCancelled'; path: string; generation: number };

const isInt = (x: unknown): x is number => Number.isInteger(x);
const isString = (x: unknown): x is string => typeof x === 'string';

function isRowQuery(q: unknown): q is RowQuery {
  if (typeof q !== 'object' || q === null) return false;
  const r = q as Partial<RowQuery>;
  return (
    isString(r.filter) && ['all', 'added', 'removed', 'modified'].includes(r.status as string) &&
    (r.sort === 'path' || r.sort === 'size') && typeof r.descending === 'boolean' &&
    isInt(r.offset) && isInt(r.limit) && isInt(r.seq)
  );
}

function isContentRowQuery(q: unknown): q is ContentRowQuery {
  if (typeof q !== 'object' || q === null) return false;
  const r = q as Partial<ContentRowQuery>;
  return (
    isInt(r.generation) && isInt(r.offset) && isInt(r.limit) && isInt(r.seq) &&
    ['all', 'added', 'removed', 'changed'].includes(r.status as string) && (r.column === null || isString(r.column))
  );
}

export function isPageMessage(m: unknown): m is PageMessage {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'cancelContent':
    case 'closeContent':
      return true;
    case 'openDiff':
      return isString(msg.path);
    case 'select':
      return isString(msg.path) && (msg.key === undefined || msg.key === null || isString(msg.key));
    case 'imageGrid':
      return isString(msg.filter);
    case 'query':
      return isRowQuery(msg.query);
    case 'contentRows':
      return isContentRowQuery(msg.query);
    default:
      return false;
  }
}

/** Whether `m` is a well-formed `init` message: every text of the page present, and nothing else. */
export function isInitMessage(m: unknown): m is InitMessage {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  if (msg.type !== 'init' || !isString(msg.locale) || !isString(msg.before) || !isString(msg.after)) return false;
  const strings = msg.strings;
  if (typeof strings !== 'object' || strings === null || Array.isArray(strings)) return false;
  const keys = Object.keys(strings);
  return keys.length === DIFF_STRING_KEYS.length && DIFF_STRING_KEYS.every((k) => isString((strings as Record<string, unknown>)[k]));
}
