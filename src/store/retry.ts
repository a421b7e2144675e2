/**
 * One retry loop for the remote stores. The SDKs' own retries are switched off so that each
 * operation is retried here as a whole, including reading the response body (a stall or a reset
 * in the middle of a body is as transient as a 503 before it), and so that both stores share one
 * bounded policy: exponential backoff with full jitter, at most `attempts` tries.
 */
import * as l10n from '@vscode/l10n';
import { CancelledError } from '../core/errors';
import { formatNumber } from '../core/l10n';

export interface RetryPolicy {
  /** Tries in all (1 = no retry). */
  attempts: number;
  /** The first backoff's upper bound; it doubles every try up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

/** How long a connection may take to open, and how long a connected socket may stay silent. */
export interface TimeoutPolicy {
  connectMs: number;
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutPolicy = { connectMs: 10_000, idleMs: 60_000 };

/** What a store decides about one failed try. */
export type Verdict =
  | { retry: true; throttled?: boolean }
  | { retry: false };

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, cap]. */
export function backoffMs(policy: RetryPolicy, attempt: number, throttled = false): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1) * (throttled ? 2 : 1));
  return Math.random() * cap;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` until it succeeds, `classify` says the error is final, or the tries are used up. The
 * last error goes to `giveUp`, which turns it into what the caller sees.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  classify: (e: unknown) => Verdict,
  giveUp: (e: unknown, attempts: number) => Error,
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new CancelledError();
    try {
      return await fn(attempt);
    } catch (e) {
      if (signal?.aborted) throw new CancelledError();
      const verdict = classify(e);
      if (!verdict.retry || attempt >= policy.attempts) throw giveUp(e, attempt);
      await sleep(backoffMs(policy, attempt, verdict.throttled), signal);
    }
  }
}

/** Codes Node and the SDKs use for connections that failed, broke or went silent. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EHOSTUNREACH',
  'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE',
  'REQUEST_SEND_ERROR',
]);

/** A network-level failure (no complete HTTP answer), by code, name or Node's message. */
export function networkCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined;
  if (!err || typeof err !== 'object') return undefined;
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  if (err.name === 'TimeoutError') return 'ETIMEDOUT';
  // l10n-ignore: Node's own messages
  if (typeof err.message === 'string' && /socket hang up|aborted|premature close/i.test(err.message) && err.name !== 'AbortError') return 'ECONNRESET';
  return err.cause && err.cause !== e ? networkCode(err.cause) : undefined;
}

/** An error raised because a watchdog gave up on a silent connection. */
export class IdleTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(ms: number) {
    super(l10n.t('no data for {0} ms', formatNumber(ms)));
    this.name = 'TimeoutError';
  }
}
