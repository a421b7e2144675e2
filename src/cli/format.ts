/** Plain-text rendering for the CLI (the --json output is the data itself). */
import type { Artifact } from '../core/artifact';
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

/** Left-aligned columns separated by two spaces. */
export function table(header: string[], raw: string[][]): string {
  const rows = raw.map((r) => r.map(oneLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
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

export function artifactText(a: Artifact): string {
  const rows: Array<[string, string]> = [
    ['ref', a.qualifiedName],
    ['type', a.type],
    ['aliases', a.aliases.join(', ') || '-'],
    ['tags', a.tags.join(', ') || '-'],
    ['digest', a.digest],
    ['files', String(a.fileCount)],
    ['size', `${formatBytes(a.size)} (${a.size} bytes)`],
    ['ttl', formatTtl(a.ttlSetting)],
    ['created', a.createdAt],
    ['updated', a.updatedAt],
  ];
  if (a.isLink) rows.push(['source', a.sourceQualifiedName]);
  if (a.description) rows.push(['description', a.description]);
  if (Object.keys(a.metadata).length > 0) rows.push(['metadata', JSON.stringify(a.metadata)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${oneLine(v)}`).join('\n');
}
