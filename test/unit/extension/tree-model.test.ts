import { describe, expect, it } from 'vitest';
import { Registry } from '../../../src/registry/registry';
import { buildFolderIndex, CONTEXT_VALUES, present, TreeModel, VERSION_PAGE, type TreeNode } from '../../../src/extension/model/tree-model';
import { tempDir, writeTree } from '../../support/tmp';

async function seed() {
  const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'vision' });
  const log = async (name: string, type: string, files: Record<string, string>, aliases: string[] = [], project?: string) => {
    const dir = tempDir();
    await writeTree(dir, files);
    const a = reg.newArtifact(name, type);
    await a.addDir(dir);
    return (await reg.log(a, { aliases, tags: ['t1'], project })).artifact;
  };
  await log('animals', 'dataset', { 'train/a.csv': '1', 'train/b.csv': '2', 'README.md': 'r' });
  await log('animals', 'dataset', { 'train/a.csv': '1', 'test/c.csv': '3' }, ['best']);
  await log('classifier', 'model', { 'w.bin': 'w' });
  await log('notes', 'report', { 'n.md': 'n' });
  await log('other', 'dataset', { 'x': 'x' }, [], 'audio');
  await (await reg.get('animals:v0')).link('prod');
  return reg;
}

const labels = (nodes: TreeNode[]) => nodes.map((n) => present(n).label);

describe('tree model', () => {
  it('goes registry → project → type → collection → version → folders and files', async () => {
    const reg = await seed();
    const model = new TreeModel(reg);
    const [root] = await model.children();
    expect(present(root!)).toMatchObject({ label: reg.location, description: 'local registry', contextValue: 'registry' });
    const projects = await model.children(root);
    expect(labels(projects)).toEqual(['audio', 'vision']);
    const vision = projects[1]!;
    const types = await model.children(vision);
    expect(labels(types)).toEqual(['dataset', 'model', 'report']);
    expect(types.map((t) => present(t).icon)).toEqual(['database', 'hubot', 'package']);
    const datasets = await model.children(types[0]);
    expect(labels(datasets)).toEqual(['animals', 'prod']);
    expect(present(datasets[0]!)).toMatchObject({ description: '2 versions', contextValue: 'collection', icon: 'database' });
    expect(present(datasets[1]!)).toMatchObject({ description: '1 version · links', contextValue: 'collection.links', icon: 'link' });
    const versions = await model.children(datasets[0]);
    expect(labels(versions)).toEqual(['v1', 'v0']);
    expect(present(versions[0]!)).toMatchObject({ description: 'latest, best · t1', contextValue: 'version.latest', icon: 'star-full' });
    expect(present(versions[1]!)).toMatchObject({ description: 't1', contextValue: 'version' });
    const files = await model.children(versions[1]);
    expect(files.map((n) => [n.kind, present(n).label])).toEqual([
      ['folder', 'train'],
      ['file', 'README.md'],
    ]);
    const train = await model.children(files[0]);
    expect(train.map((n) => (n as { path: string }).path)).toEqual(['train/a.csv', 'train/b.csv']);
    expect(present(train[0]!)).toMatchObject({ contextValue: 'artifactFile', description: '1 B' });
    const link = (await model.children(datasets[1]))[0]!;
    expect(present(link)).toMatchObject({ contextValue: 'version.link.latest' });
  });

  it('every node reports its parent and uses only declared context values', async () => {
    const reg = await seed();
    const model = new TreeModel(reg);
    const walk = async (node: TreeNode | undefined, depth: number): Promise<void> => {
      for (const child of await model.children(node)) {
        expect(child.parent).toBe(node);
        expect(CONTEXT_VALUES).toContain(present(child).contextValue);
        if (depth < 7) await walk(child, depth + 1);
      }
    };
    await walk(undefined, 0);
  });

  it('pages long version lists with a Load more row', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    for (let i = 0; i < VERSION_PAGE + 5; i++) {
      const dir = tempDir();
      await writeTree(dir, { 'f.txt': String(i) });
      const a = reg.newArtifact('many', 'dataset');
      await a.addDir(dir);
      await reg.log(a);
    }
    const model = new TreeModel(reg);
    const [root] = await model.children();
    const [project] = await model.children(root);
    const [type] = await model.children(project);
    const [collection] = await model.children(type);
    let versions = await model.children(collection);
    expect(versions).toHaveLength(VERSION_PAGE + 1);
    const more = versions.at(-1)!;
    expect(more.kind).toBe('loadMore');
    expect(present(more)).toMatchObject({ label: 'Load more…', description: '5 older' });
    model.loadMore(more as never);
    versions = await model.children(collection);
    expect(versions).toHaveLength(VERSION_PAGE + 5);
    expect(present(versions.at(-1)!).label).toBe('v0');
    // findVersion pages as far as needed, for reveal().
    const fresh = new TreeModel(reg);
    const v1 = await fresh.findVersion('alice/p/many:v1');
    expect(v1?.artifact.version).toBe('v1');
    expect(v1?.parent?.kind).toBe('collection');
  });

  it('refresh() keeps the rows when the registry on disk shows nothing new, and reports real changes', async () => {
    const reg = await seed();
    const model = new TreeModel(reg);
    const [root] = await model.children();
    const vision = (await model.children(root))[1]!;
    const datasets = await model.children((await model.children(vision))[0]);
    await model.children(datasets[0]);
    expect(await model.refresh()).toEqual([]);

    // Another process (a CLI, another window) adds an alias: the same rows, new description.
    const other = new Registry({ root: reg.location, entity: 'alice', project: 'vision' });
    const v0 = await other.get('animals:v0');
    v0.aliases.push('golden');
    await v0.save();
    expect(await model.refresh()).toBe('everything');
    expect(present((await model.children(datasets[0]))[1]!).description).toBe('golden · t1');
    expect(await model.refresh()).toEqual([]);

    // A new collection appears under a type that is already shown.
    const dir = tempDir();
    await writeTree(dir, { 'y.csv': 'y' });
    const a = other.newArtifact('birds', 'dataset');
    await a.addDir(dir);
    await other.log(a);
    expect(await model.refresh()).toBe('everything');
    expect(labels(await model.children((await model.children(vision))[0]))).toEqual(['animals', 'birds', 'prod']);
  });

  it('shows the empty registry and read errors as rows instead of going silent', async () => {
    const model = new TreeModel(new Registry({ root: tempDir() }));
    const [root] = await model.children();
    expect(labels(await model.children(root))).toEqual(['No artifacts yet']);
    const reg = await seed();
    const m2 = new TreeModel(reg);
    const [r2] = await m2.children();
    const vision = (await m2.children(r2))[1]!;
    const types = await m2.children(vision);
    const datasets = await m2.children(types[0]);
    await reg.store.delete('entities/alice/projects/vision/collections/animals/index.json');
    await m2.refresh();
    const rows = await m2.children(datasets[0]);
    expect(rows[0]!.kind).toBe('message');
    expect(present(rows[0]!).label).toMatch(/Cannot read the registry: Collection .* does not exist/);
  });

  it('indexes folders of large manifests once', () => {
    const entries = Array.from({ length: 30000 }, (_, i) => ({ path: `d${i % 30}/s${i % 7}/f${i}.bin`, digest: 'x' }));
    const index = buildFolderIndex(entries);
    expect([...index.folders.get('')!].sort()).toHaveLength(30);
    expect(index.folders.get('d0')!.size).toBe(7);
    expect(index.files.get('d0/s0')!.length).toBeGreaterThan(100);
  });
});

describe('tildify', () => {
  it('shortens paths under the home folder only', async () => {
    const { tildify } = await import('../../../src/extension/model/tree-model');
    expect(tildify('/home/me/.artifacts', '/home/me')).toBe('~/.artifacts');
    expect(tildify('/home/meadow/x', '/home/me')).toBe('/home/meadow/x');
    expect(tildify('/data/reg', '/home/me')).toBe('/data/reg');
  });
});
