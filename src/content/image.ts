/**
 * Image diff: dimensions before and after, how many pixels changed (beyond a per-channel tolerance),
 * where, and a difference mask to overlay; and, for many images, a list of changed pairs with
 * thumbnails. Images of different sizes are compared on the canvas that holds both (top-left
 * aligned): a pixel that only one of them covers counts as changed.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { isUserError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { DEFAULT_LIMIT_BYTES, TimeSlicer, type BaseContentOptions } from './options';
import { readAll, readRange, sideInfo, toSourceOrNull, type ContentInput, type ContentSource, type SideInfo } from './source';
import { DecoderUnavailableError, decodeImage, encodePng, imageDimensions, imageFormatOfName, sniffImageFormat, thumbnail, type ImageFormat, type RgbaImage } from './image-codecs';

export type { ImageFormat } from './image-codecs';

export const DEFAULT_MAX_PIXELS = 16_000_000;

export interface ImageOptions extends BaseContentOptions {
  /** A pixel changed when a channel differs by more than this (0-255). Default 0. */
  tolerance?: number;
  /** Images with more pixels are described, not decoded. Default 16 million. */
  maxPixels?: number;
  /** Make the difference mask. Default true. */
  mask?: boolean;
}

export interface ImageSide extends SideInfo {
  format: ImageFormat | null;
  width: number | null;
  height: number | null;
  /** GIF frames; only the first is compared. */
  frames?: number;
}

export interface ImageDiff {
  kind: 'image';
  before: ImageSide | null;
  after: ImageSide | null;
  /** False when pixels were not compared; `reason` says why. */
  compared: boolean;
  reason?: string;
  tolerance: number;
  /** The canvas compared (the larger width and height of the two). */
  width: number | null;
  height: number | null;
  changedPixels: number | null;
  /** changedPixels / (width × height). */
  changedFraction: number | null;
  /** The smallest rectangle holding every changed pixel. */
  changedBox: { x: number; y: number; width: number; height: number } | null;
  /** Changed pixels opaque red, the rest transparent, at the canvas size: base64 PNG bytes. */
  mask: { width: number; height: number; pngBase64: string } | null;
}

interface Loaded {
  side: ImageSide;
  bytes: Buffer | null;
  image: RgbaImage | null;
  /** Why pixels are not available. */
  problem: string | null;
}

async function load(source: ContentSource | null, opts: ImageOptions, decode: boolean): Promise<Loaded | null> {
  if (!source) return null;
  const limitBytes = opts.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const side: ImageSide = { ...sideInfo(source)!, format: imageFormatOfName(source.name), width: null, height: null };
  if (source.size > limitBytes) {
    // Dimensions from the header only (JPEG keeps them after its metadata, so read a little more).
    const head = await readRange(source, 0, 1 << 18, opts.signal);
    side.format = sniffImageFormat(head) ?? side.format;
    Object.assign(side, imageDimensions(head) ?? {});
    return { side, bytes: null, image: null, problem: l10n.t('{0} is larger than the {1}-byte limit', source.name, formatNumber(limitBytes)) };
  }
  const bytes = await readAll(source, opts.signal);
  side.format = sniffImageFormat(bytes) ?? side.format;
  Object.assign(side, imageDimensions(bytes) ?? {});
  if (!decode) return { side, bytes, image: null, problem: null };
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (side.width !== null && side.height !== null && side.width * side.height > maxPixels) {
    // maxPixels as digits: the limit as the option takes it.
    return { side, bytes, image: null, problem: l10n.t('{0} has {1}×{2} pixels, more than the {3} compared', source.name, side.width, side.height, maxPixels) };
  }
  let image: RgbaImage;
  try {
    image = await decodeImage(bytes, source.name, maxPixels);
  } catch (error) {
    if (error instanceof DecoderUnavailableError) return { side, bytes, image: null, problem: error.message };
    throw error;
  }
  side.width = image.width;
  side.height = image.height;
  if (image.frames > 1) side.frames = image.frames;
  return { side, bytes, image, problem: null };
}

interface PixelComparison {
  width: number;
  height: number;
  changed: number;
  box: ImageDiff['changedBox'];
  mask: Uint8Array | null;
}

/** Counts changed pixels on the shared canvas, writing the mask as it goes; time-sliced by row. */
async function comparePixels(a: RgbaImage, b: RgbaImage, tolerance: number, withMask: boolean, slicer: TimeSlicer): Promise<PixelComparison> {
  const width = Math.max(a.width, b.width);
  const height = Math.max(a.height, b.height);
  const mask = withMask ? new Uint8Array(width * height * 4) : null;
  let changed = 0;
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    await slicer.tick();
    for (let x = 0; x < width; x++) {
      let differs: boolean;
      const inA = x < a.width && y < a.height;
      const inB = x < b.width && y < b.height;
      if (!inA || !inB) differs = true;
      else {
        const i = (y * a.width + x) * 4;
        const j = (y * b.width + x) * 4;
        const da = a.data;
        const db = b.data;
        // Two fully transparent pixels are the same whatever their colour.
        if (da[i + 3] === 0 && db[j + 3] === 0) differs = false;
        else {
          differs =
            Math.abs(da[i]! - db[j]!) > tolerance ||
            Math.abs(da[i + 1]! - db[j + 1]!) > tolerance ||
            Math.abs(da[i + 2]! - db[j + 2]!) > tolerance ||
            Math.abs(da[i + 3]! - db[j + 3]!) > tolerance;
        }
      }
      if (!differs) continue;
      changed += 1;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (mask) {
        const k = (y * width + x) * 4;
        mask[k] = 255;
        mask[k + 3] = 255;
      }
    }
  }
  const box = changed ? { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 } : null;
  return { width, height, changed, box, mask };
}

/** Compares two images; a missing side (file added or removed) is `null`. */
export async function diffImage(beforeInput: ContentInput | null, afterInput: ContentInput | null, opts: ImageOptions = {}): Promise<ImageDiff> {
  const slicer = new TimeSlicer(opts.signal);
  const tolerance = opts.tolerance ?? 0;
  const [before, after] = await Promise.all([toSourceOrNull(beforeInput), toSourceOrNull(afterInput)]);
  const both = before !== null && after !== null;
  const [a, b] = await Promise.all([load(before, opts, both), load(after, opts, both)]);
  const result: ImageDiff = {
    kind: 'image',
    before: a?.side ?? null,
    after: b?.side ?? null,
    compared: false,
    tolerance,
    width: null,
    height: null,
    changedPixels: null,
    changedFraction: null,
    changedBox: null,
    mask: null,
  };
  if (!a || !b) return { ...result, reason: a ? l10n.t('the image was removed') : l10n.t('the image was added') };
  if (!a.image || !b.image) return { ...result, reason: a.problem ?? b.problem ?? l10n.t('not decoded') };
  const cmp = await comparePixels(a.image, b.image, tolerance, opts.mask !== false, slicer);
  const mask = cmp.mask && cmp.changed > 0 ? { width: cmp.width, height: cmp.height, pngBase64: (await encodePng(cmp.width, cmp.height, cmp.mask)).toString('base64') } : null;
  return {
    ...result,
    compared: true,
    width: cmp.width,
    height: cmp.height,
    changedPixels: cmp.changed,
    changedFraction: cmp.changed / (cmp.width * cmp.height),
    changedBox: cmp.box,
    mask,
  };
}

// ---------------------------------------------------------------------------------------------
// Many images: which pairs changed, with thumbnails.

export interface ImagePair {
  /** Path of the image in the artifact or folder. */
  path: string;
  before: ContentInput | null;
  after: ContentInput | null;
}

export interface ImageThumb {
  width: number | null;
  height: number | null;
  /** At most `thumbnailSize` pixels on its longer side; base64 PNG bytes, null when not decodable. */
  thumbnailBase64: string | null;
}

export interface ImagePairChange {
  path: string;
  status: 'added' | 'removed' | 'modified';
  before: ImageThumb | null;
  after: ImageThumb | null;
  changedPixels: number | null;
  changedFraction: number | null;
  /** A side could not be read as an image (the message a person can act on). */
  problem?: string;
}

export interface ImageFolderDiff {
  kind: 'image-folder';
  /** Changed pairs in the order given, at most `maxPairs`. */
  changed: ImagePairChange[];
  unchanged: number;
  /** Changed pairs left out past `maxPairs`. */
  omitted: number;
}

export interface ImageFolderOptions extends ImageOptions {
  /** Longer side of the thumbnails, in pixels. Default 96. */
  thumbnailSize?: number;
  /** Most changed pairs listed (with thumbnails). Default 200. */
  maxPairs?: number;
}

async function thumbOf(image: RgbaImage | null, side: ImageSide | null, size: number): Promise<ImageThumb | null> {
  if (!side) return null;
  if (!image) return { width: side.width, height: side.height, thumbnailBase64: null };
  const t = thumbnail(image, size);
  return { width: image.width, height: image.height, thumbnailBase64: (await encodePng(t.width, t.height, t.data)).toString('base64') };
}

/**
 * Lists the image pairs that differ (by bytes first, then by pixels within the tolerance), with
 * small thumbnails of both sides. Images that cannot be decoded are listed with a `problem`
 * instead of failing the whole list.
 */
export async function diffImageFolder(pairs: readonly ImagePair[], opts: ImageFolderOptions = {}): Promise<ImageFolderDiff> {
  const slicer = new TimeSlicer(opts.signal);
  const size = opts.thumbnailSize ?? 96;
  const maxPairs = opts.maxPairs ?? 200;
  const out: ImageFolderDiff = { kind: 'image-folder', changed: [], unchanged: 0, omitted: 0 };
  for (const pair of pairs) {
    await slicer.tick();
    const [before, after] = await Promise.all([toSourceOrNull(pair.before), toSourceOrNull(pair.after)]);
    const status = !before ? 'added' : !after ? 'removed' : 'modified';
    if (status === 'modified' && before!.size === after!.size) {
      const [x, y] = await Promise.all([readAll(before!, opts.signal), readAll(after!, opts.signal)]);
      if (x.equals(y)) {
        out.unchanged += 1;
        continue;
      }
    }
    if (out.changed.length >= maxPairs) {
      // Still counted: a pair that differs in bytes but not in pixels is unchanged.
      if (status !== 'modified') out.omitted += 1;
      else if ((await diffImage(before, after, { ...opts, mask: false })).changedPixels === 0) out.unchanged += 1;
      else out.omitted += 1;
      continue;
    }
    const entry: ImagePairChange = { path: pair.path, status, before: null, after: null, changedPixels: null, changedFraction: null };
    try {
      const [a, b] = await Promise.all([load(before, opts, true), load(after, opts, true)]);
      if (a?.image && b?.image) {
        const cmp = await comparePixels(a.image, b.image, opts.tolerance ?? 0, false, slicer);
        if (cmp.changed === 0) {
          out.unchanged += 1;
          continue;
        }
        entry.changedPixels = cmp.changed;
        entry.changedFraction = cmp.changed / (cmp.width * cmp.height);
      }
      entry.before = await thumbOf(a?.image ?? null, a?.side ?? null, size);
      entry.after = await thumbOf(b?.image ?? null, b?.side ?? null, size);
      const problem = a?.problem ?? b?.problem;
      if (problem) entry.problem = problem;
    } catch (error) {
      if (!isUserError(error)) throw error;
      entry.problem = error.message;
    }
    out.changed.push(entry);
  }
  return out;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp']);

async function listImages(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.set(path.relative(root, full).split(path.sep).join('/'), full);
    }
  };
  await walk(root);
  return out;
}

/** Pairs the images of two local folders by relative path, for `diffImageFolder`. */
export async function imagePairsFromFolders(beforeDir: string, afterDir: string): Promise<ImagePair[]> {
  const [a, b] = await Promise.all([listImages(beforeDir), listImages(afterDir)]);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((p) => ({ path: p, before: a.get(p) ?? null, after: b.get(p) ?? null }));
}
