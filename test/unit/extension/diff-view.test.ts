import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../../src/core/diff';
import { Manifest } from '../../../src/core/manifest';
import { DIFF_STRING_KEYS, isInitMessage, isPageMessage, type DiffStrings } from '../../../src/extension/webview/diff-protocol';
import { DiffTable, MAX_WINDOW } from '../../../src/extension/webview/diff-table';
import { VerifyResults } from '../../../src/extension/model/verify-results';

function table(n = 20000) {
  const before = new Manifest();
  const after = new Manifest();
  for (let i = 0; i < n; i++) {
    const path = `dir${i % 10}/file-${String(i).padStart(6, '0')}.bin`;
    if (i % 100 !== 0) before.add({ path, digest: `d${i}`, size: i });
    if (i % 100 !== 1) after.add({ path, digest: i % 100 === 2 ? `changed${i}` : `d${i}`, size: i % 100 === 2 ? i * 2 : i });
  }
  return new DiffTable({ ...diffManifests(before, after), before: 'a:v0', after: 'a:v1' });
}

describe('diff table (the diff view data)', () => {
  it('flattens the diff into rows with a summary', () => {
    const t = table();
    expect(t.summary).toMatchObject({ before: 'a:v0', after: 'a:v1', added: 200, removed: 200, modified: 200 });
    expect(t.rows).toHaveLength(600);
    expect(t.rows.find((r) => r.status === 'modified')).toMatchObject({ sizeBefore: 2, sizeAfter: 4, isReference: false });
  });

  it('answers windows, filtered by path and status, sorted by path or size', () => {
    const t = table();
    const all = t.query({ filter: '', status: 'all', sort: 'path', descending: false, offset: 0, limit: 50 });
    expect(all.total).toBe(600);
    expect(all.rows).toHaveLength(50);
    expect(all.rows.map((r) => r.path)).toEqual([...all.rows.map((r) => r.path)].sort());
    const filtered = t.query({ filter: 'DIR3/', status: 'modified', sort: 'path', descending: false, offset: 0, limit: 1000 });
    expect(filtered.total).toBe(0); // dir3 holds i % 10 == 3; modified rows are i % 100 == 2
    const dir2 = t.query({ filter: 'dir2/', status: 'modified', sort: 'size', descending: true, offset: 0, limit: 5 });
    expect(dir2.total).toBe(200);
    const sizes = dir2.rows.map((r) => r.sizeAfter!);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const tail = t.query({ filter: '', status: 'all', sort: 'path', descending: false, offset: 590, limit: 50 });
    expect(tail.rows).toHaveLength(10);
    expect(t.query({ filter: '', status: 'all', sort: 'path', descending: false, offset: 0, limit: 10 ** 6 }).rows).toHaveLength(600);
    expect(MAX_WINDOW).toBeLessThanOrEqual(1000);
  });

  it('stays fast on hundreds of thousands of rows', () => {
    const before = new Manifest();
    const after = new Manifest();
    for (let i = 0; i < 300000; i++) after.add({ path: `p/${i}`, digest: 'x', size: i });
    const t = new DiffTable({ ...diffManifests(before, after), before: 'a', after: 'b' });
    const r = t.query({ filter: '9999', status: 'all', sort: 'size', descending: true, offset: 0, limit: 100 });
    const expected = Array.from({ length: 300000 }, (_, i) => String(i)).filter((x) => x.includes('9999')).length;
    expect(r.total).toBe(expected);
    expect(r.rows[0]!.path).toBe('p/299999');
  });
});

describe('diff view message contract', () => {
  it('accepts only well-formed page messages', () => {
    expect(isPageMessage({ type: 'ready' })).toBe(true);
    expect(isPageMessage({ type: 'openDiff', path: 'a' })).toBe(true);
    expect(isPageMessage({ type: 'query', query: { filter: '', status: 'all', sort: 'path', descending: false, offset: 0, limit: 10, seq: 1 } })).toBe(true);
    expect(isPageMessage({ type: 'query', query: { filter: '', status: 'bogus', sort: 'path', descending: false, offset: 0, limit: 10, seq: 1 } })).toBe(false);
    expect(isPageMessage({ type: 'openDiff', path: 3 })).toBe(false);
    expect(isPageMessage({ type: 'runScript' })).toBe(false);
    expect(isPageMessage(null)).toBe(false);
  });

  it('accepts an init message only with every text of the page, each a string', () => {
    const strings = Object.fromEntries(DIFF_STRING_KEYS.map((k) => [k, `text of ${k}`])) as DiffStrings;
    const init = { type: 'init', locale: 'ja', before: 'a:v0', after: 'a:v1', strings };
    expect(isInitMessage(init)).toBe(true);
    // A missing text (a host older or newer than the page) is refused, not shown as "undefined".
    const { summary: _summary, ...missing } = strings;
    expect(isInitMessage({ ...init, strings: missing })).toBe(false);
    expect(isInitMessage({ ...init, strings: { ...strings, close: 3 } })).toBe(false);
    expect(isInitMessage({ ...init, strings: { ...strings, unknown: 'x' } })).toBe(false);
    expect(isInitMessage({ ...init, strings: undefined })).toBe(false);
    expect(isInitMessage({ ...init, locale: undefined })).toBe(false);
    expect(isInitMessage({ ...init, type: 'summary' })).toBe(false);
    expect(isInitMessage(null)).toBe(false);
    expect(new Set(DIFF_STRING_KEYS).size).toBe(DIFF_STRING_KEYS.length);
  });
});

describe('verify results (Explorer decorations)', () => {
  it('maps files under a verified folder to modified, added or missing', () => {
    const v = new VerifyResults();
    const changed: string[][] = [];
    v.onDidChange((roots) => changed.push(roots));
    v.set({ root: '/w/data', ref: 'a/b/c:v1', at: 'now', result: { root: '/w/data', ok: false, missing: ['sub/gone.txt'], modified: ['a.txt'], extra: ['new.txt'], referencesSkipped: 0, matched: 3 } });
    expect(v.stateOf('/w/data/a.txt')?.state).toBe('modified');
    expect(v.stateOf('/w/data/new.txt')?.state).toBe('added');
    expect(v.stateOf('/w/data/sub')?.state).toBe('missing');
    expect(v.stateOf('/w/data')?.state).toBe('missing');
    expect(v.stateOf('/w/data/ok.txt')).toBeUndefined();
    expect(v.stateOf('/elsewhere/a.txt')).toBeUndefined();
    v.clear();
    expect(v.stateOf('/w/data/a.txt')).toBeUndefined();
    expect(changed).toEqual([['/w/data'], ['/w/data']]);
  });
});
