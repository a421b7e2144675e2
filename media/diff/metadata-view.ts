/**
 * The version details at the top of the view: metadata by key path (numbers with their delta),
 * description, aliases, tags and TTL; long values collapsed.
 */
import type { MetadataDiff } from '../../src/content/metadata';
import type { ValueChange, ValueDiff } from '../../src/content/value-diff';
import { deltaNode, h, sign, table, valueNode } from './dom';
import { S } from './strings';

/** One row per change of a value diff: sign, key path, before, after (with the delta). */
export function changeRows(d: ValueDiff): HTMLElement[][] {
  const rows = d.changes.map((c: ValueChange) => {
    const kind = c.kind;
    const before = kind === 'added' ? h('span', { class: 'absent' }, S.absent) : valueNode(c.before, c.collapse);
    const after = kind === 'removed' ? h('span', { class: 'absent' }, S.absent) : h('span', null, valueNode(c.after, c.collapse), deltaNode(c.delta));
    return [sign(kind), h('code', { class: 'key-path' }, c.path || S.rootPath), before, after];
  });
  if (d.truncated) {
    const shown = d.changes.length;
    const all = d.counts.added + d.counts.removed + d.counts.changed;
    rows.push([h('span'), h('span', { class: 'more' }, S.moreChanges(all - shown)), h('span'), h('span')]);
  }
  return rows;
}

/** Aliases or tags: those removed under Before, those added under After. */
function setChange(name: string, s: { added: string[]; removed: string[] }): HTMLElement[] | null {
  if (s.added.length + s.removed.length === 0) return null;
  const chips = (list: string[], kind: 'added' | 'removed') =>
    h('span', { class: 'chips' }, ...list.flatMap((x, i) => [i ? ' ' : '', h('span', { class: `chip ${kind}` }, `${kind === 'added' ? '+' : '−'}${x}`)]));
  return [sign('changed'), h('span', { class: 'field' }, name), chips(s.removed, 'removed'), chips(s.added, 'added')];
}

export function renderMetadata(container: HTMLElement, diff: MetadataDiff | null): void {
  container.hidden = false;
  if (diff === null) {
    container.replaceChildren(h('div', { class: 'metadata-same' }, S.metadataFolder));
    return;
  }
  if (!diff.changed) {
    container.replaceChildren(h('div', { class: 'metadata-same' }, S.metadataSame));
    return;
  }
  const rows: HTMLElement[][] = changeRows(diff.metadata);
  if (diff.description) {
    const collapse = diff.description.collapse === true;
    rows.push([sign('changed'), h('span', { class: 'field' }, S.description), valueNode(diff.description.before ?? S.none, collapse), valueNode(diff.description.after ?? S.none, collapse)]);
  }
  for (const r of [setChange(S.aliases, diff.aliases), setChange(S.tags, diff.tags)]) if (r) rows.push(r);
  if (diff.ttl) {
    rows.push([sign('changed'), h('span', { class: 'field' }, S.ttl), h('span', null, S.ttlValue(diff.ttl.before)), h('span', null, S.ttlValue(diff.ttl.after))]);
  }
  const details = h(
    'details',
    { class: 'metadata-details', attrs: { open: '' } },
    h(
      'summary',
      null,
      h('strong', null, S.metadataTitle),
      ' · ',
      S.metadataSummary(diff.metadata.counts, {
        description: diff.description !== null,
        aliases: diff.aliases.added.length + diff.aliases.removed.length > 0,
        tags: diff.tags.added.length + diff.tags.removed.length > 0,
        ttl: diff.ttl !== null,
      }),
    ),
    table(['', S.metadataKey, S.before, S.after], rows, 'changes'),
  );
  container.replaceChildren(details);
}
