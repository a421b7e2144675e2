/**
 * The compare panel's content session on real parts: a registry in a temp folder with two logged
 * versions (a table, a JSON file, images, weights, text), the content diff worker bundled from
 * src/content/worker.ts, and real temp files for the page. No vscode: the session posts messages
 * the page would get.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentDiffWorker } from '../../../src/content/worker-client';
import { Registry } from '../../../src/registry/registry';
import { CompareFiles } from '../../../src/extension/content/compare-files';
import { ComparedSides, type CompareTarget } from '../../../src/extension/content/compared-sides';
import { ContentSession } from '../../../src/extension/content/content-session';
import type { ContentView, HostMessage } from '../../../src/extension/webview/diff-protocol';
import { DiffTable } from '../../../src/extension/webview/diff-table';
import { tempDir, writeTree } from '../../support/tmp';

let bundleDir: string;
let worker: ContentDiffWorker;

beforeAll(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'artifacts-session-worker-'));
  const workerFile = path.join(bundleDir, 'content-worker.js');
  await build({ entryPoints: [path.resolve(__dirname, '../../../src/content/worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: workerFile, logLevel: 'silent' });
  worker = new ContentDiffWorker(workerFile);
});

afterAll(async () => {
  await worker.dispose();
  rmSync(bundleDir, { recursive: true, force: true });
});

function png(changed: number, width = 16, height = 8): Buffer {
  const p = new PNG({ width, height });
  p.data.fill(200);
  for (let i = 0; i < changed; i++) p.data.fill(0, i * 4, i * 4 + 3);
  return PNG.sync.write(p);
}

const rowsCsv = (n: number, edit: (i: number) => string | null = (i) => `${i},n${i},${i * 2}`) =>
  `id,name,value\n${Array.from({ length: n }, (_, i) => edit(i)).filter((l) => l !== null).join('\n')}\n`;

async function setup() {
  const root = tempDir();
  const registry = new Registry({ root: path.join(root, 'registry'), entity: 'e', project: 'p' });
  const data = path.join(root, 'data');
  const log = async () => {
    const draft = registry.newArtifact('ds', 'dataset');
    await draft.addDir(data);
    return (await registry.log(draft)).artifact.qualifiedName;
  };
  await writeTree(data, { 't.csv': rowsCsv(100), 'c.json': '{"a": 1, "b": [1, 2]}', 'img/x.png': png(0), 'img/y.png': png(0), 'notes.md': 'one\n', 'bad.json': '{}' });
  const v0 = await log();
  await writeTree(data, { 't.csv': rowsCsv(101, (i) => (i === 5 ? null : i === 7 ? `7,seven,14` : `${i},n${i},${i * 2}`)), 'c.json': '{"a": 2, "b": [1, 2, 3]}', 'img/x.png': png(9), 'img/new.png': png(0), 'notes.md': 'two\n', 'bad.json': '{"x": ' });
  await rm(path.join(data, 'img', 'y.png'));
  const v1 = await log();
  return { root, registry, data, v0, v1 };
}

async function session(s: Awaited<ReturnType<typeof setup>>, after: CompareTarget, limitBytes = 256 * 1024 * 1024) {
  const files = new CompareFiles(s.root);
  const table = new DiffTable(await s.registry.diff(s.v0, 'version' in after ? after.version : after), { afterIsFolder: 'folder' in after });
  const posted: HostMessage[] = [];
  const opened: string[] = [];
  const errors: unknown[] = [];
  const content = new ContentSession({
    worker,
    sides: new ComparedSides(s.registry, s.v0, after, files),
    files,
    table,
    limitBytes: () => limitBytes,
    toUri: (f) => `uri:${f}`,
    post: (m) => posted.push(m),
    openTextDiff: async (p) => void opened.push(p),
    logError: (_doing, e) => errors.push(e),
  });
  const last = <T extends HostMessage['type']>(type: T) => posted.filter((m) => m.type === type).pop() as Extract<HostMessage, { type: T }> | undefined;
  const view = <K extends ContentView['kind']>(kind: K) => {
    const m = last('content');
    expect(m?.view.kind).toBe(kind);
    return m!.view as Extract<ContentView, { kind: K }>;
  };
  return { files, table, posted, opened, errors, content, last, view };
}

const fileOf = (uri: string | null | undefined): string => {
  expect(uri).toMatch(/^uri:/);
  return uri!.slice(4);
};

describe('ContentSession', () => {
  it('shows a table diff and pages its changed rows from the worker; a new key re-runs it', async () => {
    const s = await setup();
    const t = await session(s, { version: s.v1 });
    await t.content.select('t.csv');
    expect(t.posted[0]).toMatchObject({ type: 'contentStarted', path: 't.csv', generation: 1, limitBytes: 256 * 1024 * 1024 });
    const table = t.view('table');
    expect(table.summary).toMatchObject({ rowChanges: { added: 1, removed: 1, changed: 1, unchanged: 98 }, match: { mode: 'key', key: 'id', guessed: true } });
    expect(table.keyChoices).toEqual(['id', 'name', 'value']);
    await t.content.rows({ generation: 1, offset: 0, limit: 10, status: 'all', column: null, seq: 1 });
    expect(t.last('contentRows')?.page.rows.map((r) => [r.status, r.key])).toEqual([
      ['changed', '7'],
      ['added', '100'],
      ['removed', '5'],
    ]);
    await t.content.rows({ generation: 1, offset: 0, limit: 10, status: 'changed', column: 'name', seq: 2 });
    expect(t.last('contentRows')).toMatchObject({ seq: 2, page: { total: 1, rows: [{ before: { name: 'n7' }, after: { name: 'seven' } }] } });

    await t.content.select('t.csv', null);
    expect(t.view('table').summary.match.mode).toBe('row-hash');
    expect(t.view('table').summary.rowChanges).toEqual({ added: 2, removed: 2, changed: 0, unchanged: 98 });
    // A window of the table shown before is not answered any more.
    const count = t.posted.length;
    await t.content.rows({ generation: 1, offset: 0, limit: 10, status: 'all', column: null, seq: 3 });
    expect(t.posted).toHaveLength(count);
    expect(t.errors).toEqual([]);
  });

  it('shows an image diff with copies of both images and the mask in the served folder', async () => {
    const s = await setup();
    const t = await session(s, { version: s.v1 });
    await t.content.select('img/x.png');
    const image = t.view('image');
    expect(image.diff).toMatchObject({ compared: true, changedPixels: 9, width: 16, height: 8 });
    expect('mask' in image.diff).toBe(false);
    for (const uri of [image.before, image.after, image.mask]) {
      const file = fileOf(uri);
      expect(path.dirname(file)).toBe(t.files.served);
      expect(file).toMatch(/\.png$/);
      expect(PNG.sync.read(readFileSync(file)).width).toBe(16);
    }
    // A removed image: only its before side.
    await t.content.select('img/y.png');
    const removed = t.view('image');
    expect(removed).toMatchObject({ after: null, mask: null, diff: { compared: false, reason: 'the image was removed' } });
    expect(existsSync(fileOf(removed.before))).toBe(true);
    await t.files.dispose();
    expect(existsSync(t.files.root)).toBe(false);
  });

  it('shows the grid of changed images with thumbnails', async () => {
    const s = await setup();
    const t = await session(s, { version: s.v1 });
    await t.content.imageGrid('');
    const grid = t.view('imageFolder');
    expect(grid.pairs).toBe(3);
    expect(grid.diff.changed.map((c) => [c.path, c.status, c.changedPixels])).toEqual([
      ['img/new.png', 'added', null],
      ['img/x.png', 'modified', 9],
      ['img/y.png', 'removed', null],
    ]);
    const x = grid.diff.changed[1]!;
    expect(PNG.sync.read(readFileSync(fileOf(x.after!.uri))).width).toBe(16);
    expect(x.before).toMatchObject({ width: 16, height: 8 });
    await t.content.imageGrid('new');
    expect(t.view('imageFolder').diff.changed.map((c) => c.path)).toEqual(['img/new.png']);
  });

  it('opens text in the editor, shows JSON by key path, and reports a malformed file as a message', async () => {
    const s = await setup();
    const t = await session(s, { version: s.v1 });
    await t.content.select('notes.md');
    expect(t.opened).toEqual(['notes.md']);
    expect(t.view('text')).toMatchObject({ before: { size: 4 }, after: { size: 4 } });
    await t.content.select('c.json');
    expect(t.view('structured').diff).toMatchObject({ counts: { added: 1, removed: 0, changed: 1 }, changes: [{ path: 'a', before: 1, after: 2, delta: 1 }, { path: 'b[2]', kind: 'added' }] });
    await t.content.select('bad.json');
    expect(t.last('contentError')).toMatchObject({ path: 'bad.json', message: expect.stringMatching(/^bad\.json is not valid JSON/) });
    expect(t.errors).toEqual([]);
  });

  it('compares a version with a folder, within the configured limit', async () => {
    const s = await setup();
    await writeFile(path.join(s.data, 't.csv'), rowsCsv(100, (i) => `${i},n${i},${i === 3 ? 0 : i * 2}`));
    const t = await session(s, { folder: s.data }, 60);
    await t.content.select('t.csv');
    const table = t.view('table');
    expect(table.summary.sampled).toMatchObject({ limitBytes: 60 });
    expect(table.summary.rowCount.before).toBeLessThan(100);
    // Images over the limit are described, not copied.
    await t.content.select('img/x.png');
    expect(t.view('image')).toMatchObject({ before: null, after: null, diff: { compared: false } });
  });

  it('cancels the work on show when asked, and when a newer selection supersedes it', async () => {
    const s = await setup();
    await writeFile(path.join(s.data, 'big.csv'), rowsCsv(300_000));
    const t = await session(s, { folder: s.data });
    const first = t.content.select('big.csv');
    await new Promise((r) => setTimeout(r, 50));
    t.content.cancel();
    await first;
    expect(t.last('contentCancelled')).toMatchObject({ path: 'big.csv', generation: 1 });
    expect(t.last('content')).toBeUndefined();
    const superseded = t.content.select('big.csv');
    await new Promise((r) => setTimeout(r, 50));
    await t.content.select('c.json');
    await superseded;
    expect(t.posted.filter((m) => m.type === 'content').map((m) => (m as { path: string }).path)).toEqual(['c.json']);
  });
});
