/**
 * What the page shows in words and numbers. The page has no words of its own: every text comes from
 * the extension host, in the user's language, with the `init` message (src/extension/webview/
 * diff-strings.ts builds them). Texts with `{0}`, `{1}`… are templates filled here; numbers and sizes
 * are formatted here with `Intl` in the locale the host names. `S` is empty until `useStrings`.
 */
import { displayLocale, formatNumber, useLanguage } from '../../src/core/l10n';
import { formatTtl, type Ttl } from '../../src/core/ttl';
import { formatBytes, formatBytesChange } from '../../src/core/units';
import type { DiffStrings, InitMessage } from '../../src/extension/webview/diff-protocol';

/** Fills `{0}`, `{1}`… of a template (a slot without an argument stays as it is). */
export function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (slot, i: string) => {
    const arg = args[Number(i)];
    return arg === undefined ? slot : String(arg);
  });
}

/** A template whose slots take nodes (a drop-down inside a label, a number in bold): text and nodes in order. */
export function formatNodes(template: string, ...args: Array<Node | string>): Array<Node | string> {
  const out: Array<Node | string> = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\d+)\}/g)) {
    const arg = args[Number(m[1])];
    if (arg === undefined) continue;
    if (m.index > last) out.push(template.slice(last, m.index));
    out.push(arg);
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return out;
}

let measured = new Intl.NumberFormat('en', { maximumFractionDigits: 20 });
let percent = new Intl.NumberFormat('en', { style: 'percent', maximumSignificantDigits: 3 });
let list = new Intl.ListFormat('en', { style: 'narrow', type: 'conjunction' });

/** A count: 1,234 (grouped as the locale groups). */
export function count(n: number): string {
  return formatNumber(n);
}

/** A measured number: integers whole, others to 6 significant digits. */
export function num(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? formatNumber(n) : measured.format(Number(n.toPrecision(6)));
}

/** A difference with its sign: +2, −0.5 (floating-point noise rounded away); '' for none. */
export function delta(d: number): string {
  if (d === 0 || !Number.isFinite(d)) return '';
  return `${d > 0 ? '+' : '−'}${num(Math.abs(d))}`;
}

/** A fraction as a percentage: 3.91%. */
export const pct = (x: number): string => percent.format(x);

/** Marks of added, removed and changed things (not words). */
const BADGE: Record<string, string> = { added: '+', removed: '−', changed: '~' };

type Counts = { added: number; removed: number; changed: number };

function build(T: DiffStrings) {
  const f = format;
  /** `1 added, 3 changed`: the counts that are not zero. */
  const counts = (c: Counts): string =>
    list.format([c.added ? f(T.countAdded, count(c.added)) : '', c.removed ? f(T.countRemoved, count(c.removed)) : '', c.changed ? f(T.countChanged, count(c.changed)) : ''].filter(Boolean));
  const absentOr = (n: number | null): string => (n === null ? T.absent : formatBytes(n));
  return {
    ...T,
    badge: BADGE,
    bytes: formatBytes,
    bytesChange: formatBytesChange,

    // The file list.
    rowCount: (n: number) => (n === 1 ? T.rowCountOne : f(T.rowCount, count(n))),
    summary: (s: { added: number; removed: number; modified: number; unchanged: number; sizeChange: number; sizeBefore: number; sizeAfter: number }) =>
      f(T.summary, count(s.added), count(s.removed), count(s.modified), count(s.unchanged), formatBytesChange(s.sizeChange), formatBytes(s.sizeBefore), formatBytes(s.sizeAfter)),
    couldNotCompare: (m: string) => f(T.couldNotCompare, m),
    rowTitle: (path: string, action: 'text-editor' | 'content' | 'none') =>
      f(action === 'none' ? T.rowTitleReference : action === 'text-editor' ? T.rowTitleTextDiff : T.rowTitleContent, path),
    imagesButton: (n: number) => f(T.imagesButton, count(n)),

    // Version details (metadata).
    /** What differs, for the collapsed line: `metadata 1 added, 3 changed · description · aliases`. */
    metadataSummary: (c: Counts, others: { description: boolean; aliases: boolean; tags: boolean; ttl: boolean }) =>
      [
        c.added + c.removed + c.changed ? f(T.metadataChanges, counts(c)) : '',
        others.description ? T.summaryDescription : '',
        others.aliases ? T.summaryAliases : '',
        others.tags ? T.summaryTags : '',
        others.ttl ? T.summaryTtl : '',
      ]
        .filter(Boolean)
        .join(' · '),
    ttlValue: (t: Ttl) => (t === null ? T.ttlNone : t === 'inherit' ? T.ttlInherit : formatTtl(t)),
    moreChanges: (n: number) => (n === 1 ? T.moreChangesOne : f(T.moreChanges, count(n))),
    arrayChange: (p: string, before: number, after: number, changed: number) => f(T.arrayChange, p || T.rootArray, count(before), count(after), count(changed)),

    // The content pane.
    working: (path: string) => (path ? f(T.workingFile, path) : T.workingImages),
    failed: (m: string) => f(T.failed, m),
    sizes: (b: number | null, a: number | null) => `${absentOr(b)} → ${absentOr(a)}`,
    gridTitle: (filter: string) => (filter ? f(T.gridTitleFiltered, filter) : T.gridTitle),

    // Tables.
    tableFacts: (format: string, before: number, after: number) => f(T.tableFacts, format.toUpperCase(), count(before), count(after)),
    wholeFiles: (before: number | null, after: number | null) => f(T.wholeFiles, before === null ? '?' : count(before), after === null ? '?' : count(after)),
    matchNoKey: (reason: string) => f(T.matchNoKey, reason),
    sampled: (limit: number, before: number, after: number) => f(T.sampled, formatBytes(limit), count(before), count(after)),
    columnAdded: (name: string, type: string) => f(T.columnAdded, name, type),
    columnRemoved: (name: string, type: string) => f(T.columnRemoved, name, type),
    columnRenamed: (from: string, to: string, type: string) => f(T.columnRenamed, from, to, type),
    columnRetyped: (name: string, before: string, after: string) => `${name}: ${before} → ${after}`,
    inColumn: (name: string, n: number) => f(T.inColumn, name, count(n)),
    rowNumber: (before: number | null, after: number | null) => (before !== null && after !== null && before !== after ? `${count(before)} → ${count(after)}` : count((after ?? before)!)),

    // JSON / YAML.
    structuredCounts: (format: string, c: Counts) => f(T.structuredCounts, format.toUpperCase(), count(c.added), count(c.removed), count(c.changed)),
    structuredSkipped: (limit: number) => f(T.structuredSkipped, formatBytes(limit)),

    // Images.
    imageSide: (s: { format: string | null; width: number | null; height: number | null } | null) =>
      s ? `${(s.format ?? '?').toUpperCase()} ${s.width === null ? '?' : count(s.width)}×${s.height === null ? '?' : count(s.height)}` : T.absent,
    changedPixels: (n: number, total: number) => f(T.changedPixels, count(n), count(total)),
    changedBox: (b: { x: number; y: number; width: number; height: number }) => f(T.changedBox, count(b.x), count(b.y), count(b.width), count(b.height)),
    notCompared: (reason: string) => f(T.notCompared, reason),
    gridCounts: (d: { modified: number; added: number; removed: number; unchanged: number; omitted: number }) =>
      [
        f(T.countChanged, count(d.modified)),
        f(T.countAdded, count(d.added)),
        f(T.countRemoved, count(d.removed)),
        d.unchanged ? f(T.gridSamePixels, count(d.unchanged)) : '',
        d.omitted ? f(T.gridOmitted, count(d.omitted)) : '',
      ]
        .filter(Boolean)
        .join(' · '),
    gridLimited: (compared: number, total: number) => f(T.gridLimited, count(compared), count(total)),
    gridOpen: (path: string) => f(T.gridOpen, path),
    pairChanged: (n: number, fraction: number) => f(T.pairChanged, count(n), pct(fraction)),
    statusWord: { added: T.statusAdded, removed: T.statusRemoved, modified: T.statusChanged } as Record<string, string>,

    // Weights.
    weightsFacts: (format: string, before: number, after: number) => f(T.weightsFacts, format, count(before), count(after)),
    parameters: (before: number, after: number) => f(T.parameters, count(before), count(after)),
    tensorsSame: (n: number) => (n === 1 ? T.tensorsSameOne : f(T.tensorsSame, count(n))),
    opaque: (reason: string) => f(T.opaque, reason),
  };
}

export type PageStrings = ReturnType<typeof build>;

/** Every text of the page; filled by `useStrings` before the page draws anything. */
export const S = {} as PageStrings;

/** Takes up the host's texts and locale (the first thing the page does with the `init` message). */
export function useStrings(init: InitMessage): void {
  useLanguage(init.locale);
  const locale = displayLocale();
  measured = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  percent = new Intl.NumberFormat(locale, { style: 'percent', maximumSignificantDigits: 3 });
  list = new Intl.ListFormat(locale, { style: 'narrow', type: 'conjunction' });
  document.documentElement.lang = locale;
  Object.assign(S, build(init.strings));
}
