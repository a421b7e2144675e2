/**
 * Reading objects from S3 and Azure Blob the same way: a stream that resumes where a broken body
 * stopped, and a file download in parallel ranges into a temp file renamed into place. Each store
 * supplies one ranged GET (`open`) and its retry loop (`run`).
 *
 * Every re-request after the first is pinned to the first answer's ETag (If-Match), so a resumed
 * stream or a ranged download never splices bytes of two different objects.
 */
import { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import type { TransferOptions } from './object-store';
import { backoffMs, IdleTimeoutError, sleep, type RetryPolicy, type Verdict } from './retry';
import { StoreRequestError } from './store-errors';
import { intoTempThenRename, planParts, progressReporter, runPool, type Range, type TransferTuning } from './transfer-files';

export interface OpenedObject {
  body: Readable;
  /** The whole object's size (not the range's). */
  total: number;
  etag: string;
  /** False when the server answered the whole object to a ranged request. */
  ranged: boolean;
}

/** What one try gets: its cancellation signal, and a way to say "bytes are flowing" to a watchdog. */
export interface TryIo {
  signal?: AbortSignal;
  touch(): void;
}

export interface RangeReader {
  readonly location: string;
  readonly retryPolicy: RetryPolicy;
  readonly tuning: TransferTuning;
  /** How long a body may stay silent while we wait for its next chunk. */
  readonly idleMs: number;
  run<T>(what: string, signal: AbortSignal | undefined, fn: (io: TryIo, attempt: number) => Promise<T>): Promise<T>;
  classify(e: unknown): Verdict;
  giveUp(what: string): (e: unknown, attempts: number) => Error;
  /**
   * One try at bytes [start, end) of `key` (no start/end: all of it), pinned to `etag` when given.
   * Undefined when the object does not exist; a 416 (a range of an empty object) must come out of
   * `run` as an error with `status: 416`.
   */
  open(key: string, range: { start?: number; end?: number; etag?: string }, io: TryIo): Promise<OpenedObject | undefined>;
  /** After a "no such object": throws when it is the bucket or container that is missing. */
  confirmMissing(signal?: AbortSignal): Promise<void>;
}

// l10n-ignore: Node's message for this code, which networkCode() recognises
const prematureClose = () => Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
const vanished = (r: RangeReader, key: string) => new StoreRequestError(r.location, l10n.t('a read of {0}: the object was deleted while it was read', key), { status: 404 });

/**
 * The chunks of `body`, failing with IdleTimeoutError when one takes longer than `idleMs` to come
 * (only the wait for data counts, not the time the consumer spends between chunks).
 */
export async function* chunksWithin(body: Readable, idleMs: number, touch: () => void = () => undefined): AsyncGenerator<Buffer> {
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IdleTimeoutError(idleMs)), idleMs);
      });
      let next: IteratorResult<unknown>;
      try {
        next = await Promise.race([it.next(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      if (next.done) return;
      touch();
      yield next.value as Buffer;
    }
  } finally {
    body.destroy();
  }
}

/** The object as a stream; a broken body is re-requested from where it stopped, within the retry budget. */
export async function openStream(r: RangeReader, key: string): Promise<Readable | undefined> {
  const first = await r.run(`GET ${key}`, undefined, (io) => r.open(key, {}, io));
  if (!first) {
    await r.confirmMissing();
    return undefined;
  }
  async function* bytes(): AsyncGenerator<Buffer> {
    let body = first!.body;
    let offset = 0;
    for (let failures = 0; ; ) {
      try {
        for await (const chunk of chunksWithin(body, r.idleMs)) {
          offset += chunk.length;
          yield chunk;
        }
        if (offset >= first!.total) return;
        throw prematureClose();
      } catch (e) {
        failures++;
        const verdict = r.classify(e);
        if (!verdict.retry || failures >= r.retryPolicy.attempts) throw r.giveUp(`GET ${key}`)(e, failures);
        await sleep(backoffMs(r.retryPolicy, failures, verdict.throttled));
        const next = await r.run(`GET ${key}`, undefined, (io) => r.open(key, { start: offset, etag: first!.etag }, io));
        if (!next) throw vanished(r, key);
        body = next.body;
      }
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}

/**
 * Writes the object into `dest`: one GET of the first `rangedThreshold` bytes tells the size (a
 * small object is complete after it), the rest comes in `rangeSize` ranges, `concurrency` at once.
 * A range that breaks is retried from the byte where it stopped.
 */
export async function downloadFile(r: RangeReader, key: string, dest: string, opts: TransferOptions = {}): Promise<boolean> {
  const { signal } = opts;
  const report = progressReporter(opts.onBytes);
  const { rangedThreshold, rangeSize, concurrency } = r.tuning;
  return intoTempThenRename(dest, async (file) => {
    let first: OpenedObject | undefined;
    try {
      first = await r.run(`GET ${key}`, signal, (io) => r.open(key, { start: 0, end: rangedThreshold }, io));
    } catch (e) {
      if ((e as StoreRequestError).status !== 416) throw e;
      first = await r.run(`GET ${key}`, signal, (io) => r.open(key, {}, io)); // an empty object has no byte 0
    }
    if (!first) {
      await r.confirmMissing(signal);
      return false;
    }
    const { total, etag } = first;
    const head: Range = { index: 0, start: 0, end: first.ranged ? Math.min(total, rangedThreshold) : total };
    const rest = planParts(total - head.end, rangeSize)
      .filter((p) => p.end > p.start)
      .map((p) => ({ index: p.index + 1, start: p.start + head.end, end: p.end + head.end }));
    let firstBody: Readable | undefined = first.body;
    try {
      await runPool([head, ...rest], concurrency, signal, async (range, inner) => {
        let pos = range.start;
        await r.run(`GET ${key}`, inner, async (io) => {
          let body: Readable;
          if (range.index === 0 && firstBody) {
            body = firstBody;
            firstBody = undefined; // a retry opens a new range from `pos`
          } else {
            const res = await r.open(key, { start: pos, end: range.end, etag }, io);
            if (!res) throw vanished(r, key);
            body = res.body;
          }
          for await (const chunk of chunksWithin(body, r.idleMs, io.touch)) {
            let off = 0;
            while (off < chunk.length) off += (await file.write(chunk, off, chunk.length - off, pos + off)).bytesWritten;
            pos += chunk.length;
            report(chunk.length);
          }
          if (pos < range.end) throw prematureClose();
        });
      });
    } finally {
      firstBody?.destroy();
    }
    return true;
  });
}
