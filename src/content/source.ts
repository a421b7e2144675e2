/**
 * Where the bytes of one side of a comparison come from.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { NotFoundError, ValidationError } from '../core/errors';

/** A half-open byte range `[start, end)`; `end` omitted means to the end of the content. */
export interface ByteRange {
  start: number;
  end?: number;
}

/**
 * One side of a content comparison: a stored object of a version, a file of a folder, bytes in memory.
 *
 * Why this shape: the differs must run on what the registry holds (objects in a local folder today,
 * in a bucket later) and on plain local files alike, so a side is only a name, a size and a way to
 * read bytes. `open` takes an optional byte range because most formats here are read by range, not
 * front to back: Parquet starts at its footer, safetensors and ONNX are a small header in front of
 * large tensor data, and a window of changed table rows re-reads just those rows' bytes instead of
 * keeping every row in memory. A local file and an S3 object (Range GET) both serve ranges cheaply,
 * and a source must return exactly the range asked for. A local path is accepted wherever a source is
 * (`ContentInput`). `name` is the path inside the artifact (or the file name): its extension chooses
 * the differ and it names the file in messages.
 */
export interface ContentSource {
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** The bytes of `range` (all of them without one). */
  open(range?: ByteRange): Promise<NodeJS.ReadableStream>;
}

/** A side as callers give it: a source, or the path of a local file. */
export type ContentInput = ContentSource | string;

/** Name and size of a side, as results report it. */
export interface SideInfo {
  name: string;
  size: number;
}

export function sideInfo(source: ContentSource | null): SideInfo | null {
  return source ? { name: source.name, size: source.size } : null;
}

/** A local file as a source; `name` defaults to the file's base name. */
export async function fileSource(file: string, name = path.basename(file)): Promise<ContentSource> {
  let size: number;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw new ValidationError(l10n.t('{0} is not a file', file));
    size = st.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(l10n.t('No such file: {0}', file));
    throw error;
  }
  return {
    name,
    size,
    async open(range) {
      if (range && (range.end ?? size) <= range.start) return Readable.from([]);
      // createReadStream's `end` is inclusive.
      return createReadStream(file, range ? { start: range.start, end: range.end === undefined ? undefined : range.end - 1 } : {});
    },
  };
}

/** Bytes in memory as a source (tests, small generated content). */
export function bufferSource(name: string, bytes: Uint8Array | string): ContentSource {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name,
    size: buf.length,
    async open(range) {
      const part = range ? buf.subarray(range.start, range.end ?? buf.length) : buf;
      return Readable.from(part.length ? [part] : []);
    },
  };
}

export async function toSource(input: ContentInput): Promise<ContentSource> {
  return typeof input === 'string' ? fileSource(input) : input;
}

export async function toSourceOrNull(input: ContentInput | null | undefined): Promise<ContentSource | null> {
  return input == null ? null : toSource(input);
}

/** Reads `[start, end)` of a source into one buffer. */
export async function readRange(source: ContentSource, start: number, end: number, signal?: AbortSignal): Promise<Buffer> {
  end = Math.min(end, source.size);
  if (end <= start) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  const stream = await source.open({ start, end });
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    if (signal?.aborted) {
      (stream as Readable).destroy?.();
      break;
    }
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/** The whole content; callers check `size` against their limit first. */
export function readAll(source: ContentSource, signal?: AbortSignal): Promise<Buffer> {
  return readRange(source, 0, source.size, signal);
}

/**
 * Random access with a small block cache, for formats walked by position (protobuf, headers):
 * many small reads near each other cost one ranged read per block.
 */
export class BlockReader {
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    readonly source: ContentSource,
    private readonly blockSize = 1 << 16,
    private readonly maxBlocks = 8,
    private readonly signal?: AbortSignal,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** Up to `length` bytes at `pos` (fewer at the end of the content). */
  async read(pos: number, length: number): Promise<Buffer> {
    const end = Math.min(pos + length, this.source.size);
    if (end <= pos) return Buffer.alloc(0);
    // Large reads go straight to the source; they would only evict the cache.
    if (end - pos > this.blockSize * 2) return readRange(this.source, pos, end, this.signal);
    const parts: Buffer[] = [];
    for (let at = pos; at < end; ) {
      const index = Math.floor(at / this.blockSize);
      const block = await this.block(index);
      const from = at - index * this.blockSize;
      const to = Math.min(block.length, end - index * this.blockSize);
      parts.push(block.subarray(from, to));
      at += to - from;
      if (to <= from) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private async block(index: number): Promise<Buffer> {
    const hit = this.blocks.get(index);
    if (hit) {
      this.blocks.delete(index);
      this.blocks.set(index, hit);
      return hit;
    }
    const data = await readRange(this.source, index * this.blockSize, (index + 1) * this.blockSize, this.signal);
    this.blocks.set(index, data);
    if (this.blocks.size > this.maxBlocks) this.blocks.delete(this.blocks.keys().next().value!);
    return data;
  }
}
