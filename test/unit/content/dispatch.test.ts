import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { bufferSource, changedFraction, changedRowFraction, checkChangeBudget, detectContentKind, diffContent, TableDiff } from '../../../src/content/index';
import { tempDir } from '../../support/tmp';

describe('detectContentKind', () => {
  it('chooses the differ by file name', () => {
    expect(['a/b.csv', 'x.TSV', 'r.jsonl', 'r.ndjson', 'd.parquet'].map(detectContentKind)).toEqual(Array(5).fill('table'));
    expect(['c.json', 'c.yaml', 'c.yml'].map(detectContentKind)).toEqual(Array(3).fill('structured'));
    expect(['i.png', 'i.JPG', 'i.jpeg', 'i.gif', 'i.webp'].map(detectContentKind)).toEqual(Array(5).fill('image'));
    expect(['m.safetensors', 'm.onnx', 'm.pt', 'm.pth', 'pytorch_model.bin'].map(detectContentKind)).toEqual(Array(5).fill('weights'));
    expect(['README.md', 'train.py', 'Dockerfile', 'dir\\notes.txt'].map(detectContentKind)).toEqual(Array(4).fill('text'));
    expect(detectContentKind('data.xyz')).toBeNull();
  });
});

describe('diffContent', () => {
  it('dispatches to the table differ and the result serializes to JSON', async () => {
    const d = await diffContent(bufferSource('t.csv', 'id,v\n1,a\n2,b\n'), bufferSource('t.csv', 'id,v\n1,a\n2,c\n3,d\n'));
    expect(d).toBeInstanceOf(TableDiff);
    const json = JSON.parse(JSON.stringify(d));
    expect(json).toMatchObject({ kind: 'table', rowChanges: { added: 1, removed: 0, changed: 1, unchanged: 1 }, match: { mode: 'key', key: 'id' } });
    expect(json.rows).toBeUndefined();
  });

  it('sends text to the editor and sniffs files whose name does not tell', async () => {
    expect(await diffContent(bufferSource('a.md', '# a'), bufferSource('a.md', '# b'))).toEqual({ kind: 'text', before: { name: 'a.md', size: 3 }, after: { name: 'a.md', size: 3 } });
    expect((await diffContent(bufferSource('notes', 'plain words\n'), null)).kind).toBe('text');
    expect((await diffContent(bufferSource('blob.xyz', Buffer.from([1, 0, 2])), bufferSource('blob.xyz', Buffer.from([1, 0, 3])))).kind).toBe('binary');
    expect((await diffContent(bufferSource('latin.xyz', Buffer.from([0x63, 0x61, 0xe9])), null)).kind).toBe('binary');
  });

  it('takes local paths and a forced kind', async () => {
    const dir = tempDir();
    await writeFile(path.join(dir, 'a.conf'), '{"a": 1}');
    await writeFile(path.join(dir, 'b.conf'), '{"a": 2}');
    const d = await diffContent(path.join(dir, 'a.conf'), path.join(dir, 'b.conf'), { kind: 'structured' });
    expect(d).toMatchObject({ kind: 'structured', counts: { changed: 1 } });
    await expect(diffContent(path.join(dir, 'missing.csv'), null)).rejects.toThrow(/^No such file: /);
  });

  it('dispatches images and weights', async () => {
    const img = new PNG({ width: 2, height: 2 });
    img.data.fill(255);
    const a = PNG.sync.write(img);
    img.data[0] = 0;
    const b = PNG.sync.write(img);
    const d = await diffContent(bufferSource('i.png', a), bufferSource('i.png', b));
    expect(d).toMatchObject({ kind: 'image', changedPixels: 1, changedFraction: 0.25 });
    expect(changedFraction(d)).toBe(0.25);
    const w = await diffContent(bufferSource('m.pt', Buffer.from([0x80, 0x02])), null);
    expect(w).toMatchObject({ kind: 'weights', opaque: true });
    expect(changedFraction(w)).toBeNull();
  });
});

describe('change budget gate', () => {
  it('measures the changed-row fraction and checks it against a budget', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i}`);
    const after = rows.map((r, i) => (i === 5 || i === 6 ? `${i},x` : r));
    const d = (await diffContent(bufferSource('t.csv', `id,v\n${rows.join('\n')}`), bufferSource('t.csv', `id,v\n${after.join('\n')}`))) as TableDiff;
    expect(changedRowFraction(d)).toBe(0.01);
    expect(checkChangeBudget(d, 0.01)).toEqual({ ok: true, fraction: 0.01, message: '1% of rows changed, within the 1% allowed' });
    expect(checkChangeBudget(d, 0.005)).toEqual({ ok: false, fraction: 0.01, message: '1% of rows changed, more than the 0.5% allowed' });
    const text = await diffContent(bufferSource('a.md', 'x'), bufferSource('a.md', 'y'));
    expect(checkChangeBudget(text, 0)).toMatchObject({ ok: true, fraction: null });
  });
});
