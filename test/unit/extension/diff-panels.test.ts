/** Diff panels are tracked in one place and closed with the extension; "open file" finds rows by path. */
import { describe, expect, it, vi } from 'vitest';
import { diffManifests } from '../../../src/core/diff';
import { Manifest } from '../../../src/core/manifest';
import { DiffTable } from '../../../src/extension/webview/diff-table';
import { recorded, Uri } from './support/fake-vscode';

vi.mock('vscode', () => import('./support/fake-vscode'));

describe('diff panels', () => {
  it('are all closed when the extension deactivates', async () => {
    const { DiffPanels } = await import('../../../src/extension/webview/diff-panel');
    const registry = { current: { diff: async () => ({ ...diffManifests(new Manifest(), new Manifest()), before: 'a/b/c:v0', after: 'a/b/c:v1' }) } };
    const panels = new DiffPanels(Uri.file('/ext') as never, registry as never, {} as never);
    panels.show('a/b/c:v0', { version: 'a/b/c:v1' });
    panels.show('a/b/c:v1', { folder: '/w/data' });
    expect(panels.count).toBe(2);
    expect(recorded.panels.map((p) => p.title)).toEqual(['c:v0 ↔ c:v1', 'c:v1 ↔ data']);
    // The user closes one: it leaves the list.
    recorded.panels[0]!.close();
    expect(panels.count).toBe(1);
    panels.show('a/b/c:v0', { version: 'a/b/c:v2' });
    panels.dispose();
    expect(recorded.panels.every((p) => p.disposed)).toBe(true);
    expect(panels.count).toBe(0);
  });
});

describe('diff table rows by path', () => {
  it('finds the row of a clicked path without scanning', () => {
    const before = new Manifest();
    const after = new Manifest();
    for (let i = 0; i < 50_000; i++) after.add({ path: `p/${i}`, digest: 'x', size: i });
    before.add({ path: 'gone', digest: 'g', size: 1 });
    const t = new DiffTable({ ...diffManifests(before, after), before: 'a', after: 'b' });
    expect(t.row('p/49999')).toMatchObject({ status: 'added', sizeAfter: 49999 });
    expect(t.row('gone')).toMatchObject({ status: 'removed' });
    expect(t.row('nope')).toBeUndefined();
  });
});
