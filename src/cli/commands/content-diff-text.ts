/**
 * Plain-text rendering of content diffs for `artifacts diff --content` and of the version-metadata
 * section of `artifacts diff` (the --json output is the results themselves).
 */
import type { ImageFolderDiff } from '../../content/image';
import type { ContentDiff } from '../../content/index';
import type { MetadataDiff } from '../../content/metadata';
import type { ChangedRow, ChangedRowsPage, NumericStats, TableDiffSummary } from '../../content/table';
import type { ValueChange, ValueDiff } from '../../content/value-diff';
import type { TensorInfo, WeightsDiff } from '../../content/weights';
import type { StructuredDiff } from '../../content/structured';
import type { ImageDiff } from '../../content/image';
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../../core/l10n';
import { formatTtl } from '../../core/ttl';
import { formatBytes } from '../../core/units';
import { oneLine, table } from '../format';

/**
 * A value of the data (a cell, a statistic, a parameter count's change) as the data writes it:
 * integers whole, others to 6 significant digits, no grouping (counts of things go through
 * formatNumber, in the user's locale).
 */
export function formatValue(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(+n.toPrecision(6));
}

/** `+2`, `-0.5`; floating-point noise (0.93 - 0.91) rounded away. */
export function formatDelta(d: number): string {
  const text = formatValue(Math.abs(d));
  return d > 0 ? `+${text}` : d < 0 ? `-${text}` : '0';
}

const n = formatNumber;

const pct = (x: number): string => `${+(x * 100).toPrecision(3)}%`;

function value(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return formatValue(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function changeLine(c: ValueChange): string {
  const where = c.path === '' ? l10n.t('(the whole document)') : c.path;
  if (c.kind === 'added') return `  + ${oneLine(where)}: ${oneLine(value(c.after))}`;
  if (c.kind === 'removed') return `  - ${oneLine(where)}: ${oneLine(value(c.before))}`;
  return `  ~ ${oneLine(where)}: ${oneLine(value(c.before))} → ${oneLine(value(c.after))}${c.delta !== undefined ? ` (${formatDelta(c.delta)})` : ''}`;
}

function valueDiffLines(d: ValueDiff): string[] {
  const lines = d.changes.map(changeLine);
  if (d.truncated) {
    const more = d.counts.added + d.counts.removed + d.counts.changed - d.changes.length;
    lines.push(more === 1 ? l10n.t('  … 1 more change') : l10n.t('  … {0} more changes', n(more)));
  }
  for (const a of d.arrays) {
    lines.push(l10n.t('  [] {0}: {1} → {2} elements, {3} changed', oneLine(a.path || l10n.t('(root)')), n(a.lengthBefore), n(a.lengthAfter), n(a.changedElements)));
  }
  return lines;
}

function countsText(c: { added: number; removed: number; changed: number }): string {
  return l10n.t('{0} added, {1} removed, {2} changed', n(c.added), n(c.removed), n(c.changed));
}

/** The metadata section of `artifacts diff`: only what differs. */
export function metadataText(d: MetadataDiff): string {
  const lines: string[] = [];
  if (d.metadata.changes.length > 0 || d.metadata.truncated) lines.push(l10n.t('metadata: {0}', countsText(d.metadata.counts)), ...valueDiffLines(d.metadata));
  if (d.description) lines.push(l10n.t('description: {0} → {1}', oneLine(value(d.description.before)), oneLine(value(d.description.after))));
  const changes = (s: { added: string[]; removed: string[] }): string => [...s.added.map((x) => `+${x}`), ...s.removed.map((x) => `-${x}`)].map(oneLine).join(' ');
  if (d.aliases.added.length + d.aliases.removed.length > 0) lines.push(l10n.t('aliases: {0}', changes(d.aliases)));
  if (d.tags.added.length + d.tags.removed.length > 0) lines.push(l10n.t('tags: {0}', changes(d.tags)));
  if (d.ttl) lines.push(l10n.t('ttl: {0} → {1}', formatTtl(d.ttl.before), formatTtl(d.ttl.after)));
  return lines.join('\n');
}

function statsCell(b: number | null | undefined, a: number | null | undefined): string {
  const f = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : formatValue(x));
  const delta = typeof b === 'number' && typeof a === 'number' && a !== b ? ` (${formatDelta(a - b)})` : '';
  return b === a ? f(a) : `${f(b)} → ${f(a)}${delta}`;
}

function rowText(r: ChangedRow): string {
  const id = r.key !== null ? `${r.key}` : l10n.t('row {0}', n((r.rowNumber.after ?? r.rowNumber.before)!));
  const cells = (rec: Record<string, unknown> | null): string =>
    Object.entries(rec ?? {})
      .map(([k, v]) => `${k}=${v === null ? '' : String(v)}`)
      .join(', ');
  if (r.status === 'changed') {
    const parts = r.changedColumns.map((c) => `${c}: ${String(r.before?.[c] ?? '')} → ${String(r.after?.[c] ?? '')}`);
    return `  ~ ${oneLine(id)}  ${oneLine(parts.join('; '))}`;
  }
  return `  ${r.status === 'added' ? '+' : '-'} ${oneLine(id)}  ${oneLine(cells(r.status === 'added' ? r.after : r.before))}`;
}

function tableText(d: TableDiffSummary, rows: ChangedRowsPage | undefined): string[] {
  const { added, removed, changed, unchanged } = d.rowChanges;
  const total = Math.max(d.rowCount.before, d.rowCount.after);
  const match =
    d.match.mode === 'key'
      ? d.match.guessed
        ? l10n.t("rows matched by key '{0}' (guessed)", d.match.key)
        : l10n.t("rows matched by key '{0}'", d.match.key)
      : l10n.t('rows matched by whole-row content ({0})', d.match.reason);
  const [a, r, c, u] = [added, removed, changed, unchanged].map(n);
  const lines = [
    l10n.t('table ({0}): {1} → {2} rows; {3}', d.format, n(d.rowCount.before), n(d.rowCount.after), match),
    total
      ? l10n.t('rows: {0} added, {1} removed, {2} changed, {3} unchanged ({4} of rows)', a, r, c, u, pct((added + removed + changed) / total))
      : l10n.t('rows: {0} added, {1} removed, {2} changed, {3} unchanged', a, r, c, u),
  ];
  const count = (x: number | null | undefined): string => (x === null || x === undefined ? '?' : n(x));
  if (d.totalRows) lines.push(l10n.t('whole files: {0} → {1} rows', count(d.totalRows.before), count(d.totalRows.after)));
  const s = d.schema;
  const schema = [
    ...s.added.map((col) => `+ ${col.name} (${col.type})`),
    ...s.removed.map((col) => `- ${col.name} (${col.type})`),
    ...s.renamed.map((rn) => l10n.t('{0} renamed to {1} ({2})', rn.from, rn.to, rn.type)),
    ...s.typeChanged.map((t) => `${t.name}: ${t.before} → ${t.after}`),
    ...(s.reordered ? [l10n.t('columns reordered')] : []),
  ];
  if (schema.length) lines.push(l10n.t('schema: {0}', oneLine(schema.join('; '))));
  const cells = Object.entries(d.changedCells).filter(([, k]) => k > 0);
  if (cells.length) lines.push(l10n.t('changed cells: {0}', oneLine(cells.map(([col, k]) => `${col} ${n(k)}`).join(', '))));
  if (d.sampled) {
    lines.push(
      l10n.t('sampled: the files are over the {0} limit; compared their first {1} and {2} rows', formatBytes(d.sampled.limitBytes), n(d.sampled.rowsRead.before), n(d.sampled.rowsRead.after)),
    );
  }
  if (d.stats.length) {
    const pick = (st: NumericStats | null, k: keyof NumericStats) => st?.[k];
    lines.push(
      l10n.t('numeric columns:'),
      table(
        [`  ${l10n.t('column')}`, l10n.t('count'), l10n.t('nulls'), l10n.t('min'), l10n.t('max'), l10n.t('mean')],
        d.stats.map((col) => [`  ${col.name}`, ...(['count', 'nulls', 'min', 'max', 'mean'] as const).map((k) => statsCell(pick(col.before, k), pick(col.after, k)))]),
      ),
    );
  }
  if (rows && rows.total > 0) {
    lines.push(rows.rows.length < rows.total ? l10n.t('changed rows (first {0} of {1}):', n(rows.rows.length), n(rows.total)) : l10n.t('changed rows ({0}):', n(rows.total)));
    lines.push(...rows.rows.map(rowText));
  }
  return lines;
}

function structuredText(d: StructuredDiff): string[] {
  if (d.skipped) return [l10n.t('{0}: not compared: a file is over the {1} limit (JSON and YAML are parsed whole)', d.format, formatBytes(d.skipped.limitBytes))];
  return [`${d.format}: ${countsText(d.counts)}`, ...valueDiffLines(d)];
}

function imageText(d: ImageDiff): string[] {
  const side = (s: ImageDiff['before']): string => {
    if (!s) return l10n.t('absent');
    const [format, width, height] = [s.format ?? '?', s.width ?? '?', s.height ?? '?'];
    return s.frames ? l10n.t('{0} {1}×{2} ({3} frames, the first compared)', format, width, height, n(s.frames)) : `${format} ${width}×${height}`;
  };
  const lines = [l10n.t('image: {0} → {1}', side(d.before), side(d.after))];
  if (!d.compared) lines.push(l10n.t('pixels not compared: {0}', d.reason ?? l10n.t('unknown reason')));
  else {
    const [changed, total, share] = [n(d.changedPixels!), n(d.width! * d.height!), pct(d.changedFraction!)];
    const b = d.changedBox;
    const tolerance = d.tolerance ? formatValue(d.tolerance) : undefined;
    if (b) {
      lines.push(
        tolerance === undefined
          ? l10n.t('{0} of {1} pixels changed ({2}) within x {3}, y {4}, {5}×{6}', changed, total, share, b.x, b.y, b.width, b.height)
          : l10n.t('{0} of {1} pixels changed ({2}) within x {3}, y {4}, {5}×{6}, tolerance {7}', changed, total, share, b.x, b.y, b.width, b.height, tolerance),
      );
    } else {
      lines.push(tolerance === undefined ? l10n.t('{0} of {1} pixels changed ({2})', changed, total, share) : l10n.t('{0} of {1} pixels changed ({2}), tolerance {3}', changed, total, share, tolerance));
    }
  }
  return lines;
}

function weightsText(d: WeightsDiff): string[] {
  if (d.opaque) return [l10n.t('weights ({0}): {1}', d.format, d.reason ?? l10n.t('not readable'))];
  const shape = (s: number[]): string => `[${s.join(', ')}]`;
  const info = (t: TensorInfo): string =>
    t.parameters === 1
      ? l10n.t('{0}  {1} {2}  1 parameter', oneLine(t.name), t.dtype, shape(t.shape))
      : l10n.t('{0}  {1} {2}  {3} parameters', oneLine(t.name), t.dtype, shape(t.shape), n(t.parameters));
  const t = d.tensors;
  const [added, removed, changed, alike] = [t.added.length, t.removed.length, t.changed.length, t.unchanged].map(n);
  const lines = [
    l10n.t('weights ({0}): {1} → {2} tensors; parameters {3} → {4} ({5})', d.format, n(d.tensorCount.before), n(d.tensorCount.after), n(d.parameters.before), n(d.parameters.after), formatDelta(d.parameters.delta)),
    d.valuesChanged
      ? l10n.t('tensors: {0} added, {1} removed, {2} changed in shape or dtype, {3} alike, {4} of them with other values', added, removed, changed, alike, n(d.valuesChanged.length))
      : l10n.t('tensors: {0} added, {1} removed, {2} changed in shape or dtype, {3} alike', added, removed, changed, alike),
    ...t.added.map((x) => `  + ${info(x)}`),
    ...t.removed.map((x) => `  - ${info(x)}`),
    ...t.changed.map((x) => `  ~ ${oneLine(x.name)}  ${x.before.dtype} ${shape(x.before.shape)} → ${x.after.dtype} ${shape(x.after.shape)}`),
    ...(d.valuesChanged ?? []).map((name) => l10n.t('  * {0}  values changed', oneLine(name))),
  ];
  if (d.valuesChanged === null) lines.push(l10n.t('values not compared (a file is over the limit)'));
  const m = d.metadata;
  if (m.counts.added + m.counts.removed + m.counts.changed > 0) lines.push(l10n.t('metadata: {0}', countsText(m.counts)), ...valueDiffLines(m));
  return lines;
}

/** The body of `diff --content` for one file. */
export function contentDiffText(d: ContentDiff, rows: ChangedRowsPage | undefined, changed: boolean): string {
  const sizes = (): string => `${d.before ? formatBytes(d.before.size) : l10n.t('absent')} → ${d.after ? formatBytes(d.after.size) : l10n.t('absent')}`;
  switch (d.kind) {
    case 'table':
      return tableText(d, rows).join('\n');
    case 'structured':
      return structuredText(d).join('\n');
    case 'image':
      return imageText(d).join('\n');
    case 'weights':
      return weightsText(d).join('\n');
    case 'text':
      return changed ? l10n.t('text: {0}; the contents differ (read them with a text diff)', sizes()) : l10n.t('text: {0}; the contents are the same', sizes());
    case 'binary':
      return changed ? l10n.t('binary: {0}; the bytes differ', sizes()) : l10n.t('binary: {0}; the bytes are the same', sizes());
  }
}

/** The body of `diff --content DIR` for a folder of images. */
export function imageFolderText(d: ImageFolderDiff, dir: string): string {
  const count = (s: string): number => d.changed.filter((c) => c.status === s).length;
  const [changed, added, removed, unchanged] = [count('modified'), count('added'), count('removed'), d.unchanged].map(n);
  const lines = [
    d.omitted
      ? l10n.t('images under {0}/: {1} changed, {2} added, {3} removed, {4} unchanged ({5} more changed, not listed)', oneLine(dir), changed, added, removed, unchanged, n(d.omitted))
      : l10n.t('images under {0}/: {1} changed, {2} added, {3} removed, {4} unchanged', oneLine(dir), changed, added, removed, unchanged),
  ];
  for (const c of d.changed) {
    const mark = c.status === 'added' ? 'A' : c.status === 'removed' ? 'D' : 'M';
    const share = c.changedFraction === null || c.changedFraction === undefined ? '' : pct(c.changedFraction);
    const pixels =
      c.changedPixels === null ? '' : `  ${c.changedPixels === 1 ? l10n.t('1 pixel changed ({0})', share) : l10n.t('{0} pixels changed ({1})', n(c.changedPixels), share)}`;
    lines.push(`  ${mark} ${oneLine(c.path)}${pixels}${c.problem ? `  (${oneLine(c.problem)})` : ''}`);
  }
  return lines.join('\n');
}
