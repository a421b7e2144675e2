/** The compare view's pure content decisions, the file table's kinds, and the page messages' run-time check. */
import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../../src/core/diff';
import { Manifest } from '../../../src/core/manifest';
import {
  compareLimit,
  DEFAULT_COMPARE_MAX_BYTES,
  diffOptions,
  gridPairs,
  imageExtension,
  keyChoices,
  rowAction,
  STRUCTURED_MAX_BYTES,
} from '../../../src/extension/model/content-compare';
import { isPageMessage } from '../../../src/extension/webview/diff-protocol';
import { DiffTable } from '../../../src/extension/webview/diff-table';

describe('content decisions', () => {
  it('text opens the editor, known and unknown kinds the content pane, references nothing', () => {
    expect(rowAction({ kind: 'text', isReference: false })).toBe('text-editor');
    for (const kind of ['table', 'structured', 'image', 'weights', null] as const) expect(rowAction({ kind, isReference: false })).toBe('content');
    expect(rowAction({ kind: 'table', isReference: true })).toBe('none');
  });

  it('reads the byte limit setting, falling back to the default for nonsense', () => {
    expect(compareLimit(10_000_000)).toBe(10_000_000);
    expect(compareLimit(1.5e6 + 0.5)).toBe(1_500_000);
    for (const bad of [undefined, null, 0, -5, Number.NaN, Number.POSITIVE_INFINITY, '100']) expect(compareLimit(bad)).toBe(DEFAULT_COMPARE_MAX_BYTES);
  });

  it('caps JSON and YAML at their parse limit and passes a table key only to tables', () => {
    expect(diffOptions('structured', 1e9)).toEqual({ limitBytes: STRUCTURED_MAX_BYTES });
    expect(diffOptions('structured', 1000)).toEqual({ limitBytes: 1000 });
    expect(diffOptions('table', 5000, 'id')).toEqual({ limitBytes: 5000, key: 'id' });
    expect(diffOptions('table', 5000, null)).toEqual({ limitBytes: 5000, key: null });
    expect(diffOptions('table', 5000)).toEqual({ limitBytes: 5000 });
    expect(diffOptions('image', 5000, 'id')).toEqual({ limitBytes: 5000 });
  });

  it('offers the columns on both sides as keys, the one in use first', () => {
    const columns = { before: ['id', 'name', 'old'].map((name) => ({ name, type: 'string' as const })), after: ['name', 'id', 'new'].map((name) => ({ name, type: 'string' as const })) };
    expect(keyChoices({ columns, match: { mode: 'key', key: 'id', guessed: true } })).toEqual(['id', 'name']);
    expect(keyChoices({ columns, match: { mode: 'row-hash', reason: 'x' } })).toEqual(['name', 'id']);
  });

  it('names image copies by format and limits the grid', () => {
    expect([imageExtension('png'), imageExtension('jpeg'), imageExtension('gif'), imageExtension('webp'), imageExtension(null)]).toEqual(['png', 'jpg', 'gif', 'webp', null]);
    const rows = Array.from({ length: 7 }, (_, i) => ({ path: `p${i}.png`, status: 'modified' as const, sizeBefore: 1, sizeAfter: 1, isReference: false, kind: 'image' as const }));
    expect(gridPairs(rows, 5)).toMatchObject({ total: 7, rows: rows.slice(0, 5) });
  });
});

describe('the file table, with kinds', () => {
  it('tags each row with its kind and counts the changed images (not references)', () => {
    const before = new Manifest([
      { path: 'data/t.csv', digest: 'a', size: 1 },
      { path: 'img/a.png', digest: 'b', size: 1 },
      { path: 'img/gone.jpg', digest: 'c', size: 1 },
    ]);
    const after = new Manifest([
      { path: 'data/t.csv', digest: 'A', size: 2 },
      { path: 'img/a.png', digest: 'B', size: 1 },
      { path: 'img/remote.png', digest: 'r', size: 1, ref: 'https://example.com/r.png' },
      { path: 'model.safetensors', digest: 'd', size: 1 },
      { path: 'notes.md', digest: 'e', size: 1 },
      { path: 'blob.xyz', digest: 'f', size: 1 },
    ]);
    const t = new DiffTable({ ...diffManifests(before, after), before: 'a:v0', after: '/w/folder' }, { afterIsFolder: true });
    expect(Object.fromEntries(t.rows.map((r) => [r.path, r.kind]))).toEqual({
      'data/t.csv': 'table',
      'img/a.png': 'image',
      'img/gone.jpg': 'image',
      'img/remote.png': 'image',
      'model.safetensors': 'weights',
      'notes.md': 'text',
      'blob.xyz': null,
    });
    expect(t.summary).toMatchObject({ images: 2, afterIsFolder: true });
    expect(t.images('').map((r) => r.path)).toEqual(['img/a.png', 'img/gone.jpg']);
    expect(t.images('GONE').map((r) => r.path)).toEqual(['img/gone.jpg']);
  });
});

describe('page messages are checked at run time', () => {
  it('accepts the content messages and refuses malformed ones', () => {
    const ok = [
      { type: 'select', path: 'a.csv' },
      { type: 'select', path: 'a.csv', key: 'id' },
      { type: 'select', path: 'a.csv', key: null },
      { type: 'imageGrid', filter: '' },
      { type: 'cancelContent' },
      { type: 'closeContent' },
      { type: 'contentRows', query: { generation: 1, offset: 0, limit: 100, status: 'all', column: null, seq: 3 } },
      { type: 'contentRows', query: { generation: 1, offset: 0, limit: 100, status: 'changed', column: 'price', seq: 3 } },
    ];
    for (const m of ok) expect(isPageMessage(m), JSON.stringify(m)).toBe(true);
    const bad = [
      { type: 'select' },
      { type: 'select', path: 'a', key: 3 },
      { type: 'imageGrid' },
      { type: 'contentRows', query: { generation: 1, offset: 0, limit: 100, status: 'modified', column: null, seq: 3 } },
      { type: 'contentRows', query: { generation: '1', offset: 0, limit: 100, status: 'all', column: null, seq: 3 } },
      { type: 'contentRows', query: { generation: 1, offset: 0.5, limit: 100, status: 'all', column: null, seq: 3 } },
      { type: 'contentRows', query: { generation: 1, offset: 0, limit: 100, status: 'all', seq: 3 } },
      { type: 'contentRows' },
    ];
    for (const m of bad) expect(isPageMessage(m), JSON.stringify(m)).toBe(false);
  });
});
