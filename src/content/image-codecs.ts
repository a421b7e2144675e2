/**
 * Decoding PNG, JPEG, GIF and WebP to RGBA, and encoding PNG, with no native code: pngjs, jpeg-js,
 * omggif, and libwebp compiled to WebAssembly (@jsquash/webp). Dimensions are read from the header
 * first (image-size), so an image too large to decode is refused before any pixel is allocated.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { imageSize } from 'image-size';
import { decode as decodeJpeg } from 'jpeg-js';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';

import type { ImageFormat } from './formats';

export { imageFormatOfName, type ImageFormat } from './formats';

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, RGBA. */
  data: Uint8Array;
  /** Frames in the file (GIF); only the first is compared. */
  frames: number;
}

const FORMAT_NAME: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', gif: 'GIF', webp: 'WebP' };

/** The format by magic bytes, whatever the file is called. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && b.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

/** Width and height from the header, or null when the header cannot be read. */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const size = imageSize(bytes);
    return size.width !== undefined && size.height !== undefined ? { width: size.width, height: size.height } : null;
  } catch {
    return null;
  }
}

function decodePng(bytes: Buffer): Promise<RgbaImage> {
  // The async parser inflates on libuv's thread pool instead of this thread.
  return new Promise((resolve, reject) => {
    new PNG().parse(bytes, (error, png) => {
      if (error) reject(error);
      else resolve({ width: png.width, height: png.height, data: png.data, frames: 1 });
    });
  });
}

function decodeGif(bytes: Buffer): RgbaImage {
  const reader = new GifReader(bytes);
  const data = new Uint8Array(reader.width * reader.height * 4);
  reader.decodeAndBlitFrameRGBA(0, data);
  return { width: reader.width, height: reader.height, data, frames: reader.numFrames() };
}

/** The decoder for a format is not installed (a bundle without its .wasm file). */
export class DecoderUnavailableError extends ValidationError {}

let webpDecoder: Promise<(buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> | null = null;

/**
 * libwebp's decoder as WebAssembly. The .wasm file is looked up next to this module first (where a
 * bundle puts a copy of it) and then in node_modules.
 */
export function webpWasmPath(): string | null {
  const candidates = [path.join(__dirname, 'webp_dec.wasm')];
  try {
    candidates.push(require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm'));
  } catch {
    // not installed next to us: only the bundled copy can serve
  }
  return candidates.find((p) => existsSync(p)) ?? null;
}

function loadWebpDecoder(): Promise<(buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> {
  webpDecoder ??= (async () => {
    const wasm = webpWasmPath();
    if (!wasm) throw new DecoderUnavailableError(l10n.t('WebP images cannot be decoded here: the WebP decoder (webp_dec.wasm) is missing'));
    const { default: decode, init } = await import('@jsquash/webp/decode.js');
    const module = await WebAssembly.compile(readFileSync(wasm));
    await (init as unknown as (m: WebAssembly.Module) => Promise<void>)(module);
    return decode as (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
  })();
  webpDecoder.catch(() => (webpDecoder = null));
  return webpDecoder;
}

async function decodeWebp(bytes: Buffer): Promise<RgbaImage> {
  const decode = await loadWebpDecoder();
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  const image = await decode(copy);
  return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), frames: 1 };
}

/**
 * Decodes an image of at most `maxPixels` pixels. A file that is not what its header says, or
 * that no decoder accepts, is a ValidationError naming it.
 */
export async function decodeImage(bytes: Buffer, name: string, maxPixels: number): Promise<RgbaImage> {
  const format = sniffImageFormat(bytes);
  if (!format) throw new ValidationError(l10n.t('{0} is not a PNG, JPEG, GIF or WebP image', name));
  const dims = imageDimensions(bytes);
  if (dims && dims.width * dims.height > maxPixels) {
    throw new ValidationError(l10n.t('{0} has {1}×{2} pixels, more than the {3} this comparison decodes', name, dims.width, dims.height, formatNumber(maxPixels)));
  }
  try {
    switch (format) {
      case 'png':
        return await decodePng(bytes);
      case 'jpeg': {
        const img = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: Math.ceil(maxPixels / 1e6), maxMemoryUsageInMB: Math.ceil((maxPixels * 24) / 2 ** 20) + 64 });
        return { width: img.width, height: img.height, data: img.data, frames: 1 };
      }
      case 'gif':
        return decodeGif(bytes);
      case 'webp':
        return await decodeWebp(bytes);
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(l10n.t('{0} is not a valid {1} image: {2}', name, FORMAT_NAME[format], (error as Error).message ?? String(error)));
  }
}

/** RGBA pixels as PNG bytes; zlib runs off this thread. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Promise<Buffer> {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    png.pack().on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/**
 * A copy scaled to fit `maxSide`: each output pixel averages up to 4×4 input pixels spread over the
 * area it covers, so the cost depends on the thumbnail's size, not the image's.
 */
export function thumbnail(image: RgbaImage, maxSide: number): { width: number; height: number; data: Uint8Array } {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * image.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * image.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * image.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * image.width) / width));
      const sum = [0, 0, 0, 0];
      const sy = Math.max(1, Math.floor((y1 - y0) / 4));
      const sx = Math.max(1, Math.floor((x1 - x0) / 4));
      let n = 0;
      for (let yy = y0; yy < y1; yy += sy) {
        for (let xx = x0; xx < x1; xx += sx) {
          const i = (yy * image.width + xx) * 4;
          for (let c = 0; c < 4; c++) sum[c]! += image.data[i + c]!;
          n += 1;
        }
      }
      for (let c = 0; c < 4; c++) out[(y * width + x) * 4 + c] = Math.round(sum[c]! / n);
    }
  }
  return { width, height, data: out };
}
