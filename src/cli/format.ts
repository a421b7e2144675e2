/** Plain-text rendering for the CLI (the --json output is the data itself). */
import * as l10n from '@vscode/l10n';
import type { Artifact } from '../core/artifact';
import { formatDate, formatNumber } from '../core/l10n';
import { formatTtl } from '../core/ttl';
import { formatBytes } from '../core/units';

export { formatBytes };

/**
 * Text safe to print on a terminal: control characters (C0 but newline and tab, DEL, C1) become
 * visible escapes, so a name or a path cannot retitle, clear or move the user's terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One value on one line: newlines inside it are escaped too. */
export function oneLine(text: string): string {
  return printable(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** East Asian wide and fullwidth characters: two columns on a terminal. */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{20000}-\u{3FFFD}]/u;

const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** The columns a text takes on a terminal: wide (CJK) characters count two, colour codes none. */
export function displayWidth(text: string): number {
  if (PLAIN_ASCII.test(text)) return text.length; // most cells: no colour, nothing wide
  let width = 0;
  for (const c of text.replace(/\x1b\[[0-9;]*m/g, '')) width += WIDE.test(c) ? 2 : 1;
  return width;
}

/** `text` with spaces after it up to `width` terminal columns. */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Left-aligned columns separated by two spaces (aligned on a terminal, Japanese headers too). */
export function table(header: string[], raw: string[][]): string {
  const rows = raw.map((r) => r.map(oneLine));
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padEnd(c, widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `label  value` lines, the values aligned after the widest label. */
export function labelled(rows: Array<[string, string]>): string {
  const w = Math.max(...rows.map(([k]) => displayWidth(k)));
  return rows.map(([k, v]) => `${padEnd(k, w)}  ${oneLine(v)}`).join('\n');
}

/** The machine-readable description of a logged version (show, alias, tag, ttl…). */
export function artifactJson(a: Artifact): Record<string, unknown> {
  return {
    ref: a.qualifiedName,
    entity: a.entity,
    project: a.project,
    collection: a.collectionName,
    name: a.name,
    version: a.version,
    type: a.type,
    state: a.state,
    digest: a.digest,
    size: a.size,
    fileCount: a.fileCount,
    aliases: a.aliases,
    tags: a.tags,
    description: a.description,
    metadata: a.metadata,
    ttl: a.ttlSetting === 'inherit' ? 'inherit' : a.ttlSetting,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    isLink: a.isLink,
    source: a.sourceQualifiedName,
    id: a.id,
  };
}

/** The labelled rows `show` (and every command that prints a version) shows. */
export function artifactRows(a: Artifact): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    [l10n.t('ref'), a.qualifiedName],
    [l10n.t('type'), a.type],
    [l10n.t('aliases'), a.aliases.join(', ') || '-'],
    [l10n.t('tags'), a.tags.join(', ') || '-'],
    [l10n.t('digest'), a.digest],
    [l10n.t('files'), formatNumber(a.fileCount)],
    [l10n.t('size'), a.size === 1 ? l10n.t('{0} (1 byte)', formatBytes(a.size)) : l10n.t('{0} ({1} bytes)', formatBytes(a.size), formatNumber(a.size))],
    [l10n.t('ttl'), formatTtl(a.ttlSetting)],
    [l10n.t('created'), formatDate(a.createdAt)],
    [l10n.t('updated'), formatDate(a.updatedAt)],
  ];
  if (a.isLink) rows.push([l10n.t('source'), a.sourceQualifiedName]);
  if (a.description) rows.push([l10n.t('description'), a.description]);
  if (Object.keys(a.metadata).length > 0) rows.push([l10n.t('metadata'), JSON.stringify(a.metadata)]);
  return rows;
}

export function artifactText(a: Artifact): string {
  return labelled(artifactRows(a));
}
