import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { ValidationError } from '../../../src/core/errors';
import { diffVersionMetadata } from '../../../src/content/metadata';
import { bufferSource } from '../../../src/content/source';
import { diffStructured } from '../../../src/content/structured';
import { diffValues, keyPath } from '../../../src/content/value-diff';
import { tempDir } from '../../support/tmp';

describe('diffValues', () => {
  it('reports added, removed and changed keys by key path, numbers with their delta', async () => {
    const d = await diffValues(
      { lr: 0.1, epochs: 10, model: { name: 'resnet', layers: [1, 2, { c: 3 }] }, gone: true },
      { lr: 0.05, epochs: 10, model: { name: 'resnet50', layers: [1, 2, { c: 4 }] }, 'new key': 'x' },
    );
    expect(d.changes).toEqual([
      { path: 'lr', kind: 'changed', before: 0.1, after: 0.05, delta: 0.05 - 0.1 },
      { path: 'model.name', kind: 'changed', before: 'resnet', after: 'resnet50' },
      { path: 'model.layers[2].c', kind: 'changed', before: 3, after: 4, delta: 1 },
      { path: 'gone', kind: 'removed', before: true },
      { path: '["new key"]', kind: 'added', after: 'x' },
    ]);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 3 });
    expect(d.arrays).toEqual([{ path: 'model.layers', lengthBefore: 3, lengthAfter: 3, changedElements: 1 }]);
    expect(d.truncated).toBe(false);
  });

  it('compares arrays by index and counts changed elements, including nested and extra ones', async () => {
    const d = await diffValues({ a: [[1, 2], [3, 4], 5, 6] }, { a: [[1, 9], [3, 4], 7] });
    expect(d.arrays).toEqual([
      { path: 'a', lengthBefore: 4, lengthAfter: 3, changedElements: 3 },
      { path: 'a[0]', lengthBefore: 2, lengthAfter: 2, changedElements: 1 },
    ]);
    expect(d.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['changed a[0][1]', 'changed a[2]', 'removed a[3]']);
  });

  it('equal documents have no changes', async () => {
    const doc = { a: [1, { b: null }], c: 'x', n: Number.NaN };
    const d = await diffValues(doc, structuredClone(doc));
    expect(d.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(d.arrays).toEqual([]);
  });

  it('marks long values for collapsing and cuts very long ones to a preview', async () => {
    const long = 'x'.repeat(100);
    const huge = 'y'.repeat(5000);
    const d = await diffValues({ a: 'short', b: 'multi\nline' }, { a: long, b: 'z', c: huge }, { maxValueChars: 1000 });
    expect(d.changes[0]).toMatchObject({ path: 'a', collapse: true, after: long });
    expect(d.changes[1]).toMatchObject({ path: 'b', collapse: true });
    expect(d.changes[2]!.truncated).toBe(true);
    expect((d.changes[2]!.after as string).length).toBe(1001);
  });

  it('lists at most maxChanges changes but counts them all', async () => {
    const a = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i + 1]));
    const d = await diffValues(a, b, { maxChanges: 10 });
    expect(d.changes).toHaveLength(10);
    expect(d.counts.changed).toBe(50);
    expect(d.truncated).toBe(true);
  });

  it('walks a deep document without overflowing the stack', async () => {
    let a: unknown = 1;
    let b: unknown = 2;
    for (let i = 0; i < 20_000; i++) {
      a = { n: a };
      b = { n: b };
    }
    const d = await diffValues(a, b);
    expect(d.counts.changed).toBe(1);
    expect(d.changes[0]!.path.split('.').length).toBe(20_000);
  });

  it('stops when the signal aborts', async () => {
    const big = Array.from({ length: 300_000 }, (_, i) => ({ i }));
    const controller = new AbortController();
    controller.abort();
    await expect(diffValues(big, [], { signal: controller.signal })).rejects.toThrow('Cancelled');
  });

  it('formats key paths', () => {
    expect(keyPath('', 'a')).toBe('a');
    expect(keyPath('a', 'b')).toBe('a.b');
    expect(keyPath('a', 2)).toBe('a[2]');
    expect(keyPath('a', 'x.y')).toBe('a["x.y"]');
  });
});

describe('diffStructured', () => {
  it('diffs YAML files structurally (formatting and key order do not count)', async () => {
    const dir = tempDir();
    await writeFile(path.join(dir, 'a.yaml'), 'train:\n  lr: 0.1\n  steps: 100\nlabels: [cat, dog]\n');
    await writeFile(path.join(dir, 'b.yaml'), '# tuned\nlabels:\n  - cat\n  - dog\n  - bird\ntrain: {steps: 150, lr: 0.1}\n');
    const d = await diffStructured(path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'));
    expect(d.format).toBe('yaml');
    expect(d.changes).toEqual([
      { path: 'train.steps', kind: 'changed', before: 100, after: 150, delta: 50 },
      { path: 'labels[2]', kind: 'added', after: 'bird' },
    ]);
    expect(d.arrays).toEqual([{ path: 'labels', lengthBefore: 2, lengthAfter: 3, changedElements: 1 }]);
  });

  it('diffs JSON, and an added file is one added root', async () => {
    const d = await diffStructured(bufferSource('c.json', '{"a": 1}'), bufferSource('c.json', '{"a": 2, "b": [1]}'));
    expect(d.changes.map((c) => [c.path, c.kind])).toEqual([['a', 'changed'], ['b', 'added']]);
    const added = await diffStructured(null, bufferSource('c.json', '{"a": 1}'));
    expect(added.before).toBeNull();
    expect(added.changes).toEqual([{ path: '', kind: 'added', after: { a: 1 } }]);
  });

  it('rejects malformed input with a ValidationError naming the file', async () => {
    await expect(diffStructured(bufferSource('x.json', '{"a": '), bufferSource('x.json', '{}'))).rejects.toThrow(ValidationError);
    await expect(diffStructured(bufferSource('x.json', '{"a": '), bufferSource('x.json', '{}'))).rejects.toThrow(/^x\.json is not valid JSON/);
    await expect(diffStructured(bufferSource('y.yaml', 'a: [1, 2'), bufferSource('y.yaml', 'a: 1'))).rejects.toThrow(/^y\.yaml is not valid YAML/);
  });

  it('skips files over the limit and says so', async () => {
    const d = await diffStructured(bufferSource('c.json', '{"a": 1}'), bufferSource('c.json', `{"a": "${'x'.repeat(200)}"}`), { limitBytes: 100 });
    expect(d.skipped).toEqual({ reason: 'too-large', limitBytes: 100 });
    expect(d.changes).toEqual([]);
  });
});

describe('diffVersionMetadata', () => {
  it('reports metadata by key path, description, aliases, tags and TTL', async () => {
    const d = await diffVersionMetadata(
      { metadata: { rows: 70000, split: { train: 0.8 } }, description: 'raw', aliases: ['raw', 'latest'], tags: ['a'], ttl: 86400 },
      { metadata: { rows: 71000, split: { train: 0.9 }, source: 'web' }, description: 'cleaned\nand deduplicated', aliases: ['latest', 'clean'], tags: ['a'], ttl: 172800 },
    );
    expect(d.metadata.changes).toEqual([
      { path: 'rows', kind: 'changed', before: 70000, after: 71000, delta: 1000 },
      { path: 'split.train', kind: 'changed', before: 0.8, after: 0.9, delta: 0.9 - 0.8 },
      { path: 'source', kind: 'added', after: 'web' },
    ]);
    expect(d.description).toEqual({ before: 'raw', after: 'cleaned\nand deduplicated', collapse: true });
    expect(d.aliases).toEqual({ added: ['clean'], removed: ['raw'] });
    expect(d.tags).toEqual({ added: [], removed: [] });
    expect(d.ttl).toEqual({ before: 86400, after: 172800, delta: 86400 });
    expect(d.changed).toBe(true);
  });

  it('equal versions report no change', async () => {
    const v = { metadata: { a: [1] }, description: null, aliases: ['x'], tags: [], ttl: 'inherit' as const };
    const d = await diffVersionMetadata(v, { ...v, metadata: { a: [1] } });
    expect(d.changed).toBe(false);
    expect(d.description).toBeNull();
    expect(d.ttl).toBeNull();
  });
});
