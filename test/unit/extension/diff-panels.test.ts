/** Diff panels are tracked in one place and closed with the extension; "open file" finds rows by path. */
import { describe, expect, it, vi } from 'vitest';
import { diffManifests } from '../../../src/core/diff';
import { Manifest } from '../../../src/core/manifest';
import { DiffTable } from '../../../src/extension/webview/diff-table';
import { Registry } from '../../../src/registry/registry';
import { tempDir, writeTree } from '../../support/tmp';
import { recorded, Uri } from './support/fake-vscode';

vi.mock('vscode', () => import('./support/fake-vscode'));

describe('diff panels', () => {
  it('are all closed when the extension deactivates', async () => {
    const { DiffPanels } = await import('../../../src/extension/webview/diff-panel');
    const current = { diff: async () => ({ ...diffManifests(new Manifest(), new Manifest()), before: 'a/b/c:v0', after: 'a/b/c:v1' }) };
    const registry = { current, registryOf: async (key?: string) => (key === undefined ? current : undefined) };
    const panels = new DiffPanels(Uri.file('/ext') as never, registry as never, {} as never);
    await panels.show('a/b/c:v0', { version: 'a/b/c:v1' });
    await panels.show('a/b/c:v1', { folder: '/w/data' });
    expect(panels.count).toBe(2);
    expect(recorded.panels.map((p) => p.title)).toEqual(['c:v0 ↔ c:v1', 'c:v1 ↔ data']);
    // The user closes one: it leaves the list.
    recorded.panels[0]!.close();
    expect(panels.count).toBe(1);
    await panels.show('a/b/c:v0', { version: 'a/b/c:v2' });
    panels.dispose();
    expect(recorded.panels.every((p) => p.disposed)).toBe(true);
    expect(panels.count).toBe(0);
  });
});

describe('a compare view of another registry row', () => {
  it('reads both versions from that row, not from the default registry; a row that is gone is said', async () => {
    const { DiffPanels } = await import('../../../src/extension/webview/diff-panel');
    // Two real registries: the default one has no "team" collection, the row "team" has two versions.
    const defaultRegistry = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
    const team = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
    const sides: Record<string, string>[] = [{ 'a.txt': 'one', 'b.txt': 'two' }, { 'a.txt': 'one', 'b.txt': 'two, changed', 'c.txt': 'three' }];
    for (const files of sides) {
      const dir = tempDir();
      await writeTree(dir, files);
      const draft = team.newArtifact('shared', 'dataset');
      await draft.addDir(dir);
      await team.log(draft);
    }
    const configured = { current: defaultRegistry, registryOf: async (key?: string) => (key === undefined ? defaultRegistry : key === 'team' ? team : undefined) };
    const panels = new DiffPanels(Uri.file('/ext') as never, configured as never, {} as never);
    recorded.panels.length = 0;
    await panels.show('alice/demo/shared:v0', { version: 'alice/demo/shared:v1' }, 'team');
    const panel = recorded.panels[0]!;
    panel.receive({ type: 'ready' });
    await vi.waitFor(() => expect(panel.posted.find((m) => (m as { type: string }).type === 'summary')).toBeDefined(), { timeout: 10_000 });
    const summary = (panel.posted.find((m) => (m as { type: string }).type === 'summary') as { summary: Record<string, unknown> }).summary;
    expect(summary).toMatchObject({ added: 1, modified: 1, removed: 0, unchanged: 1 });
    expect(panel.posted.some((m) => (m as { type: string }).type === 'error')).toBe(false);
    await expect(panels.show('alice/demo/shared:v0', { version: 'alice/demo/shared:v1' }, 'gone')).rejects.toThrow(/no longer in the Registry view/);
    panels.dispose();
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
