import { describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { GifWriter } from 'omggif';
import { PNG } from 'pngjs';
import { CancelledError, ValidationError } from '../../../src/core/errors';
import { diffImage, diffImageFolder, imagePairsFromFolders } from '../../../src/content/image';
import { bufferSource } from '../../../src/content/source';
import { tempDir } from '../../support/tmp';

interface Img {
  width: number;
  height: number;
  data: Uint8Array;
}

function gradient(width: number, height: number): Img {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([(x * 4) & 255, (y * 4) & 255, (x + y) & 255, 255], i);
    }
  }
  return { width, height, data };
}

function withPixels(img: Img, pixels: [number, number, number[]][]): Img {
  const data = img.data.slice();
  for (const [x, y, rgba] of pixels) data.set(rgba, (y * img.width + x) * 4);
  return { ...img, data };
}

function png(img: Img, deflateLevel = 6): Buffer {
  const p = new PNG({ width: img.width, height: img.height });
  p.data = Buffer.from(img.data);
  return PNG.sync.write(p, { deflateLevel, filterType: deflateLevel === 1 ? 0 : -1 });
}

function maskPixels(base64: string): [number, number][] {
  const m = PNG.sync.read(Buffer.from(base64, 'base64'));
  const out: [number, number][] = [];
  for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (m.data[(y * m.width + x) * 4 + 3] === 255) out.push([x, y]);
  return out;
}

/** A 5×3 block set to white plus two pixels nudged by 3 in one channel. */
function edited(img: Img): Img {
  const block: [number, number, number[]][] = [];
  for (let y = 10; y < 13; y++) for (let x = 20; x < 25; x++) block.push([x, y, [255, 255, 255, 255]]);
  const i = (1 * img.width + 1) * 4;
  const j = (40 * img.width + 60) * 4;
  return withPixels(img, [...block, [1, 1, [img.data[i]! + 3, img.data[i + 1]!, img.data[i + 2]!, 255]], [60, 40, [img.data[j]!, img.data[j + 1]! + 3, img.data[j + 2]!, 255]]]);
}

describe('diffImage', () => {
  const base = gradient(64, 48);
  const after = edited(base);

  it('counts the changed pixels of two PNGs exactly, with their box and a mask', async () => {
    const d = await diffImage(bufferSource('a.png', png(base)), bufferSource('a.png', png(after)));
    expect(d.before).toMatchObject({ format: 'png', width: 64, height: 48 });
    expect(d.compared).toBe(true);
    expect(d.changedPixels).toBe(17);
    expect(d.changedFraction).toBe(17 / (64 * 48));
    expect(d.changedBox).toEqual({ x: 1, y: 1, width: 60, height: 40 });
    const masked = maskPixels(d.mask!.pngBase64);
    expect(masked).toHaveLength(17);
    expect(masked).toContainEqual([60, 40]);
    expect(masked).toContainEqual([24, 12]);
  });

  it('ignores differences within the per-channel tolerance', async () => {
    const d = await diffImage(bufferSource('a.png', png(base)), bufferSource('a.png', png(after)), { tolerance: 3 });
    expect(d.changedPixels).toBe(15);
    expect(d.changedBox).toEqual({ x: 20, y: 10, width: 5, height: 3 });
  });

  it('compares images of different sizes on the canvas holding both', async () => {
    const d = await diffImage(bufferSource('a.png', png(gradient(10, 10))), bufferSource('a.png', png(gradient(12, 10))));
    expect(d.before).toMatchObject({ width: 10, height: 10 });
    expect(d.after).toMatchObject({ width: 12, height: 10 });
    expect([d.width, d.height, d.changedPixels]).toEqual([12, 10, 20]);
  });

  it('treats two fully transparent pixels as equal whatever their colour', async () => {
    const a = withPixels(gradient(4, 4), [[0, 0, [1, 2, 3, 0]]]);
    const b = withPixels(gradient(4, 4), [[0, 0, [9, 9, 9, 0]]]);
    expect((await diffImage(bufferSource('t.png', png(a)), bufferSource('t.png', png(b)))).changedPixels).toBe(0);
  });

  it('decodes GIF (first frame) and reports its frames', async () => {
    const gif = (pixels: number[]): Buffer => {
      const buf = Buffer.alloc(4096);
      const w = new GifWriter(buf, 8, 8, { palette: [0x000000, 0xff0000, 0x00ff00, 0x0000ff], loop: 0 });
      w.addFrame(0, 0, 8, 8, pixels);
      w.addFrame(0, 0, 8, 8, pixels);
      return buf.subarray(0, w.end());
    };
    const a = Array.from({ length: 64 }, (_, i) => i % 4);
    const b = a.map((v, i) => (i === 9 || i === 63 ? (v + 1) % 4 : v));
    const d = await diffImage(bufferSource('g.gif', gif(a)), bufferSource('g.gif', gif(b)));
    expect(d.before).toMatchObject({ format: 'gif', width: 8, height: 8, frames: 2 });
    expect(d.changedPixels).toBe(2);
    expect(d.changedBox).toEqual({ x: 1, y: 1, width: 7, height: 7 });
  });

  it('decodes JPEG: same pixels in different bytes are unchanged; an edit stays within its 16×16 blocks', async () => {
    const img = gradient(64, 48);
    const plain = encodeJpeg({ ...img, data: Buffer.from(img.data) }, 90).data;
    const commented = encodeJpeg({ ...img, data: Buffer.from(img.data), comments: ['re-saved'] }, 90).data;
    expect(plain.equals(commented)).toBe(false);
    const same = await diffImage(bufferSource('p.jpg', plain), bufferSource('p.jpg', commented));
    expect(same.before!.format).toBe('jpeg');
    expect(same.changedPixels).toBe(0);
    const editedJpeg = encodeJpeg({ ...img, data: Buffer.from(edited(img).data) }, 90).data;
    const d = await diffImage(bufferSource('p.jpg', plain), bufferSource('p.jpg', editedJpeg), { tolerance: 8 });
    expect(d.changedPixels).toBeGreaterThanOrEqual(15);
    expect(d.changedBox!.x).toBeGreaterThanOrEqual(16);
    expect(d.changedBox!.x + d.changedBox!.width).toBeLessThanOrEqual(32);
    expect(d.changedBox!.y).toBeGreaterThanOrEqual(0);
    expect(d.changedBox!.y + d.changedBox!.height).toBeLessThanOrEqual(16);
  });

  it('decodes lossless WebP through the wasm decoder', async () => {
    const { default: encode, init } = await import('@jsquash/webp/encode.js');
    const wasm = await readFile(require.resolve('@jsquash/webp/codec/enc/webp_enc_simd.wasm'));
    await (init as unknown as (m: WebAssembly.Module) => Promise<unknown>)(await WebAssembly.compile(wasm));
    const webp = async (img: Img): Promise<Buffer> =>
      Buffer.from(await encode({ width: img.width, height: img.height, data: new Uint8ClampedArray(img.data), colorSpace: 'srgb' } as ImageData, { lossless: 1, exact: 1 }));
    const d = await diffImage(bufferSource('w.webp', await webp(base)), bufferSource('w.webp', await webp(after)));
    expect(d.before).toMatchObject({ format: 'webp', width: 64, height: 48 });
    expect(d.changedPixels).toBe(17);
  });

  it('describes without decoding an image over the byte limit or the pixel limit', async () => {
    const big = png(base);
    const overBytes = await diffImage(bufferSource('a.png', big), bufferSource('a.png', png(after)), { limitBytes: 100 });
    expect(overBytes.compared).toBe(false);
    expect(overBytes.reason).toBe('a.png is larger than the 100-byte limit');
    expect(overBytes.before).toMatchObject({ width: 64, height: 48, format: 'png' });
    const overPixels = await diffImage(bufferSource('a.png', big), bufferSource('a.png', png(after)), { maxPixels: 1000 });
    expect(overPixels.compared).toBe(false);
    expect(overPixels.reason).toBe('a.png has 64×48 pixels, more than the 1000 compared');
  });

  it('an added image has its dimensions and nothing compared', async () => {
    const d = await diffImage(null, bufferSource('n.png', png(base)));
    expect(d).toMatchObject({ compared: false, reason: 'the image was added', before: null, after: { width: 64, height: 48 } });
  });

  it('rejects files that are not images, or broken ones, with a ValidationError', async () => {
    await expect(diffImage(bufferSource('x.png', 'hello'), bufferSource('x.png', png(base)))).rejects.toThrow(new ValidationError('x.png is not a PNG, JPEG, GIF or WebP image'));
    const truncated = png(base).subarray(0, 100);
    await expect(diffImage(bufferSource('t.png', truncated), bufferSource('t.png', png(base)))).rejects.toThrow(/^t\.png is not a valid PNG image/);
  });

  it('stops when the signal aborts', async () => {
    const huge = png(gradient(2500, 2500), 1);
    const other = png(withPixels(gradient(2500, 2500), [[5, 5, [0, 0, 0, 255]]]), 1);
    const controller = new AbortController();
    const pending = diffImage(bufferSource('h.png', huge), bufferSource('h.png', other), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    // A finished comparison would resolve: rejecting means it stopped on the way.
    await expect(pending).rejects.toThrow(CancelledError);
  });
});

describe('diffImageFolder', () => {
  it('lists changed pairs with thumbnails, and counts the unchanged ones', async () => {
    const root = tempDir();
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await mkdir(path.join(a, 'sub'), { recursive: true });
    await mkdir(path.join(b, 'sub'), { recursive: true });
    const big = gradient(300, 150);
    await writeFile(path.join(a, 'same.png'), png(base()));
    await writeFile(path.join(b, 'same.png'), png(base()));
    await writeFile(path.join(a, 'recompressed.png'), png(base(), 9));
    await writeFile(path.join(b, 'recompressed.png'), png(base(), 1));
    await writeFile(path.join(a, 'sub', 'edited.png'), png(big));
    await writeFile(path.join(b, 'sub', 'edited.png'), png(withPixels(big, [[0, 0, [0, 0, 0, 0]], [299, 149, [1, 1, 1, 255]]])));
    await writeFile(path.join(a, 'gone.png'), png(base()));
    await writeFile(path.join(b, 'new.png'), png(base()));
    await writeFile(path.join(b, 'broken.png'), 'not an image');
    await writeFile(path.join(b, 'notes.txt'), 'ignored');
    const pairs = await imagePairsFromFolders(a, b);
    expect(pairs.map((p) => p.path)).toEqual(['broken.png', 'gone.png', 'new.png', 'recompressed.png', 'same.png', 'sub/edited.png']);
    const d = await diffImageFolder(pairs, { thumbnailSize: 32 });
    expect(d.unchanged).toBe(2);
    expect(d.omitted).toBe(0);
    expect(d.changed.map((c) => [c.path, c.status, c.changedPixels])).toEqual([
      ['broken.png', 'added', null],
      ['gone.png', 'removed', null],
      ['new.png', 'added', null],
      ['sub/edited.png', 'modified', 2],
    ]);
    expect(d.changed[0]!.problem).toBe('broken.png is not a PNG, JPEG, GIF or WebP image');
    const thumb = PNG.sync.read(Buffer.from(d.changed[3]!.after!.thumbnailBase64!, 'base64'));
    expect([thumb.width, thumb.height]).toEqual([32, 16]);
    expect(d.changed[3]!.before).toMatchObject({ width: 300, height: 150 });
    expect(d.changed[1]!.after).toBeNull();

    const capped = await diffImageFolder(pairs, { maxPairs: 1 });
    expect(capped.changed).toHaveLength(1);
    expect(capped.omitted).toBe(3);
    expect(capped.unchanged).toBe(2);
  });

  function base(): Img {
    return gradient(20, 20);
  }
});
