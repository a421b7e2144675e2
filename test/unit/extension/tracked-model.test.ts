// The Source Control view of tracked folders as plain data (model/tracked-model.ts).
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TrackingState } from '../../../src/core/tracking';
import { changeCount, changeGroups, changeTitle, Debouncer, relativeInFolder, statusBarView, trackedRootOf, versionChoices } from '../../../src/extension/model/tracked-model';

const t: TrackingState = { format: 'artifacts-tracking-v1', entity: 'alice', project: 'demo', collection: 'mnist', version: 'v3', digest: 'd', trackedAt: '2026-01-01T00:00:00Z' };
const root = path.resolve('/work/data/mnist');
const status = { root, ref: 'alice/demo/mnist:v3', modified: ['a/x.csv'], added: ['new.txt', 'z.txt'], deleted: ['gone.png'] };

describe('tracked folder view model', () => {
  it('groups Modified, Added and Deleted with their files, icons and tooltips', () => {
    const groups = changeGroups(status);
    expect(groups.map((g) => [g.id, g.label, g.resources.map((r) => r.path)])).toEqual([
      ['modified', 'Modified', ['a/x.csv']],
      ['added', 'Added', ['new.txt', 'z.txt']],
      ['deleted', 'Deleted', ['gone.png']],
    ]);
    const [m, , d] = groups;
    expect(m!.resources[0]).toMatchObject({ kind: 'modified', file: path.join(root, 'a', 'x.csv'), icon: 'diff-modified', strikeThrough: false, tooltip: 'Modified since alice/demo/mnist:v3' });
    expect(d!.resources[0]).toMatchObject({ icon: 'diff-removed', strikeThrough: true });
    expect(changeCount(status)).toBe(4);
    expect(changeTitle('a/x.csv', t)).toBe('a/x.csv (mnist:v3 ↔ folder)');
  });

  it('the status bar shows collection:vN, with the warning colours when the folder differs', () => {
    expect(statusBarView(root, t, { modified: [], added: [], deleted: [] })).toMatchObject({ text: '$(package) mnist:v3', warning: false });
    const differs = statusBarView(root, t, status);
    expect(differs).toMatchObject({ text: '$(package) mnist:v3*', warning: true });
    expect(differs.tooltip).toContain('1 modified, 2 added, 1 deleted');
    expect(statusBarView(root, t, undefined, 'gone').warning).toBe(true);
  });

  it('finds the innermost tracked folder of a file, and a path inside a folder', () => {
    const outer = path.resolve('/work/data');
    expect(trackedRootOf([outer, root], path.join(root, 'a', 'x.csv'))).toBe(root);
    expect(trackedRootOf([outer, root], path.join(outer, 'other.txt'))).toBe(outer);
    expect(trackedRootOf([root], path.resolve('/work/data/mnist2/x'))).toBeUndefined();
    expect(relativeInFolder(root, path.join(root, 'a', 'x.csv'))).toBe('a/x.csv');
    expect(relativeInFolder(root, root)).toBeUndefined();
    expect(relativeInFolder(root, path.resolve('/elsewhere/x'))).toBeUndefined();
  });

  it('offers the versions of the collection with the tracked one marked', () => {
    const choices = versionChoices(
      [
        { version: 'v4', aliases: ['latest'], createdAt: '2026-02-01T00:00:00Z', description: 'more rows', fileCount: 2 },
        { version: 'v3', aliases: [], createdAt: '2026-01-01T00:00:00Z', description: null, fileCount: 1 },
      ],
      t,
    );
    expect(choices.map((c) => [c.label, c.version, c.current])).toEqual([
      ['v4', 'v4', false],
      ['$(check) v3', 'v3', true],
    ]);
    expect(choices[0]!.description).toBe('latest');
    expect(choices[0]!.detail).toContain('2 files · more rows');
    expect(choices[1]!.description).toBe('tracked now');
  });

  it('debounces a burst of file events into one refresh', () => {
    vi.useFakeTimers();
    try {
      const fire = vi.fn();
      const d = new Debouncer(400, fire);
      for (let i = 0; i < 10; i++) {
        d.poke();
        vi.advanceTimersByTime(100);
      }
      expect(fire).not.toHaveBeenCalled();
      vi.advanceTimersByTime(400);
      expect(fire).toHaveBeenCalledTimes(1);
      d.poke();
      d.flush();
      expect(fire).toHaveBeenCalledTimes(2);
      d.poke();
      d.dispose();
      vi.advanceTimersByTime(1000);
      expect(fire).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
