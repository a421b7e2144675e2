/** A collection whose document is damaged shows in the tree with an error icon and the message. */
import { describe, expect, it } from 'vitest';
import { present, TreeModel, type TreeNode } from '../../../src/extension/model/tree-model';
import { collectionKey } from '../../../src/registry/layout';
import { Registry } from '../../../src/registry/registry';
import { tempDir, writeTree } from '../../support/tmp';

describe('a damaged collection in the tree', () => {
  it('is listed beside the others, with an error icon, "damaged" and the reason; opening it shows the error', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    for (const name of ['good', 'bad']) {
      const dir = tempDir();
      await writeTree(dir, { 'a.txt': name });
      const d = reg.newArtifact(name, 'dataset');
      await d.addDir(dir);
      await reg.log(d);
    }
    const key = collectionKey({ entity: 'alice', project: 'p', collection: 'bad' });
    expect(await reg.store.compareAndSwap(key, (await reg.store.get(key))!.etag, '{"format":1,"kind"')).toBe(true);
    const model = new TreeModel(reg);
    const walk = async (n?: TreeNode): Promise<TreeNode[]> => {
      const kids = await model.children(n);
      return [...kids, ...(await Promise.all(kids.filter((k) => k.kind !== 'collection' && k.kind !== 'message').map(walk))).flat()];
    };
    const collections = (await walk()).filter((n) => n.kind === 'collection');
    const shown = collections.map((n) => present(n));
    expect(shown.map((p) => p.label).sort()).toEqual(['bad', 'good']);
    const bad = shown.find((p) => p.label === 'bad')!;
    expect([bad.icon, bad.description]).toEqual(['error', 'damaged']);
    expect(bad.tooltip).toMatch(/collection document .*bad\/index\.json .* is damaged \(not JSON/);
    const inside = await model.children(collections.find((n) => present(n).label === 'bad'));
    expect(inside.map((n) => [n.kind, present(n).label])).toEqual([['message', expect.stringMatching(/Cannot read the registry: .* is damaged/)]]);
  });
});
