/**
 * Local-file plumbing shared by the remote stores: split a size into parts, run parts with bounded
 * concurrency, write a download into a temp file beside its destination and rename it into place.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import { CancelledError } from '../core/errors';
import { formatNumber } from '../core/l10n';

export const MiB = 1024 * 1024;

/** Sizes and parallelism of whole-file transfers; every remote store takes these. */
export interface TransferTuning {
  /** Files above this go up in parts (S3 multipart, Azure blocks); below it, one PUT. */
  multipartThreshold: number;
  partSize: number;
  /** Objects above this come down in parallel ranges. */
  rangedThreshold: number;
  rangeSize: number;
  /** Parts or ranges in flight at once, per file. */
  concurrency: number;
}

export const DEFAULT_TUNING: TransferTuning = {
  multipartThreshold: 16 * MiB,
  partSize: 8 * MiB,
  rangedThreshold: 16 * MiB,
  rangeSize: 8 * MiB,
  concurrency: 4,
};

export interface Range {
  index: number;
  start: number;
  /** Exclusive. */
  end: number;
}

/** Consecutive parts of at least `partSize` bytes, no more than `maxParts` of them. */
export function planParts(size: number, partSize: number, maxParts = 10_000): Range[] {
  const step = Math.max(partSize, Math.ceil(size / maxParts / MiB) * MiB);
  const parts: Range[] = [];
  for (let start = 0, index = 0; start < size || index === 0; start += step, index++) {
    parts.push({ index, start, end: Math.min(size, start + step) });
    if (size === 0) break;
  }
  return parts;
}

/**
 * Runs `fn` over `items`, at most `concurrency` at once. On the first failure no new item starts,
 * the others are told through the signal they get, and the failure is thrown once every running
 * item has settled (so the caller can clean up knowing nothing is still in flight).
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  fn: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const inner = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && !inner.aborted && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item, inner);
      } catch (error) {
        failure ??= { error };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (signal?.aborted) throw new CancelledError();
  if (failure) throw failure.error;
}

export async function readRange(file: FileHandle, start: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buf, done, length - done, start + done);
    if (bytesRead === 0) throw new Error(l10n.t('The file became shorter while it was being uploaded ({0} of {1} bytes)', formatNumber(start + done), formatNumber(start + length)));
    done += bytesRead;
  }
  return buf;
}

/** Base64 MD5 (the form of Content-MD5). */
export function md5Base64(body: Buffer | string): string {
  return createHash('md5').update(body).digest('base64');
}

export async function md5FileBase64(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { highWaterMark: MiB, signal })) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/**
 * Runs `write` on a fresh temp file next to `dest` (same folder, so the final rename is atomic) and
 * renames it to `dest` when `write` returns true. The temp file is removed on every other exit.
 */
export async function intoTempThenRename(dest: string, write: (file: FileHandle) => Promise<boolean>): Promise<boolean> {
  const tmp = `${dest}.artifacts-tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let renamed = false;
  try {
    const file = await fsp.open(tmp, 'wx', 0o644);
    let keep: boolean;
    try {
      keep = await write(file);
    } finally {
      await file.close();
    }
    if (!keep) return false;
    await fsp.rename(tmp, dest);
    renamed = true;
    return true;
  } finally {
    if (!renamed) await fsp.rm(tmp, { force: true });
  }
}

/** `onBytes`, or nothing; zero counts are not reported. */
export function progressReporter(onBytes?: (n: number) => void): (n: number) => void {
  return (n) => {
    if (n > 0 && onBytes) onBytes(n);
  };
}
