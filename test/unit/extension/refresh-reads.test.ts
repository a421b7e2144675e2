/**
 * Refreshing what changed, measured: the tree over a real registry folder of 200 collections, its
 * store wrapped to count reads per key. An alias edit re-reads that collection's document only;
 * "Load more" reads nothing; a version to reveal is found without walking other projects.
 */
import { describe, expect, it } from 'vitest';
import { editVersion } from '../../../src/app/edit-version';
import { ChangeBatch } from '../../../src/extension/model/registry-changes';
import { present, TreeModel, VERSION_PAGE, type CollectionNode, type TreeNode } from '../../../src/extension/model/tree-model';
import { collectionKey, collectionOfKey } from '../../../src/registry/layout';
import { Registry } from '../../../src/registry/registry';
import { LocalObjectStore } from '../../../src/store/local-store';
import { tempDir, writeTree } from '../../support/tmp';
import { countingStore } from './support/counting-store';

const COLLECTIONS = 200;
const name = (i: number) => `c${String(i).padStart(3, '0')}`;

async function logVersions(reg: Registry, collection: string, count: number, project?: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const dir = tempDir();
    await writeTree(dir, { 'f.txt': `${collection} ${i}` });
    const a = reg.newArtifact(collection, 'dataset');
    await a.addDir(dir);
    await reg.log(a, { project });
  }
}

async function expand(model: TreeModel, node: TreeNode | undefined, label: string): Promise<TreeNode> {
  const child = (await model.children(node)).find((n) => present(n).label === label);
  if (!child) throw new Error(`no row ${label}`);
  return child;
}

describe('refreshing what changed (200 collections)', () => {
  it('re-reads one collection document after an alias edit, none for Load more', async () => {
    const root = tempDir();
    const writer = new Registry({ root, entity: 'alice', project: 'p' });
    for (let i = 0; i < COLLECTIONS; i++) await logVersions(writer, name(i), i === 42 ? VERSION_PAGE + 3 : 1);

    const { store, counts } = countingStore(new LocalObjectStore(root));
    const reg = new Registry({ store, entity: 'alice', project: 'p' });
    const model = new TreeModel(reg);
    const project = await expand(model, await expand(model, undefined, root), 'p');
    const type = await expand(model, project, 'dataset');
    const collections = await model.children(type);
    expect(collections).toHaveLength(COLLECTIONS);
    const c042 = collections.find((n) => present(n).label === 'c042') as CollectionNode;
    const versions = await model.children(c042);
    expect(versions).toHaveLength(VERSION_PAGE + 1);
    const key = collectionKey({ entity: 'alice', project: 'p', collection: 'c042' });

    // Load more: the next page comes from what is loaded.
    counts.reset();
    const more = versions.at(-1)!;
    expect(more.kind).toBe('loadMore');
    expect(model.loadMore(more as never)).toBe(c042);
    expect(await model.children(c042)).toHaveLength(VERSION_PAGE + 3);
    expect(counts.total()).toBe(0);

    // An alias edit, then the refresh the command (or the file event for index.json) asks for.
    counts.reset();
    const v1 = (versions[0] as { artifact: import('../../../src/core/artifact').Artifact }).artifact;
    await editVersion(v1, { addAliases: ['golden'] });
    const editReads = counts.total();
    const batch = new ChangeBatch();
    batch.add(`${key}`); // what the watcher reports for the document the edit swapped
    const change = batch.take();
    expect(change).toEqual({ kind: 'collections', collections: [{ entity: 'alice', project: 'p', collection: 'c042' }] });
    const changed = await model.refresh(change.kind === 'collections' ? change.collections : undefined);
    expect(changed).toEqual([c042]); // only that collection's row (and its children) re-render
    expect([...counts.gets.keys()]).toEqual([key]); // the other 199 documents are not read
    const refreshReads = counts.gets.get(key)! - editReads;
    expect(refreshReads).toBeLessThanOrEqual(2);
    expect(present((await model.children(c042))[0]!).description).toMatch(/golden/);
    console.info(`alias edit + refresh over ${COLLECTIONS} collections: ${counts.total()} reads, all of ${key} (edit ${editReads}, refresh ${refreshReads}); other collection documents read: 0`);

    // Nothing changed since: a second refresh re-renders nothing.
    expect(await model.refresh([{ entity: 'alice', project: 'p', collection: 'c042' }])).toEqual([]);

    // For comparison: the full refresh (Refresh button, window focus) re-reads every document shown.
    counts.reset();
    expect(await model.refresh()).toEqual([]);
    expect([...counts.gets.keys()].filter((k) => k.endsWith('/index.json')).length).toBeGreaterThanOrEqual(COLLECTIONS);
  }, 120_000);

  it('adds a new collection to its type row and finds a version through the collection its ref names', async () => {
    const root = tempDir();
    const writer = new Registry({ root, entity: 'alice', project: 'p' });
    await logVersions(writer, 'a', 1);
    for (let i = 0; i < 5; i++) await logVersions(writer, 'x', 1, `other${i}`);
    const { store, counts } = countingStore(new LocalObjectStore(root));
    const reg = new Registry({ store, entity: 'alice', project: 'p' });
    const model = new TreeModel(reg);
    const project = await expand(model, await expand(model, undefined, root), 'p');
    const type = await expand(model, project, 'dataset');
    expect((await model.children(type)).map((n) => present(n).label)).toEqual(['a']);

    await logVersions(writer, 'b', 2);
    counts.reset();
    expect(await model.refresh([{ entity: 'alice', project: 'p', collection: 'b' }])).toEqual([type]);
    expect((await model.children(type)).map((n) => present(n).label)).toEqual(['a', 'b']);
    expect([...counts.gets.keys()]).toEqual([collectionKey({ entity: 'alice', project: 'p', collection: 'b' })]);

    counts.reset();
    const found = await model.findVersion('alice/p/b:v0');
    expect(found?.artifact.qualifiedName).toBe('alice/p/b:v0');
    expect(found?.parent?.parent).toBe(type);
    // Straight to the collection: no other project's collections listed or read.
    expect([...counts.lists.keys()].filter((k) => k.includes('/projects/other'))).toEqual([]);
    expect([...counts.gets.keys()].filter((k) => k.includes('/projects/other'))).toEqual([]);
    expect(await model.findVersion('alice/p/nope:v0')).toBeUndefined();
    expect(await model.findVersion('alice/p/b:v7')).toBeUndefined();
  });

  it('places file events: a collection document or folder, else everything', () => {
    expect(collectionOfKey('entities/e/projects/p/collections/c/index.json')).toEqual({ entity: 'e', project: 'p', collection: 'c' });
    expect(collectionOfKey('entities/e/projects/p/collections/c')).toEqual({ entity: 'e', project: 'p', collection: 'c' });
    expect(collectionOfKey('entities/e/projects/p')).toBeUndefined();
    expect(collectionOfKey('objects/md5/aa/bb')).toBeUndefined();
    const batch = new ChangeBatch();
    expect(batch.isEmpty).toBe(true);
    batch.add('entities/e/projects/p/collections/c/index.json');
    batch.add('entities/e/projects/p/collections/c');
    batch.add('entities/e/projects/p/collections/d/index.json');
    expect(batch.take()).toEqual({ kind: 'collections', collections: [{ entity: 'e', project: 'p', collection: 'c' }, { entity: 'e', project: 'p', collection: 'd' }] });
    batch.add('entities/e/projects/q');
    batch.add('entities/e/projects/p/collections/c/index.json');
    expect(batch.take()).toEqual({ kind: 'everything' });
    expect(batch.isEmpty).toBe(true);
  });
});
