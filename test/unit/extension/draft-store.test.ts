import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5B64 } from '../../../src/core/digest';
import { commitDraft } from '../../../src/extension/model/commit';
import { DraftStore, planSources, type KeyValueStorage } from '../../../src/extension/model/draft-store';
import { Registry } from '../../../src/registry/registry';
import { tempDir, writeTree } from '../../support/tmp';

/** Storage that round-trips through JSON, as VS Code's Memento does across reloads. */
function memento(): KeyValueStorage & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: <T>(k: string) => (raw.has(k) ? (JSON.parse(raw.get(k)!) as T) : undefined),
    update: async (k, v) => void raw.set(k, JSON.stringify(v)),
  };
}

describe('draft store', () => {
  it('creates drafts, stages sources and survives a reload', async () => {
    const storage = memento();
    const store = new DraftStore(storage);
    let changes = 0;
    store.onDidChange(() => changes++);
    const d = await store.create('animals', 'dataset');
    await store.addSources(d.id, [{ localPath: '/w/data', kind: 'folder', target: '' }, { localPath: '/w/notes.md', kind: 'file', target: 'docs/notes.md' }]);
    const reloaded = new DraftStore(storage);
    expect(reloaded.list()).toHaveLength(1);
    expect(reloaded.get(d.id).sources.map((s) => s.target)).toEqual(['', 'docs/notes.md']);
    await reloaded.removeSource(d.id, 'docs/notes.md', 'file');
    expect(new DraftStore(storage).get(d.id).sources).toHaveLength(1);
    await expect(reloaded.removeSource(d.id, 'nope', 'file')).rejects.toThrow(/not staged/);
    await reloaded.delete(d.id);
    expect(new DraftStore(storage).list()).toEqual([]);
    expect(changes).toBe(2);
  });

  it('validates names, types and target paths', async () => {
    const store = new DraftStore(memento());
    await expect(store.create('bad name', 'dataset')).rejects.toThrow(/alphanumeric/);
    await expect(store.create('ok', 'wandb-x')).rejects.toThrow(/reserved/);
    const d = await store.create('ok', 'dataset');
    await expect(store.addSources(d.id, [{ localPath: '/x', kind: 'file', target: '../up' }])).rejects.toThrow(/'\.\.'/);
  });

  it('plans where a selection goes', () => {
    expect(planSources([{ localPath: '/w/data', kind: 'folder' }], '')).toEqual([{ localPath: '/w/data', kind: 'folder', target: '' }]);
    expect(planSources([{ localPath: '/w/data', kind: 'folder' }], 'images/')).toEqual([{ localPath: '/w/data', kind: 'folder', target: 'images' }]);
    expect(planSources([{ localPath: '/w/a', kind: 'folder' }, { localPath: '/w/b.txt', kind: 'file' }], 'x').map((s) => s.target)).toEqual(['x/a', 'x/b.txt']);
    expect(planSources([{ localPath: '/w/b.txt', kind: 'file' }], '').map((s) => s.target)).toEqual(['b.txt']);
  });
});

describe('commitDraft', () => {
  it('hashes the staged sources, logs them with the commit input and reports progress', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    const work = tempDir();
    await writeTree(work, { 'data/a.csv': 'a', 'data/sub/b.csv': 'bb', 'notes.md': 'n' });
    const store = new DraftStore(memento());
    const d = await store.create('animals', 'dataset');
    await store.addSources(d.id, planSources([{ localPath: path.join(work, 'data'), kind: 'folder' }], ''));
    await store.addSources(d.id, planSources([{ localPath: path.join(work, 'notes.md'), kind: 'file' }], 'docs'));
    const phases = new Set<string>();
    let last = { files: 0, bytes: 0 };
    const { artifact, deduplicated } = await commitDraft(reg, store.get(d.id), { aliases: ['best'], tags: ['t'], description: 'd', metadata: { rows: 2 } }, {
      onProgress: (p) => {
        phases.add(p.phase);
        if (p.phase === 'hashing') last = p;
      },
    });
    expect(deduplicated).toBe(false);
    expect([...phases]).toEqual(['hashing', 'storing', 'committing']);
    expect(last).toMatchObject({ files: 3, bytes: 4 });
    const v0 = await reg.get('animals:best');
    expect([...v0.manifest.paths()].sort()).toEqual(['a.csv', 'docs/notes.md', 'sub/b.csv']);
    expect(v0).toMatchObject({ description: 'd', metadata: { rows: 2 }, tags: ['t'] });
    expect(artifact.version).toBe('v0');
    // The same draft again: no new version.
    expect((await commitDraft(reg, store.get(d.id), { aliases: [], tags: [], description: null, metadata: {} })).deduplicated).toBe(true);
  });

  it('starts from a base version: keeps its files, drops removed paths, adds new ones', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    const work = tempDir();
    await writeTree(work, { 'v0/a.csv': 'a', 'v0/old/x.csv': 'x', 'extra.csv': 'e' });
    const base = reg.newArtifact('animals', 'dataset');
    await base.addDir(path.join(work, 'v0'));
    await reg.log(base);
    const store = new DraftStore(memento());
    const d = await store.create('animals', 'dataset', 'alice/p/animals:v0');
    await store.removeFromBase(d.id, 'old');
    await store.addSources(d.id, planSources([{ localPath: path.join(work, 'extra.csv'), kind: 'file' }], ''));
    await commitDraft(reg, store.get(d.id), { aliases: [], tags: [], description: null, metadata: {} });
    const v1 = await reg.get('animals:v1');
    expect([...v1.manifest.paths()].sort()).toEqual(['a.csv', 'extra.csv']);
    expect(v1.manifest.get('extra.csv')?.digest).toBe(md5B64('e'));
  });

  it('names a staged source that disappeared and can be cancelled', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    const work = tempDir();
    await writeTree(work, { 'f.txt': 'f' });
    const store = new DraftStore(memento());
    const d = await store.create('x', 'dataset');
    await store.addSources(d.id, [{ localPath: path.join(work, 'gone.txt'), kind: 'file', target: 'gone.txt' }]);
    await expect(commitDraft(reg, store.get(d.id), { aliases: [], tags: [], description: null, metadata: {} })).rejects.toThrow(/gone.txt was staged in x but no longer exists/);
    const c = new AbortController();
    c.abort();
    const d2 = await store.create('y', 'dataset');
    await store.addSources(d2.id, [{ localPath: work, kind: 'folder', target: '' }]);
    await expect(commitDraft(reg, store.get(d2.id), { aliases: [], tags: [], description: null, metadata: {} }, { signal: c.signal })).rejects.toThrow(/Cancelled/);
    expect(await reg.exists('y')).toBe(false);
    expect(await fsp.readdir(work)).toEqual(['f.txt']);
  });
});
