import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PNG } from 'pngjs';
import { stringify } from 'yaml';
import { CancelledError, ValidationError } from '../../../src/core/errors';
import { ContentDiffWorker, diffContent, fileSource, type RemoteTableDiff, type TableDiff } from '../../../src/content/index';
import { tempDir } from '../../support/tmp';

// The worker runs a bundle of src/content/worker.ts, as the extension will (dist/content-worker.js).
let bundleDir: string;
let workerFile: string;

beforeAll(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'artifacts-content-worker-'));
  workerFile = path.join(bundleDir, 'content-worker.js');
  await build({ entryPoints: [path.resolve(__dirname, '../../../src/content/worker.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: workerFile, logLevel: 'silent' });
});

afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/** The longest time the event loop of this thread went without running a timer while `work` ran. */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  await work();
  clearInterval(timer);
  return Math.max(worst, performance.now() - last);
}

describe('ContentDiffWorker', () => {
  it('returns the same table diff as diffContent, with rows read in the worker', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},v${i}`);
    await writeFile(path.join(dir, 'a'), `id,v\n${rows.join('\n')}\n`);
    await writeFile(path.join(dir, 'b'), `id,v\n${rows.map((r, i) => (i % 1000 === 3 ? `${i},w` : r)).join('\n')}\n`);
    const before = { path: path.join(dir, 'a'), name: 'data/t.csv' };
    const after = { path: path.join(dir, 'b'), name: 'data/t.csv' };
    const worker = new ContentDiffWorker(workerFile);
    try {
      const remote = (await worker.diff(before, after)) as RemoteTableDiff;
      const local = (await diffContent(await fileSource(before.path, before.name), await fileSource(after.path, after.name))) as TableDiff;
      expect(remote.kind).toBe('table');
      expect(remote.rowChanges).toEqual({ added: 0, removed: 0, changed: 5, unchanged: 4995 });
      expect(JSON.parse(JSON.stringify(remote))).toEqual(JSON.parse(JSON.stringify(local)));
      const page = await remote.rows(1, 2);
      expect(page).toEqual(await local.rows(1, 2));
      expect(page.rows.map((r) => [r.key, r.before!.v, r.after!.v])).toEqual([['1003', 'v1003', 'w'], ['2003', 'v2003', 'w']]);
      remote.release();
      await expect(remote.rows(0, 1)).rejects.toThrow('table diff 1 was released');
    } finally {
      await worker.dispose();
    }
  });

  it('keeps the calling thread responsive while a large YAML file is compared', async () => {
    const dir = tempDir();
    const doc = (d: number) => ({ items: Array.from({ length: 5_000 }, (_, i) => ({ id: i, v: i % 100 === 7 ? i + d : i, name: `n${i}` })) });
    await writeFile(path.join(dir, 'a.yaml'), stringify(doc(0)));
    await writeFile(path.join(dir, 'b.yaml'), stringify(doc(1)));
    const worker = new ContentDiffWorker(workerFile);
    try {
      let remote: unknown;
      const blockedInWorker = await longestBlock(async () => (remote = await worker.diff(path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'))));
      let local: unknown;
      const blockedInThread = await longestBlock(async () => (local = await diffContent(path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml'))));
      expect(remote).toEqual(local);
      expect((remote as { counts: { changed: number } }).counts.changed).toBe(50);
      // The YAML parser holds a thread for the whole document: here, not there.
      expect(blockedInWorker).toBeLessThan(150);
      expect(blockedInThread).toBeGreaterThan(blockedInWorker);
    } finally {
      await worker.dispose();
    }
  });

  it('compares a folder of images in the worker: changed pairs with their pixel counts and thumbnails', async () => {
    const dir = tempDir();
    const png = (w: number, h: number, changed: number): Buffer => {
      const p = new PNG({ width: w, height: h });
      p.data.fill(128);
      for (let i = 0; i < changed; i++) p.data[i * 4] = 0;
      return PNG.sync.write(p);
    };
    await writeFile(path.join(dir, 'a1.png'), png(8, 8, 0));
    await writeFile(path.join(dir, 'b1.png'), png(8, 8, 5));
    await writeFile(path.join(dir, 'same.png'), png(8, 8, 0));
    await writeFile(path.join(dir, 'new.png'), png(4, 4, 0));
    const worker = new ContentDiffWorker(workerFile);
    try {
      const d = await worker.imageFolder(
        [
          { path: 'img/1.png', before: path.join(dir, 'a1.png'), after: path.join(dir, 'b1.png') },
          { path: 'img/2.png', before: path.join(dir, 'same.png'), after: path.join(dir, 'a1.png') },
          { path: 'img/3.png', before: null, after: path.join(dir, 'new.png') },
        ],
        { thumbnailSize: 4 },
      );
      expect(d.unchanged).toBe(1);
      expect(d.changed.map((c) => [c.path, c.status, c.changedPixels])).toEqual([
        ['img/1.png', 'modified', 5],
        ['img/3.png', 'added', null],
      ]);
      expect(d.changed[0]!.after).toMatchObject({ width: 8, height: 8 });
      expect(PNG.sync.read(Buffer.from(d.changed[0]!.after!.thumbnailBase64!, 'base64')).width).toBe(4);
      const controller = new AbortController();
      controller.abort();
      await expect(worker.imageFolder([], { signal: controller.signal })).rejects.toThrow(CancelledError);
    } finally {
      await worker.dispose();
    }
  });

  it('passes on ValidationError and NotFoundError, and cancels on abort', async () => {
    const dir = tempDir();
    await writeFile(path.join(dir, 'bad.json'), '{"a": ');
    const worker = new ContentDiffWorker(workerFile);
    try {
      const bad = worker.diff(path.join(dir, 'bad.json'), null);
      await expect(bad).rejects.toThrow(ValidationError);
      await expect(worker.diff(path.join(dir, 'bad.json'), null)).rejects.toThrow(/^bad\.json is not valid JSON/);
      await expect(worker.diff(path.join(dir, 'none.csv'), null)).rejects.toThrow(/^No such file/);
      const rows = Array.from({ length: 300_000 }, (_, i) => `${i},${i * 3},text ${i}`).join('\n');
      await writeFile(path.join(dir, 'big.csv'), `id,a,b\n${rows}\n`);
      const controller = new AbortController();
      const pending = worker.diff(path.join(dir, 'big.csv'), path.join(dir, 'big.csv'), { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await expect(pending).rejects.toThrow(CancelledError);
      // The worker is still there for the next request.
      expect((await worker.diff({ path: path.join(dir, 'bad.json'), name: 'x.txt' }, null)).kind).toBe('text');
    } finally {
      await worker.dispose();
    }
  });
});
