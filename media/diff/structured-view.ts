/** A JSON or YAML content diff: changes by key path (numbers with their delta) and changed arrays. */
import type { StructuredDiff } from '../../src/content/structured';
import { fill, h, section, table } from './dom';
import { changeRows } from './metadata-view';
import { S } from './strings';

export function renderStructured(body: HTMLElement, d: StructuredDiff): void {
  const facts = h('div', { class: 'facts' }, h('span', { class: 'structured-counts' }, S.structuredCounts(d.format, d.counts)));
  if (d.skipped) {
    // l10n-ignore: CSS classes
    fill(body, facts, h('p', { class: 'notice sampled' }, S.structuredSkipped(d.skipped.limitBytes)));
    return;
  }
  const none = d.counts.added + d.counts.removed + d.counts.changed === 0;
  fill(body, 
    facts,
    none ? h('p', { class: 'muted' }, S.structuredSame) : table(['', S.keyPath, S.before, S.after], changeRows(d), 'changes'),
    d.arrays.length ? section(S.arrays, h('ul', { class: 'arrays' }, ...d.arrays.map((a) => h('li', null, S.arrayChange(a.path, a.lengthBefore, a.lengthAfter, a.changedElements))))) : null,
  );
}
