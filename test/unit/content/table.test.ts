import { describe, expect, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { CancelledError, ValidationError } from '../../../src/core/errors';
import { bufferSource } from '../../../src/content/source';
import { diffTable, guessKeyColumn } from '../../../src/content/table';
import { tempDir } from '../../support/tmp';

/** Writes `rows` lines produced by `line(i)` (null skips the row) after a header. */
async function writeCsv(file: string, header: string, rows: number, line: (i: number) => string | null): Promise<void> {
  const out = createWriteStream(file);
  let buf = `${header}\n`;
  for (let i = 0; i < rows; i++) {
    const l = line(i);
    if (l !== null) buf += `${l}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.end(buf, () => resolve());
  });
}

const HEADER = 'id,name,category,price,quantity';
const price = (i: number): number => ((i * 7919) % 100000) / 100;
const row = (i: number, p = price(i)): string => `${i},item-${i},cat-${i % 17},${p},${i % 1000}`;

describe('diffTable on a 1,000,000-row CSV pair', () => {
  it('matches rows by the guessed id column and counts exactly what changed', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    await writeCsv(a, HEADER, 1_000_000, (i) => row(i));
    // After: price + 1 on every 100th row (10,000), ids 500000-500009 removed, 5 new ids at the end.
    await writeCsv(b, HEADER, 1_000_005, (i) => {
      if (i >= 500_000 && i < 500_010) return null;
      return row(i, i % 100 === 7 ? price(i) + 1 : price(i));
    });
    const d = await diffTable(a, b);
    expect(d.match).toEqual({ mode: 'key', key: 'id', guessed: true });
    expect(d.rowCount).toEqual({ before: 1_000_000, after: 999_995 });
    // Rows 500000-500009 include 500007, a price change that is a removal instead.
    expect(d.rowChanges).toEqual({ added: 5, removed: 10, changed: 9_999, unchanged: 1_000_000 - 10 - 9_999 });
    expect(d.changedCells).toEqual({ id: 0, name: 0, category: 0, price: 9_999, quantity: 0 });
    expect(d.sampled).toBeNull();
    expect(d.schema).toEqual({ added: [], removed: [], renamed: [], typeChanged: [], reordered: false });
    expect(d.columns.after.map((c) => c.type)).toEqual(['integer', 'string', 'string', 'number', 'integer']);
    const q = d.stats.find((s) => s.name === 'quantity')!;
    expect(q.before).toMatchObject({ count: 1_000_000, nulls: 0, min: 0, max: 999 });
    expect(q.before!.mean).toBeCloseTo(499.5, 6);
    let maxAfter = -Infinity;
    for (let i = 0; i < 1_000_005; i++) if (i < 500_000 || i >= 500_010) maxAfter = Math.max(maxAfter, i % 100 === 7 ? price(i) + 1 : price(i));
    expect(d.stats.find((s) => s.name === 'price')!.after!.max).toBe(maxAfter);

    // Windows: changed rows in file order, then removed ones; re-read from the files.
    const first = await d.rows(0, 2);
    expect(first.total).toBe(10_014);
    expect(first.rows[0]).toEqual({
      status: 'changed',
      key: '7',
      rowNumber: { before: 8, after: 8 },
      before: { id: '7', name: 'item-7', category: 'cat-7', price: String(price(7)), quantity: '7' },
      after: { id: '7', name: 'item-7', category: 'cat-7', price: String(price(7) + 1), quantity: '7' },
      changedColumns: ['price'],
    });
    expect(first.rows[1]!.key).toBe('107');
    const removed = await d.rows(0, 100, { status: 'removed' });
    expect(removed.total).toBe(10);
    expect(removed.rows.map((r) => r.key)).toEqual([...Array(10).keys()].map((k) => String(500_000 + k)));
    expect(removed.rows[0]!.after).toBeNull();
    const added = await d.rows(0, 10, { status: 'added' });
    expect(added.rows.map((r) => [r.key, r.rowNumber.after])).toEqual([0, 1, 2, 3, 4].map((k) => [String(1_000_000 + k), 999_991 + k]));
    const last = await d.rows(9_990, 5, { column: 'price' });
    expect(last.total).toBe(9_999);
    expect(last.rows.map((r) => r.key)).toEqual(['999107', '999207', '999307', '999407', '999507']);
    expect(d.count({ column: 'name' })).toBe(0);
  });
});

describe('diffTable: schema', () => {
  it('reports added, removed, renamed, retyped and reordered columns', async () => {
    const before = ['id,score,label,old,flag', '1,10,a,x,1', '2,20,b,y,2', '3,30,c,z,3'].join('\n');
    const after = ['label,id,score,flag,points', 'a,1,10,true,1.5', 'b,2,21,false,2.5', 'c,3,30,true,3.5'].join('\n');
    const d = await diffTable(bufferSource('t.csv', before), bufferSource('t.csv', after));
    expect(d.schema.added).toEqual([{ name: 'points', type: 'number' }]);
    expect(d.schema.removed).toEqual([{ name: 'old', type: 'string' }]);
    expect(d.schema.renamed).toEqual([]);
    expect(d.schema.typeChanged).toEqual([{ name: 'flag', before: 'integer', after: 'boolean' }]);
    expect(d.schema.reordered).toBe(true);
    expect(d.rowChanges).toEqual({ added: 0, removed: 0, changed: 3, unchanged: 0 });
    expect(d.changedCells).toEqual({ label: 0, id: 0, score: 1, flag: 3 });
    expect(d.stats.map((s) => [s.name, s.before?.mean ?? null, s.after?.mean ?? null])).toEqual([
      ['id', 2, 2],
      ['score', 20, 61 / 3],
      ['flag', 2, null],
      ['points', null, 2.5],
    ]);
  });

  it('treats a column at the same position with the same type and values under a new name as renamed', async () => {
    const before = ['id,amount,note', '1,5,a', '2,6,b', '3,7,c', '4,8,d'].join('\n');
    const after = ['id,total,note', '1,5,a', '2,6,b', '3,70,c', '4,8,d'].join('\n');
    const d = await diffTable(bufferSource('t.csv', before), bufferSource('t.csv', after));
    expect(d.schema.renamed).toEqual([{ from: 'amount', to: 'total', type: 'integer' }]);
    expect(d.schema.added).toEqual([]);
    expect(d.schema.removed).toEqual([]);
    expect(d.rowChanges.changed).toBe(1);
    expect((await d.rows(0, 1)).rows[0]!.changedColumns).toEqual(['total']);
    // Mostly different values: not a rename.
    const other = ['id,total,note', '1,50,a', '2,60,b', '3,70,c', '4,8,d'].join('\n');
    const d2 = await diffTable(bufferSource('t.csv', before), bufferSource('t.csv', other));
    expect(d2.schema.renamed).toEqual([]);
    expect(d2.schema.added.map((c) => c.name)).toEqual(['total']);
    expect(d2.schema.removed.map((c) => c.name)).toEqual(['amount']);
    expect(d2.rowChanges.changed).toBe(0);
  });
});

describe('diffTable: matching rows', () => {
  it('uses the caller key, and rejects a missing or duplicated one with a ValidationError', async () => {
    const a = bufferSource('a.csv', 'sku,qty\nx,1\ny,2\n');
    const b = bufferSource('b.csv', 'sku,qty\ny,3\nx,1\n');
    const d = await diffTable(a, b, { key: 'sku' });
    expect(d.match).toEqual({ mode: 'key', key: 'sku', guessed: false });
    expect(d.rowChanges).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 1 });
    await expect(diffTable(a, b, { key: 'nope' })).rejects.toThrow(new ValidationError("Key column 'nope' is not in a.csv (its columns: sku, qty)"));
    const dup = bufferSource('c.csv', 'sku,qty\nx,1\nx,2\n');
    await expect(diffTable(dup, b, { key: 'sku' })).rejects.toThrow("Key column 'sku' is not unique in c.csv: 'x' is on rows 1 and 2");
    await expect(diffTable(a, dup, { key: 'sku' })).rejects.toThrow(ValidationError);
  });

  it('matches whole rows when asked with key: null, even when an id column could be guessed', async () => {
    const a = bufferSource('a.csv', 'id,v\n1,a\n2,b\n');
    const b = bufferSource('b.csv', 'id,v\n1,a\n2,c\n');
    expect((await diffTable(a, b)).match).toEqual({ mode: 'key', key: 'id', guessed: true });
    const d = await diffTable(a, b, { key: null });
    expect(d.match).toEqual({ mode: 'row-hash', reason: 'rows are matched by their whole content, as asked' });
    expect(d.rowChanges).toEqual({ added: 1, removed: 1, changed: 0, unchanged: 1 });
  });

  it('falls back to whole-row hashes when the guessed key is not unique, pairing duplicates', async () => {
    const a = bufferSource('a.csv', 'id,v\n1,a\n1,a\n2,b\n3,c\n');
    const b = bufferSource('b.csv', 'id,v\n1,a\n2,B\n3,c\n3,c\n');
    const d = await diffTable(a, b);
    expect(d.match).toEqual({ mode: 'row-hash', reason: "the guessed key 'id' is not unique in a.csv" });
    // One of the two "1,a" rows is gone; "2,b" became "2,B" (removed + added); one "3,c" is new.
    expect(d.rowChanges).toEqual({ added: 2, removed: 2, changed: 0, unchanged: 2 });
    const page = await d.rows(0, 10);
    expect(page.rows.map((r) => [r.status, r.after ?? r.before])).toEqual([
      ['added', { id: '2', v: 'B' }],
      ['added', { id: '3', v: 'c' }],
      ['removed', { id: '1', v: 'a' }],
      ['removed', { id: '2', v: 'b' }],
    ]);
  });

  it('guesses id-like key columns by name', () => {
    expect(guessKeyColumn(['x', 'ID'], ['ID', 'x'])).toBe('ID');
    expect(guessKeyColumn(['user_id', 'v'], ['v', 'user_id'])).toBe('user_id');
    expect(guessKeyColumn(['userId'], ['userId'])).toBe('userId');
    expect(guessKeyColumn(['valid', 'paid'], ['valid', 'paid'])).toBeNull();
    expect(guessKeyColumn(['id'], ['other'])).toBeNull();
  });

  it('re-reads rows with quoted newlines, CRLF endings and a BOM exactly', async () => {
    const a = '\ufeffid,note,note\r\n1,"two\r\nlines, and a comma",x\r\n2,plain,y\r\n';
    const b = '\ufeffid,note,note\r\n1,"two\r\nlines, and a comma!",x\r\n2,plain,y\r\n';
    const d = await diffTable(bufferSource('q.csv', a), bufferSource('q.csv', b));
    expect(d.columns.after.map((c) => c.name)).toEqual(['id', 'note', 'note (2)']);
    expect(d.rowChanges).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 1 });
    expect((await d.rows(0, 1)).rows[0]).toMatchObject({
      key: '1',
      before: { id: '1', note: 'two\r\nlines, and a comma', 'note (2)': 'x' },
      after: { id: '1', note: 'two\r\nlines, and a comma!', 'note (2)': 'x' },
      changedColumns: ['note'],
    });
  });

  it('an added file is all added rows', async () => {
    const d = await diffTable(null, bufferSource('n.tsv', 'a\tb\n1\t"x\n2\ty\n'));
    expect(d.format).toBe('tsv');
    expect(d.before).toBeNull();
    expect(d.rowChanges).toEqual({ added: 2, removed: 0, changed: 0, unchanged: 0 });
    expect((await d.rows(0, 5)).rows.map((r) => r.after)).toEqual([{ a: '1', b: '"x' }, { a: '2', b: 'y' }]);
  });
});

describe('diffTable: JSON Lines', () => {
  it('takes keys as columns, typed, and re-reads changed rows', async () => {
    const a = ['{"id": 1, "x": 1.5, "tags": ["a"]}', '{"id": 2, "x": 2}', '', '{"id": 3, "x": 3}'].join('\n');
    const b = ['{"id": 1, "x": 1.5, "tags": ["a"]}', '{"id": 2, "x": "2"}', '{"id": 4, "x": 4, "extra": true}'].join('\r\n');
    const d = await diffTable(bufferSource('r.jsonl', a), bufferSource('r.jsonl', b));
    expect(d.columns.before).toEqual([{ name: 'id', type: 'integer' }, { name: 'x', type: 'number' }, { name: 'tags', type: 'json' }]);
    expect(d.columns.after.map((c) => c.name)).toEqual(['id', 'x', 'tags', 'extra']);
    expect(d.schema.typeChanged).toEqual([{ name: 'x', before: 'number', after: 'string' }]);
    expect(d.schema.added).toEqual([{ name: 'extra', type: 'boolean' }]);
    expect(d.rowChanges).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    const page = await d.rows(0, 10);
    expect(page.rows).toEqual([
      { status: 'changed', key: '2', rowNumber: { before: 2, after: 2 }, before: { id: 2, x: 2 }, after: { id: 2, x: '2' }, changedColumns: ['x'] },
      { status: 'added', key: '4', rowNumber: { before: null, after: 3 }, before: null, after: { id: 4, x: 4, extra: true }, changedColumns: [] },
      { status: 'removed', key: '3', rowNumber: { before: 3, after: null }, before: { id: 3, x: 3 }, after: null, changedColumns: [] },
    ]);
  });

  it('names the line of malformed JSON', async () => {
    await expect(diffTable(bufferSource('r.jsonl', '{"a":1}\n{"a":\n'), bufferSource('r.jsonl', '{"a":1}\n'))).rejects.toThrow(/^r\.jsonl line 2 is not valid JSON/);
  });
});

describe('diffTable: Parquet', () => {
  it('reads schema types and rows by row group, and re-reads a window of changed rows', async () => {
    const dir = tempDir();
    const n = 5_000;
    const write = async (file: string, change: (i: number) => number) => {
      const ids = Array.from({ length: n }, (_, i) => BigInt(i));
      const buf = parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ids, type: 'INT64' },
          { name: 'label', data: Array.from({ length: n }, (_, i) => `l${i % 7}`), type: 'STRING' },
          { name: 'score', data: Float64Array.from({ length: n }, (_, i) => change(i)), type: 'DOUBLE' },
        ],
        rowGroupSize: 1_000,
      });
      await writeFile(file, Buffer.from(buf));
    };
    await write(path.join(dir, 'a.parquet'), (i) => i / 2);
    await write(path.join(dir, 'b.parquet'), (i) => (i % 500 === 0 ? i / 2 + 1 : i / 2));
    const d = await diffTable(path.join(dir, 'a.parquet'), path.join(dir, 'b.parquet'));
    expect(d.format).toBe('parquet');
    expect(d.columns.before).toEqual([{ name: 'id', type: 'integer' }, { name: 'label', type: 'string' }, { name: 'score', type: 'number' }]);
    expect(d.match).toMatchObject({ mode: 'key', key: 'id' });
    expect(d.rowChanges).toEqual({ added: 0, removed: 0, changed: 10, unchanged: n - 10 });
    expect(d.stats.find((s) => s.name === 'score')!.before).toEqual({ count: n, nulls: 0, min: 0, max: (n - 1) / 2, mean: (n - 1) / 4 });
    const page = await d.rows(3, 3);
    expect(page.rows.map((r) => [r.key, r.before!.score, r.after!.score])).toEqual([
      ['1500', 750, 751],
      ['2000', 1000, 1001],
      ['2500', 1250, 1251],
    ]);
  });

  it('samples the leading rows of a file over the limit and reports the whole row count', async () => {
    const n = 4_000;
    const buf = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: Int32Array.from({ length: n }, (_, i) => i), type: 'INT32' },
          { name: 'v', data: Float64Array.from({ length: n }, (_, i) => i), type: 'DOUBLE' },
        ],
        rowGroupSize: 500,
      }),
    );
    const d = await diffTable(bufferSource('s.parquet', buf), bufferSource('s.parquet', buf), { limitBytes: Math.floor(buf.length / 4) });
    const expected = Math.floor((n * Math.floor(buf.length / 4)) / buf.length);
    expect(d.rowCount).toEqual({ before: expected, after: expected });
    expect(d.totalRows).toEqual({ before: n, after: n });
    expect(d.sampled).toEqual({ limitBytes: Math.floor(buf.length / 4), rowsRead: { before: expected, after: expected } });
    expect(d.rowChanges).toEqual({ added: 0, removed: 0, changed: 0, unchanged: expected });
  });

  it('rejects a file that is not Parquet with a ValidationError', async () => {
    await expect(diffTable(bufferSource('x.parquet', 'not parquet at all'), bufferSource('x.parquet', 'PAR1'))).rejects.toThrow(/^x\.parquet is not a valid Parquet file/);
  });
});

describe('diffTable: limits, bad input, cancellation', () => {
  it('compares only the leading rows of a file over the limit and says so', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i},${i * 2}`);
    const a = bufferSource('s.csv', `id,v\n${rows.join('\n')}\n`);
    const b = bufferSource('s.csv', `id,v\n${rows.map((r, i) => (i === 3 ? '3,7' : r)).join('\n')}\n`);
    const d = await diffTable(a, b, { limitBytes: 1000 });
    // Rows are ~6-8 bytes: those that end within the first 1000 bytes.
    expect(d.sampled).not.toBeNull();
    expect(d.sampled!.limitBytes).toBe(1000);
    expect(d.sampled!.rowsRead.before).toBe(d.rowCount.before);
    expect(d.rowCount.before).toBeGreaterThan(100);
    expect(d.rowCount.before).toBeLessThan(200);
    expect(d.rowChanges.changed).toBe(1);
  });

  it('reports malformed CSV as a ValidationError naming the file', async () => {
    const bad = bufferSource('bad.csv', 'a,b\n1,"unterminated\n');
    await expect(diffTable(bad, bufferSource('bad.csv', 'a,b\n'))).rejects.toThrow(ValidationError);
    await expect(diffTable(bad, bufferSource('bad.csv', 'a,b\n'))).rejects.toThrow(/^bad\.csv is not valid CSV: Quote Not Closed/);
  });

  it('stops a running diff when the signal aborts', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.csv');
    await writeCsv(a, HEADER, 300_000, (i) => row(i));
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    await expect(diffTable(a, a, { signal: controller.signal })).rejects.toThrow(CancelledError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
