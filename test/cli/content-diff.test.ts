/**
 * `artifacts diff A B|DIR --content PATH`, against the built binary and real registries: tables,
 * JSON/YAML, images, image folders and safetensors made by the test; the --max-changed gate; exit
 * codes; and the metadata section of the plain `diff`.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

function csv(rows: number, edit: (i: number) => string | null = (i) => `${i},item-${i},${i % 7}`): string {
  const lines = ['id,name,qty'];
  for (let i = 1; i <= rows; i++) {
    const line = edit(i);
    if (line !== null) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** A 20×10 grey PNG with the first `changed` pixels (row-major) turned black. */
function png(changed = 0, width = 20, height = 10): Buffer {
  const p = new PNG({ width, height });
  p.data.fill(180);
  for (let i = 0; i < changed; i++) p.data.fill(0, i * 4, i * 4 + 3);
  return PNG.sync.write(p);
}

/** A safetensors file: 8-byte header length, JSON header, then the tensors' bytes. */
function safetensors(tensors: Record<string, { dtype: string; shape: number[]; fill: number }>): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = Buffer.alloc(t.shape.reduce((n, d) => n * d, 1) * (t.dtype === 'F16' ? 2 : 4), t.fill);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, Buffer.from(json), ...parts]);
}

/** Two versions of a dataset: 1,000 rows with 3 changed, 2 removed, 4 added; a config; images; weights. */
async function setup() {
  const reg = tempDir();
  const cli = cliIn(reg);
  const data = tempDir();
  await writeTree(data, {
    'tables/items.csv': csv(1000),
    'config.json': JSON.stringify({ training: { lr: 0.001, epochs: 10 }, labels: ['cat', 'dog'] }),
    'params.yaml': 'seed: 1\nmodel:\n  depth: 4\n',
    'photos/a.png': png(),
    'photos/b.png': png(),
    'photos/gone.png': png(),
    'model.safetensors': safetensors({ 'body.weight': { dtype: 'F32', shape: [4, 3], fill: 1 }, 'head.bias': { dtype: 'F32', shape: [3], fill: 0 } }),
    'README.md': '# data\n',
  });
  await cli.ok(['log', data, '--name', 'ds', '--type', 'dataset', '--metadata', JSON.stringify({ accuracy: 0.91, rows: 1000 }), '--description', 'first cut', '--alias', 'raw']);
  await fsp.rm(path.join(data, 'photos', 'gone.png'));
  await writeTree(data, {
    'tables/items.csv': csv(1004, (i) => (i === 10 || i === 20 ? null : i === 5 || i === 6 || i === 7 ? `${i},renamed-${i},${i % 7}` : `${i},item-${i},${i % 7}`)),
    'config.json': JSON.stringify({ training: { lr: 0.0005, epochs: 10, warmup: 2 }, labels: ['cat', 'dog', 'cow'] }),
    'params.yaml': 'seed: 2\nmodel:\n  depth: 4\n',
    'photos/b.png': png(37),
    'photos/new.png': png(),
    'model.safetensors': safetensors({ 'body.weight': { dtype: 'F32', shape: [4, 5], fill: 1 }, 'head.bias': { dtype: 'F32', shape: [3], fill: 2 }, 'head.weight': { dtype: 'F16', shape: [2, 3], fill: 0 } }),
  });
  await cli.ok(['log', data, '--name', 'ds', '--type', 'dataset', '--metadata', JSON.stringify({ accuracy: 0.93, rows: 1002, source: 'v2' }), '--tag', 'reviewed']);
  return { reg, cli, data };
}

describe('diff --content: tables', () => {
  it('prints the row changes, schema and first changed rows of a keyed CSV, exit 1', async () => {
    const { cli } = await setup();
    const r = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'tables/items.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/^--- alice\/demo\/ds:v0 tables\/items\.csv\n\+\+\+ alice\/demo\/ds:v1 tables\/items\.csv\n/);
    expect(out).toContain("table (csv): 1,000 → 1,002 rows; rows matched by key 'id' (guessed)");
    expect(out).toContain('rows: 4 added, 2 removed, 3 changed, 995 unchanged (0.898% of rows)');
    expect(out).toContain('changed cells: name 3');
    expect(out).toContain('  ~ 5  name: item-5 → renamed-5');
    expect(out).toContain('  + 1001  id=1001, name=item-1001, qty=0');
    expect(out).toContain('  - 10  id=10, name=item-10, qty=3');
    expect(out).toMatch(/changed rows \(9\):/);
  });

  it('--json carries the summary and a first window of changed rows', async () => {
    const { cli } = await setup();
    const r = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'tables/items.csv', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ before: 'alice/demo/ds:v0', after: 'alice/demo/ds:v1', path: 'tables/items.csv', changed: true });
    expect(j.diff).toMatchObject({ kind: 'table', rowCount: { before: 1000, after: 1002 }, rowChanges: { added: 4, removed: 2, changed: 3, unchanged: 995 }, match: { mode: 'key', key: 'id' } });
    expect(j.rows.total).toBe(9);
    expect(j.rows.rows[0]).toMatchObject({ status: 'changed', key: '5', changedColumns: ['name'], before: { name: 'item-5' }, after: { name: 'renamed-5' } });
  });

  it('--max-changed gates on the fraction of rows: within it exits 0, over it exits 1 with one line on stderr', async () => {
    const { cli } = await setup();
    const within = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'tables/items.csv', '--max-changed', '1%']);
    expect(within.code).toBe(0);
    expect(within.stdout).toMatch(/0\.898% of rows changed, within the 1% allowed$/m);
    const over = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'tables/items.csv', '--max-changed', '0.005']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('artifacts: 0.898% of rows changed, more than the 0.5% allowed\n');
    const json = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'tables/items.csv', '--max-changed', '0.005', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).budget).toMatchObject({ ok: false, fraction: 9 / 1002 });
  });

  it('--key matches rows by the chosen column', async () => {
    const { cli } = await setup();
    const j = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'tables/items.csv', '--key', 'name', '--json']);
    const d = JSON.parse(j.stdout).diff;
    expect(d.match).toEqual({ mode: 'key', key: 'name', guessed: false });
    // Renamed rows no longer match by name: each is one removed and one added row.
    expect(d.rowChanges).toEqual({ added: 7, removed: 5, changed: 0, unchanged: 995 });
  });

  it('compares a version with a folder, and exits 0 when the table is the same', async () => {
    const { cli, data } = await setup();
    const same = await cli.run(['diff', 'ds:v1', data, '--content', 'tables/items.csv']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`+++ ${data} tables/items.csv`);
    expect(same.stdout).toContain('rows: 0 added, 0 removed, 0 changed, 1,002 unchanged (0% of rows)');
    await fsp.writeFile(path.join(data, 'tables', 'items.csv'), csv(1002, (i) => (i === 10 || i === 20 ? null : `${i},item-${i},${i === 3 ? 99 : i % 7}`)));
    const changed = await cli.run(['diff', 'ds:v1', data, '--content', 'tables/items.csv', '--json']);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).diff.rowChanges).toEqual({ added: 0, removed: 2, changed: 4, unchanged: 996 });
  });

  it('reads Parquet written by the test', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const reg = tempDir();
    const cli = cliIn(reg);
    const data = tempDir();
    const table = (v: number[]) => Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'id', data: [1, 2, 3], type: 'INT32' }, { name: 'score', data: v, type: 'DOUBLE' }] }));
    await writeTree(data, { 't.parquet': table([0.5, 0.6, 0.7]) });
    await cli.ok(['log', data, '--name', 'pq', '--type', 'dataset']);
    await writeTree(data, { 't.parquet': table([0.5, 0.65, 0.7]) });
    await cli.ok(['log', data, '--name', 'pq', '--type', 'dataset']);
    const r = await cli.run(['diff', 'pq:v0', 'pq:v1', '--content', 't.parquet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('table (parquet): 3 → 3 rows');
    expect(r.stdout).toContain('  ~ 2  score: 0.6 → 0.65');
  });
});

describe('diff --content: JSON, YAML, images, weights, text', () => {
  it('JSON and YAML by key path, with numeric deltas and array summaries', async () => {
    const { cli } = await setup();
    const json = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'config.json']);
    expect(json.code).toBe(1);
    expect(json.stdout).toContain('json: 2 added, 0 removed, 1 changed');
    expect(json.stdout).toContain('  ~ training.lr: 0.001 → 0.0005 (-0.0005)');
    expect(json.stdout).toContain('  + training.warmup: 2');
    expect(json.stdout).toContain('  + labels[2]: "cow"');
    expect(json.stdout).toContain('  [] labels: 2 → 3 elements, 1 changed');
    const yaml = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'params.yaml', '--json']);
    expect(JSON.parse(yaml.stdout).diff).toMatchObject({ kind: 'structured', format: 'yaml', changes: [{ path: 'seed', kind: 'changed', before: 1, after: 2, delta: 1 }] });
  });

  it('an image: the changed pixels; a folder of images: each changed pair', async () => {
    const { cli } = await setup();
    const one = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'photos/b.png']);
    expect(one.code).toBe(1);
    expect(one.stdout).toContain('image: png 20×10 → png 20×10');
    expect(one.stdout).toContain('37 of 200 pixels changed (18.5%) within x 0, y 0, 20×2');
    const folder = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'photos']);
    expect(folder.code).toBe(1);
    expect(folder.stdout).toContain('images under photos/: 1 changed, 1 added, 1 removed, 1 unchanged');
    expect(folder.stdout).toContain('  M photos/b.png  37 pixels changed (18.5%)');
    expect(folder.stdout).toMatch(/ {2}D photos\/gone\.png\n {2}A photos\/new\.png\n$/);
    const gate = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'photos/', '--max-changed', '0.5', '--json']);
    expect(gate.code).toBe(1);
    expect(JSON.parse(gate.stdout).budget).toMatchObject({ ok: false, fraction: 0.75 });
  });

  it('safetensors: tensors added and reshaped, values changed, parameter counts', async () => {
    const { cli } = await setup();
    const r = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'model.safetensors']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('weights (safetensors): 2 → 3 tensors; parameters 15 → 29 (+14)');
    expect(r.stdout).toContain('  + head.weight  F16 [2, 3]  6 parameters');
    expect(r.stdout).toContain('  ~ body.weight  F32 [4, 3] → F32 [4, 5]');
    expect(r.stdout).toContain('  * head.bias  values changed');
  });

  it('text files: says whether they differ; an unchanged file exits 0', async () => {
    const { cli } = await setup();
    const r = await cli.run(['diff', 'ds:v0', 'ds:v1', '--content', 'README.md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('text: 7 B → 7 B; the contents are the same');
  });
});

describe('diff --content: bad input exits 2 with one line', () => {
  it.each([
    [['--content', 'nope.csv'], /^artifacts: error: Neither alice\/demo\/ds:v0 nor alice\/demo\/ds:v1 has a file nope\.csv \(or images under nope\.csv\/\)\n$/],
    [['--content', '../x.csv'], /^artifacts: error: Invalid --content path '\.\.\/x\.csv'/],
    [['--content', 'tables/items.csv', '--max-changed', '2'], /^artifacts: error: Invalid --max-changed '2': use a fraction from 0 to 1 \(0\.01\) or a percentage \(1%\)\n$/],
    [['--content', 'config.json', '--key', 'id'], /^artifacts: error: --key applies to tables/],
    [['--key', 'id'], /^artifacts: error: --key needs --content PATH/],
    [['--content', 'tables/items.csv', '--key', 'price'], /^artifacts: error: Key column 'price' is not in tables\/items\.csv \(its columns: id, name, qty\)\n$/],
  ])('%j', async (args, stderr) => {
    const { cli } = await setup();
    const r = await cli.run(['diff', 'ds:v0', 'ds:v1', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a malformed file', async () => {
    const reg = tempDir();
    const cli = cliIn(reg);
    const data = tempDir();
    await writeTree(data, { 'c.json': '{"a": 1}', 't.csv': 'a,b\n1,2\n' });
    await cli.ok(['log', data, '--name', 'bad', '--type', 'dataset']);
    await writeTree(data, { 'c.json': '{"a": ', 't.csv': 'a,b\n1,"2\n' });
    await cli.ok(['log', data, '--name', 'bad', '--type', 'dataset']);
    const json = await cli.run(['diff', 'bad:v0', 'bad:v1', '--content', 'c.json']);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^artifacts: error: c\.json is not valid JSON: .*\n$/);
    const table = await cli.run(['diff', 'bad:v0', 'bad:v1', '--content', 't.csv']);
    expect(table.code).toBe(2);
    expect(table.stderr).toMatch(/^artifacts: error: .*t\.csv.*\n$/);
  });
});

describe('diff: the version metadata', () => {
  it('lists metadata by key path with deltas, the description, aliases, tags and TTL after the files', async () => {
    const { cli } = await setup();
    await cli.ok(['ttl', 'ds:v1', '30d']);
    const r = await cli.run(['diff', 'ds:v0', 'ds:v1']);
    expect(r.code).toBe(1);
    const tail = r.stdout.slice(r.stdout.indexOf('\nmetadata:') + 1);
    expect(tail).toBe(
      [
        'metadata: 1 added, 0 removed, 2 changed',
        '  ~ accuracy: 0.91 → 0.93 (+0.02)',
        '  ~ rows: 1000 → 1002 (+2)',
        '  + source: "v2"',
        'description: "first cut" → null',
        'aliases: +latest -raw',
        'tags: +reviewed',
        'ttl: inherit → 30d',
        '',
      ].join('\n'),
    );
    // Nothing about metadata between a version and itself, or a folder.
    expect((await cli.run(['diff', 'ds:v1', 'ds:v1'])).stdout).not.toContain('metadata');
  });
});
