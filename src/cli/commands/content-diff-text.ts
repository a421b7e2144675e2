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
import { formatTtl } from '../../core/ttl';
import { formatBytes, plural } from '../../core/units';
import { oneLine, table } from '../format';

/** A number as people read it: integers whole, others to 6 significant digits. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? String(n) : String(+n.toPrecision(6));
}

/** `+2`, `-0.5`; floating-point noise (0.93 - 0.91) rounded away. */
export function formatDelta(d: number): string {
  const text = formatNumber(Math.abs(d));
  return d > 0 ? `+${text}` : d < 0 ? `-${text}` : '0';
}

const pct = (x: number): string => `${+(x * 100).toPrecision(3)}%`;

function value(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return formatNumber(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function changeLine(c: ValueChange): string {
  const where = c.path === '' ? '(the whole document)' : c.path;
  if (c.kind === 'added') return `  + ${oneLine(where)}: ${oneLine(value(c.after))}`;
  if (c.kind === 'removed') return `  - ${oneLine(where)}: ${oneLine(value(c.before))}`;
  return `  ~ ${oneLine(where)}: ${oneLine(value(c.before))} → ${oneLine(value(c.after))}${c.delta !== undefined ? ` (${formatDelta(c.delta)})` : ''}`;
}

function valueDiffLines(d: ValueDiff): string[] {
  const lines = d.changes.map(changeLine);
  if (d.truncated) lines.push(`  … ${d.counts.added + d.counts.removed + d.counts.changed - d.changes.length} more changes`);
  for (const a of d.arrays) lines.push(`  [] ${oneLine(a.path || '(root)')}: ${a.lengthBefore} → ${a.lengthAfter} elements, ${a.changedElements} changed`);
  return lines;
}

function countsText(c: { added: number; removed: number; changed: number }): string {
  return `${c.added} added, ${c.removed} removed, ${c.changed} changed`;
}

/** The metadata section of `artifacts diff`: only what differs. */
export function metadataText(d: MetadataDiff): string {
  const lines: string[] = [];
  if (d.metadata.changes.length > 0 || d.metadata.truncated) lines.push(`metadata: ${countsText(d.metadata.counts)}`, ...valueDiffLines(d.metadata));
  if (d.description) lines.push(`description: ${oneLine(value(d.description.before))} → ${oneLine(value(d.description.after))}`);
  const set = (name: string, s: { added: string[]; removed: string[] }): void => {
    if (s.added.length + s.removed.length > 0) lines.push(`${name}: ${[...s.added.map((x) => `+${x}`), ...s.removed.map((x) => `-${x}`)].map(oneLine).join(' ')}`);
  };
  set('aliases', d.aliases);
  set('tags', d.tags);
  if (d.ttl) lines.push(`ttl: ${formatTtl(d.ttl.before)} → ${formatTtl(d.ttl.after)}`);
  return lines.join('\n');
}

function statsCell(b: number | null | undefined, a: number | null | undefined): string {
  const f = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : formatNumber(x));
  const delta = typeof b === 'number' && typeof a === 'number' && a !== b ? ` (${formatDelta(a - b)})` : '';
  return b === a ? f(a) : `${f(b)} → ${f(a)}${delta}`;
}

function rowText(r: ChangedRow): string {
  const id = r.key !== null ? `${r.key}` : `row ${r.rowNumber.after ?? r.rowNumber.before}`;
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
  const match = d.match.mode === 'key' ? `rows matched by key '${d.match.key}'${d.match.guessed ? ' (guessed)' : ''}` : `rows matched by whole-row content (${d.match.reason})`;
  const lines = [
    `table (${d.format}): ${d.rowCount.before} → ${d.rowCount.after} rows; ${match}`,
    `rows: ${added} added, ${removed} removed, ${changed} changed, ${unchanged} unchanged${total ? ` (${pct((added + removed + changed) / total)} of rows)` : ''}`,
  ];
  if (d.totalRows) lines.push(`whole files: ${d.totalRows.before ?? '?'} → ${d.totalRows.after ?? '?'} rows`);
  const s = d.schema;
  const schema = [
    ...s.added.map((c) => `+ ${c.name} (${c.type})`),
    ...s.removed.map((c) => `- ${c.name} (${c.type})`),
    ...s.renamed.map((r) => `${r.from} renamed to ${r.to} (${r.type})`),
    ...s.typeChanged.map((t) => `${t.name}: ${t.before} → ${t.after}`),
    ...(s.reordered ? ['columns reordered'] : []),
  ];
  if (schema.length) lines.push(`schema: ${oneLine(schema.join('; '))}`);
  const cells = Object.entries(d.changedCells).filter(([, n]) => n > 0);
  if (cells.length) lines.push(`changed cells: ${oneLine(cells.map(([c, n]) => `${c} ${n}`).join(', '))}`);
  if (d.sampled) {
    lines.push(`sampled: the files are over the ${formatBytes(d.sampled.limitBytes)} limit; compared their first ${d.sampled.rowsRead.before} and ${d.sampled.rowsRead.after} rows`);
  }
  if (d.stats.length) {
    const pick = (st: NumericStats | null, k: keyof NumericStats) => st?.[k];
    lines.push(
      'numeric columns:',
      table(
        ['  column', 'count', 'nulls', 'min', 'max', 'mean'],
        d.stats.map((c) => [`  ${c.name}`, ...(['count', 'nulls', 'min', 'max', 'mean'] as const).map((k) => statsCell(pick(c.before, k), pick(c.after, k)))]),
      ),
    );
  }
  if (rows && rows.total > 0) {
    lines.push(rows.rows.length < rows.total ? `changed rows (first ${rows.rows.length} of ${rows.total}):` : `changed rows (${rows.total}):`);
    lines.push(...rows.rows.map(rowText));
  }
  return lines;
}

function structuredText(d: StructuredDiff): string[] {
  if (d.skipped) return [`${d.format}: not compared: a file is over the ${formatBytes(d.skipped.limitBytes)} limit (JSON and YAML are parsed whole)`];
  return [`${d.format}: ${countsText(d.counts)}`, ...valueDiffLines(d)];
}

function imageText(d: ImageDiff): string[] {
  const side = (s: ImageDiff['before']): string => (s ? `${s.format ?? '?'} ${s.width ?? '?'}×${s.height ?? '?'}${s.frames ? ` (${s.frames} frames, the first compared)` : ''}` : 'absent');
  const lines = [`image: ${side(d.before)} → ${side(d.after)}`];
  if (!d.compared) lines.push(`pixels not compared: ${d.reason ?? 'unknown reason'}`);
  else {
    const box = d.changedBox ? ` within x ${d.changedBox.x}, y ${d.changedBox.y}, ${d.changedBox.width}×${d.changedBox.height}` : '';
    lines.push(`${d.changedPixels} of ${d.width! * d.height!} pixels changed (${pct(d.changedFraction!)})${box}${d.tolerance ? `, tolerance ${d.tolerance}` : ''}`);
  }
  return lines;
}

function weightsText(d: WeightsDiff): string[] {
  if (d.opaque) return [`weights (${d.format}): ${d.reason ?? 'not readable'}`];
  const shape = (s: number[]): string => `[${s.join(', ')}]`;
  const info = (t: TensorInfo): string => `${oneLine(t.name)}  ${t.dtype} ${shape(t.shape)}  ${t.parameters} parameters`;
  const lines = [
    `weights (${d.format}): ${d.tensorCount.before} → ${d.tensorCount.after} tensors; parameters ${d.parameters.before} → ${d.parameters.after} (${formatDelta(d.parameters.delta)})`,
    `tensors: ${d.tensors.added.length} added, ${d.tensors.removed.length} removed, ${d.tensors.changed.length} changed in shape or dtype, ${d.tensors.unchanged} alike${d.valuesChanged ? `, ${d.valuesChanged.length} of them with other values` : ''}`,
    ...d.tensors.added.map((t) => `  + ${info(t)}`),
    ...d.tensors.removed.map((t) => `  - ${info(t)}`),
    ...d.tensors.changed.map((t) => `  ~ ${oneLine(t.name)}  ${t.before.dtype} ${shape(t.before.shape)} → ${t.after.dtype} ${shape(t.after.shape)}`),
    ...(d.valuesChanged ?? []).map((n) => `  * ${oneLine(n)}  values changed`),
  ];
  if (d.valuesChanged === null) lines.push('values not compared (a file is over the limit)');
  const m = d.metadata;
  if (m.counts.added + m.counts.removed + m.counts.changed > 0) lines.push(`metadata: ${countsText(m.counts)}`, ...valueDiffLines(m));
  return lines;
}

/** The body of `diff --content` for one file. */
export function contentDiffText(d: ContentDiff, rows: ChangedRowsPage | undefined, changed: boolean): string {
  const sizes = (): string => `${d.before ? formatBytes(d.before.size) : 'absent'} → ${d.after ? formatBytes(d.after.size) : 'absent'}`;
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
      return `text: ${sizes()}; ${changed ? 'the contents differ (read them with a text diff)' : 'the contents are the same'}`;
    case 'binary':
      return `binary: ${sizes()}; ${changed ? 'the bytes differ' : 'the bytes are the same'}`;
  }
}

/** The body of `diff --content DIR` for a folder of images. */
export function imageFolderText(d: ImageFolderDiff, dir: string): string {
  const count = (s: string): number => d.changed.filter((c) => c.status === s).length;
  const lines = [`images under ${oneLine(dir)}/: ${count('modified')} changed, ${count('added')} added, ${count('removed')} removed, ${d.unchanged} unchanged${d.omitted ? ` (${d.omitted} more changed, not listed)` : ''}`];
  for (const c of d.changed) {
    const mark = c.status === 'added' ? 'A' : c.status === 'removed' ? 'D' : 'M';
    const pixels = c.changedPixels !== null ? `  ${plural(c.changedPixels, 'pixel')} changed (${pct(c.changedFraction!)})` : '';
    lines.push(`  ${mark} ${oneLine(c.path)}${pixels}${c.problem ? `  (${oneLine(c.problem)})` : ''}`);
  }
  return lines.join('\n');
}
