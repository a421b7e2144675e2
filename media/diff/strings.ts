/**
 * Every string the diff page shows, in one place (a later localization issue moves them to the
 * host). Numbers are formatted here too, so the whole of what a person reads is in this file.
 */
import { formatTtl } from '../../src/core/ttl';
import { formatBytes, formatBytesChange } from '../../src/core/units';

/** A count: 1,234. */
export function count(n: number): string {
  return n.toLocaleString();
}

/** A measured number: integers whole, others to 6 significant digits. */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? n.toLocaleString() : Number(n.toPrecision(6)).toLocaleString(undefined, { maximumFractionDigits: 20 });
}

/** A difference with its sign: +2, −0.5 (floating-point noise rounded away); '' for none. */
export function delta(d: number): string {
  if (d === 0 || !Number.isFinite(d)) return '';
  return `${d > 0 ? '+' : '−'}${num(Math.abs(d))}`;
}

export const pct = (x: number): string => `${Number((x * 100).toPrecision(3)).toLocaleString()}%`;

const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

export const S = {
  // The file list.
  comparing: 'Comparing…',
  filterPlaceholder: 'Filter paths',
  show: 'Show',
  allChanges: 'All changes',
  added: 'Added',
  removed: 'Removed',
  modified: 'Modified',
  sortBy: 'Sort by',
  sortPath: 'Sort by path',
  sortSize: 'Sort by size',
  reverse: 'Reverse order',
  path: 'Path',
  before: 'Before',
  after: 'After',
  change: 'Change',
  changedFiles: 'Changed files',
  rowCount: (n: number) => plural(n, 'row'),
  summary: (s: { added: number; removed: number; modified: number; unchanged: number; sizeChange: number; sizeBefore: number; sizeAfter: number }) =>
    `${count(s.added)} added · ${count(s.removed)} removed · ${count(s.modified)} modified · ${count(s.unchanged)} unchanged · size ${formatBytesChange(s.sizeChange)} (${formatBytes(s.sizeBefore)} → ${formatBytes(s.sizeAfter)})`,
  couldNotCompare: (m: string) => `Could not compare: ${m}`,
  rowTitle: (path: string, action: 'text-editor' | 'content' | 'none') =>
    action === 'none' ? `${path} (a reference: its bytes are not in the registry)` : action === 'text-editor' ? `${path}: click to open the text diff` : `${path}: click to see what changed inside`,
  imagesButton: (n: number) => `Changed images (${count(n)})`,
  imagesButtonTitle: 'Show the changed images whose path contains the filter as a grid',
  bytes: formatBytes,
  bytesChange: formatBytesChange,

  // Version details (metadata).
  metadataTitle: 'Version details',
  metadataSame: 'Metadata, description, aliases, tags and TTL are the same in both versions.',
  metadataFolder: 'A folder has no metadata: only files are compared.',
  /** What differs, for the collapsed line: `metadata 1 added, 3 changed · description · aliases`. */
  metadataSummary: (c: { added: number; removed: number; changed: number }, others: { description: boolean; aliases: boolean; tags: boolean; ttl: boolean }) =>
    [
      c.added + c.removed + c.changed
        ? `metadata ${[c.added && `${count(c.added)} added`, c.removed && `${count(c.removed)} removed`, c.changed && `${count(c.changed)} changed`].filter(Boolean).join(', ')}`
        : '',
      others.description ? 'description' : '',
      others.aliases ? 'aliases' : '',
      others.tags ? 'tags' : '',
      others.ttl ? 'TTL' : '',
    ]
      .filter(Boolean)
      .join(' · '),
  metadataKey: 'Key',
  description: 'Description',
  aliases: 'Aliases',
  tags: 'Tags',
  ttl: 'Time to live',
  ttlValue: (t: number | null | 'inherit') => formatTtl(t),
  none: '(none)',
  absent: '(absent)',
  showValue: 'Show the whole value',
  moreChanges: (n: number) => `… and ${plural(n, 'more change')} (not listed)`,
  arrayChange: (p: string, before: number, after: number, changed: number) => `${p || '(root)'}: ${count(before)} → ${count(after)} elements, ${count(changed)} changed`,
  arrays: 'Arrays',

  // The content pane.
  close: 'Close',
  cancel: 'Cancel',
  retry: 'Try Again',
  openTextDiff: 'Open Text Diff',
  openTextDiffTitle: "Open the two files in VS Code's diff editor",
  working: (path: string) => (path ? `Comparing the contents of ${path}…` : 'Comparing the changed images…'),
  cancelled: 'Cancelled.',
  failed: (m: string) => `Could not compare the contents: ${m}`,
  limitNote: (limit: number) => `the limit is ${formatBytes(limit)} (setting artifacts.compare.maxBytes)`,
  textOpened: "This is a text file: it opened in VS Code's diff editor.",
  binary: 'No differ reads this format: only the sizes are compared.',
  sizes: (b: number | null, a: number | null) => `${b === null ? S.absent : formatBytes(b)} → ${a === null ? S.absent : formatBytes(a)}`,
  gridTitle: (filter: string) => (filter ? `Changed images matching “${filter}”` : 'Changed images'),

  // Tables.
  table: 'Table',
  tableFacts: (format: string, before: number, after: number) => `${format.toUpperCase()} · ${count(before)} → ${count(after)} rows`,
  wholeFiles: (before: number | null, after: number | null) => `whole files: ${before === null ? '?' : count(before)} → ${after === null ? '?' : count(after)} rows`,
  matchBy: 'Match rows by',
  wholeRow: 'the whole row',
  guessed: '(guessed)',
  matchWhole: 'Rows are matched by their whole content: a changed row shows as one removed and one added.',
  matchNoKey: (reason: string) => `Rows are matched by their whole content (${reason}): a changed row shows as one removed and one added.`,
  rowsAdded: 'added',
  rowsRemoved: 'removed',
  rowsChanged: 'changed',
  rowsUnchanged: 'unchanged',
  sampled: (limit: number, before: number, after: number) =>
    `Sampled: a file is larger than ${formatBytes(limit)} (setting artifacts.compare.maxBytes), so only its first rows within the limit were compared: ${count(before)} and ${count(after)} rows.`,
  schema: 'Schema',
  schemaSame: 'Same columns, same types.',
  columnAdded: (name: string, type: string) => `added ${name} (${type})`,
  columnRemoved: (name: string, type: string) => `removed ${name} (${type})`,
  columnRenamed: (from: string, to: string, type: string) => `renamed ${from} → ${to} (${type})`,
  columnRetyped: (name: string, before: string, after: string) => `${name}: ${before} → ${after}`,
  columnsReordered: 'columns reordered',
  numericColumns: 'Numeric columns',
  column: 'Column',
  statCount: 'Count',
  statNulls: 'Nulls',
  statMin: 'Min',
  statMax: 'Max',
  statMean: 'Mean',
  changedRows: 'Changed rows',
  allRows: 'All changed rows',
  onlyAdded: 'Added rows',
  onlyRemoved: 'Removed rows',
  onlyChanged: 'Changed rows',
  anyColumn: 'Any column',
  inColumn: (name: string, n: number) => `${name} changed (${count(n)})`,
  key: 'Key',
  row: 'Row',
  rowNumber: (before: number | null, after: number | null) => (before !== null && after !== null && before !== after ? `${count(before)} → ${count(after)}` : count((after ?? before)!)),
  badge: { added: '+', removed: '−', changed: '~' } as Record<string, string>,
  noChangedRows: 'No rows changed.',

  // JSON / YAML.
  structuredCounts: (format: string, c: { added: number; removed: number; changed: number }) =>
    `${format.toUpperCase()} · ${count(c.added)} added, ${count(c.removed)} removed, ${count(c.changed)} changed`,
  structuredSame: 'The documents hold the same data.',
  structuredSkipped: (limit: number) => `Not compared: a file is larger than ${formatBytes(limit)}; JSON and YAML are parsed whole.`,
  keyPath: 'Key path',
  rootPath: '(the whole document)',

  // Images.
  imageSide: (s: { format: string | null; width: number | null; height: number | null } | null) => (s ? `${(s.format ?? '?').toUpperCase()} ${s.width ?? '?'}×${s.height ?? '?'}` : S.absent),
  changedPixels: (n: number, total: number) => `${count(n)} of ${count(total)} pixels changed`,
  changedBox: (b: { x: number; y: number; width: number; height: number }) => `within x ${count(b.x)}, y ${count(b.y)}, ${count(b.width)}×${count(b.height)}`,
  notCompared: (reason: string) => `Pixels not compared: ${reason}.`,
  imageNotShown: 'Not shown (larger than the limit)',
  sideBySide: 'Side by side',
  swipe: 'Swipe',
  onionSkin: 'Onion skin',
  difference: 'Difference',
  swipePosition: 'Swipe position',
  opacity: 'Opacity of the after image',
  gridCounts: (d: { modified: number; added: number; removed: number; unchanged: number; omitted: number }) =>
    `${count(d.modified)} changed · ${count(d.added)} added · ${count(d.removed)} removed` +
    (d.unchanged ? ` · ${count(d.unchanged)} with other bytes but the same pixels` : '') +
    (d.omitted ? ` · ${count(d.omitted)} more changed, not listed` : ''),
  gridLimited: (compared: number, total: number) => `Compared the first ${count(compared)} of ${count(total)} changed images (in path order); filter the paths to see others.`,
  gridEmpty: 'No changed images.',
  gridOpen: (path: string) => `${path}: click for the full comparison`,
  pairChanged: (n: number, fraction: number) => `${count(n)} pixels changed (${pct(fraction)})`,
  statusWord: { added: 'added', removed: 'removed', modified: 'changed' } as Record<string, string>,

  // Weights.
  weightsFacts: (format: string, before: number, after: number) => `${format} · ${count(before)} → ${count(after)} tensors`,
  parameters: (before: number, after: number) => `parameters ${count(before)} → ${count(after)}`,
  tensorsAdded: 'Tensors added',
  tensorsRemoved: 'Tensors removed',
  tensorsChanged: 'Tensors changed in shape or dtype',
  valuesChanged: 'Same shape and dtype, other values',
  valuesNotCompared: 'Values not compared: a file is larger than the limit.',
  tensorsSame: (n: number) => `${plural(n, 'tensor')} of the same shape and dtype`,
  tensor: 'Tensor',
  dtype: 'Dtype',
  shape: 'Shape',
  params: 'Parameters',
  weightsMetadata: 'Metadata',
  opaque: (reason: string) => `${reason}.`,
};
