/** A model weights content diff: tensors added, removed, reshaped or retyped, values changed, parameter counts. */
import type { TensorInfo, WeightsDiff } from '../../src/content/weights';
import { deltaNode, fill, h, section, table } from './dom';
import { changeRows } from './metadata-view';
import { count, S } from './strings';

const shape = (s: number[]): string => `[${s.join(', ')}]`;

function tensorTable(list: TensorInfo[]): HTMLElement {
  return table([S.tensor, S.dtype, S.shape, S.params], list.map((t) => [h('code', null, t.name), t.dtype, shape(t.shape), count(t.parameters)]), 'tensors');
}

export function renderWeights(body: HTMLElement, d: WeightsDiff): void {
  const facts = h(
    'div',
    { class: 'facts' },
    h('span', { class: 'tensor-counts' }, S.weightsFacts(d.format, d.tensorCount.before, d.tensorCount.after)),
    h('span', { class: 'parameter-counts', data: { parameters: String(d.parameters.after) } }, S.parameters(d.parameters.before, d.parameters.after), deltaNode(d.parameters.delta)),
    h('span', { class: 'muted' }, S.tensorsSame(d.tensors.unchanged)),
  );
  if (d.opaque) {
    fill(body, h('div', { class: 'facts' }, d.format), h('p', { class: 'notice' }, S.opaque(d.reason ?? '')));
    return;
  }
  const t = d.tensors;
  const m = d.metadata;
  fill(body, 
    facts,
    t.added.length ? section(S.tensorsAdded, tensorTable(t.added)) : null,
    t.removed.length ? section(S.tensorsRemoved, tensorTable(t.removed)) : null,
    t.changed.length
      ? section(
          S.tensorsChanged,
          table(
            [S.tensor, S.before, S.after],
            t.changed.map((c) => [h('code', null, c.name), `${c.before.dtype} ${shape(c.before.shape)}`, h('span', { class: 'new' }, `${c.after.dtype} ${shape(c.after.shape)}`)]),
            'tensors',
          ),
        )
      : null,
    d.valuesChanged === null
      // l10n-ignore: CSS classes
      ? h('p', { class: 'notice sampled' }, S.valuesNotCompared)
      : d.valuesChanged.length
        ? section(S.valuesChanged, h('ul', { class: 'values-changed' }, ...d.valuesChanged.map((n) => h('li', null, h('code', null, n)))))
        : null,
    m.counts.added + m.counts.removed + m.counts.changed > 0 ? section(S.weightsMetadata, table(['', S.keyPath, S.before, S.after], changeRows(m), 'changes')) : null,
  );
}
