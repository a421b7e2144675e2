/**
 * An image content diff: side by side, swipe, onion skin, and the difference overlay (changed pixels
 * in red over the new image), with the count of changed pixels; and the grid of changed images of a
 * folder. Images are copies the host made in the panel's own folder (webview URIs): no data URIs.
 */
import type { ImageDiff } from '../../src/content/image';
import type { ImagePairView, ImageUri } from '../../src/extension/webview/diff-protocol';
import { fill, h, vscode } from './dom';
import { pct, S } from './strings';

type Mode = 'side' | 'swipe' | 'onion' | 'difference';

/** Small images are shown enlarged by a whole factor (pixelated), large ones fit the pane. */
function scaleFor(width: number): number {
  return width > 0 && width < 320 ? Math.min(8, Math.max(1, Math.floor(480 / width))) : 1;
}

function picture(uri: ImageUri, side: ImageDiff['before'], scale: number, cls = ''): HTMLElement {
  if (!side) return h('div', { class: 'no-image' }, S.absent);
  if (!uri) return h('div', { class: 'no-image' }, S.imageNotShown);
  const img = h('img', { class: `${cls} ${scale > 1 ? 'pixelated' : ''}`.trim(), attrs: { src: uri, alt: side.name } });
  if (side.width) img.style.width = `${side.width * scale}px`;
  return img;
}

/** Both images on one canvas (top-left aligned), for swipe, onion skin and the difference overlay. */
function stacked(view: { diff: Omit<ImageDiff, 'mask'>; before: ImageUri; after: ImageUri; mask: ImageUri }, mode: Mode, scale: number): HTMLElement {
  const { diff } = view;
  const w = diff.width!;
  const hgt = diff.height!;
  const stage = h('div', { class: `stage ${mode}` });
  stage.style.width = `${w * scale}px`;
  stage.style.aspectRatio = `${w} / ${hgt}`;
  const layer = (uri: ImageUri, side: ImageDiff['before'], cls: string): HTMLElement => {
    const el = h('div', { class: `layer ${cls}` });
    if (uri && side?.width) {
      const img = h('img', { class: scale > 1 ? 'pixelated' : '', attrs: { src: uri, alt: side.name } });
      img.style.width = `${(side.width / w) * 100}%`;
      el.append(img);
    }
    return el;
  };
  const before = layer(view.before, diff.before, 'before-layer');
  const after = layer(view.after, diff.after, 'after-layer');
  const controls = h('div', { class: 'image-controls' });
  if (mode === 'swipe') {
    const handle = h('div', { class: 'handle' });
    const range = h('input', { attrs: { type: 'range', min: '0', max: '100', value: '50', 'aria-label': S.swipePosition } });
    const apply = (): void => {
      after.style.clipPath = `inset(0 0 0 ${range.value}%)`;
      handle.style.left = `${range.value}%`;
    };
    range.addEventListener('input', apply);
    apply();
    stage.append(before, after, handle);
    controls.append(range);
  } else if (mode === 'onion') {
    const range = h('input', { attrs: { type: 'range', min: '0', max: '100', value: '50', 'aria-label': S.opacity } });
    const apply = (): void => void (after.style.opacity = String(Number(range.value) / 100));
    range.addEventListener('input', apply);
    apply();
    stage.append(before, after);
    controls.append(range);
  } else {
    after.classList.add('dimmed');
    stage.append(after, layer(view.mask, { name: S.difference, size: 0, format: 'png', width: w, height: hgt }, 'mask-layer'));
  }
  return h('div', { class: 'stage-wrap' }, stage, controls);
}

export function renderImage(body: HTMLElement, view: { diff: Omit<ImageDiff, 'mask'>; before: ImageUri; after: ImageUri; mask: ImageUri }): void {
  const { diff } = view;
  const facts = h('div', { class: 'facts' }, h('span', null, S.imageSide(diff.before), ' → ', S.imageSide(diff.after)));
  if (diff.compared) {
    facts.append(
      h('span', { class: 'changed-pixels', data: { stat: 'changed-pixels', value: String(diff.changedPixels) } }, S.changedPixels(diff.changedPixels!, diff.width! * diff.height!), ` (${pct(diff.changedFraction!)})`),
    );
    if (diff.changedBox) facts.append(h('span', { class: 'muted' }, S.changedBox(diff.changedBox)));
  }
  const notice = !diff.compared && diff.reason && diff.before && diff.after ? h('p', { class: 'notice' }, S.notCompared(diff.reason)) : null;
  const scale = scaleFor(diff.width ?? diff.after?.width ?? diff.before?.width ?? 0);
  const stageHolder = h('div', { class: 'stage-holder' });
  const modes: Array<[Mode, string]> = [
    ['side', S.sideBySide],
    ['swipe', S.swipe],
    ['onion', S.onionSkin],
    ['difference', S.difference],
  ];
  const canStack = diff.compared && view.before !== null && view.after !== null;
  const bar = h('div', { class: 'modes', attrs: { role: 'radiogroup' } });
  const show = (mode: Mode): void => {
    for (const b of Array.from(bar.querySelectorAll('button'))) b.setAttribute('aria-checked', String(b.dataset.mode === mode));
    if (mode === 'side') {
      stageHolder.replaceChildren(
        h(
          'div',
          { class: 'side-by-side' },
          h('figure', null, picture(view.before, diff.before, scale), h('figcaption', null, S.before)),
          h('figure', null, picture(view.after, diff.after, scale), h('figcaption', null, S.after)),
        ),
      );
    } else {
      stageHolder.replaceChildren(stacked(view, mode, scale));
    }
  };
  if (canStack) {
    for (const [mode, label] of modes) {
      const b = h('button', { data: { mode }, attrs: { type: 'button', role: 'radio', 'aria-checked': 'false' } }, label);
      b.addEventListener('click', () => show(mode));
      bar.append(b);
    }
  }
  fill(body, facts, notice, canStack && bar, stageHolder);
  show('side');
}

/** The grid of changed images of a folder: thumbnails before and after, the changed-pixel count. */
export function renderImageGrid(
  body: HTMLElement,
  view: { diff: { changed: ImagePairView[]; unchanged: number; omitted: number }; pairs: number; pairsLimit: number },
): void {
  const { changed, unchanged, omitted } = view.diff;
  const n = (s: string): number => changed.filter((c) => c.status === s).length;
  const facts = h('div', { class: 'facts' }, h('span', { class: 'grid-counts' }, S.gridCounts({ modified: n('modified'), added: n('added'), removed: n('removed'), unchanged, omitted })));
  const notice = view.pairs > view.pairsLimit ? h('p', { class: 'notice' }, S.gridLimited(view.pairsLimit, view.pairs)) : null;
  const thumb = (t: ImagePairView['before'], label: string): HTMLElement =>
    h('figure', null, t?.uri ? h('img', { attrs: { src: t.uri, alt: label } }) : h('div', { class: 'no-image' }, t ? S.imageNotShown : S.absent), h('figcaption', null, label));
  const cards = changed.map((c) => {
    const card = h(
      'button',
      { class: `card ${c.status}`, title: S.gridOpen(c.path), data: { path: c.path }, attrs: { type: 'button' } },
      h('div', { class: 'card-path' }, c.path),
      h('div', { class: 'thumbs' }, thumb(c.before, S.before), thumb(c.after, S.after)),
      h(
        'div',
        { class: 'card-stat', data: c.changedPixels !== null ? { stat: 'changed-pixels', value: String(c.changedPixels) } : {} },
        c.changedPixels !== null ? S.pairChanged(c.changedPixels, c.changedFraction!) : S.statusWord[c.status]!,
      ),
      c.problem ? h('div', { class: 'notice' }, c.problem) : null,
    );
    card.addEventListener('click', () => vscode.postMessage({ type: 'select', path: c.path }));
    return card;
  });
  fill(body, facts, notice, cards.length ? h('div', { class: 'image-grid' }, ...cards) : h('p', { class: 'muted' }, S.gridEmpty));
}
