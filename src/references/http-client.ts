/**
 * HTTP GETs that cannot hang: a connect timeout (until the response headers arrive), an idle
 * timeout (between body chunks), bounded retries with backoff on network errors and 5xx answers,
 * and the caller's AbortSignal. Limits come from the environment so a user on a slow link can
 * raise them: ARTIFACTS_HTTP_TIMEOUT_MS (default 30 s) and ARTIFACTS_HTTP_RETRIES (default 3).
 */
import * as l10n from '@vscode/l10n';
import { CancelledError } from '../core/errors';
import { formatNumber } from '../core/l10n';

export interface HttpLimits {
  timeoutMs: number;
  retries: number;
}

export function httpLimits(env: NodeJS.ProcessEnv = process.env): HttpLimits {
  const num = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);
  return { timeoutMs: num(env.ARTIFACTS_HTTP_TIMEOUT_MS, 30_000), retries: num(env.ARTIFACTS_HTTP_RETRIES, 3) };
}

export class HttpTimeoutError extends Error {}

/** Each response's own controller, which the body's idle timeout and the caller's signal abort. */
const controllers = new WeakMap<Response, AbortController>();

/** Drops a response's body unread (only its headers were wanted). */
export function discardBody(res: Response): void {
  controllers.get(res)?.abort();
}

/**
 * A GET (Node's own fetch) whose body must be read with `readBody` (which enforces the idle
 * timeout) or dropped with `discardBody`.
 */
export async function httpGet(url: string, { signal, limits = httpLimits() }: { signal?: AbortSignal; limits?: HttpLimits } = {}): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= limits.retries; attempt++) {
    if (signal?.aborted) throw new CancelledError();
    if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(4000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
    try {
      const res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
      clearTimeout(timer);
      if (res.status >= 500 && attempt < limits.retries) {
        controller.abort();
        lastError = new Error(`HTTP ${res.status} ${res.statusText}`); // l10n-ignore: the server's status line
        continue;
      }
      controllers.set(res, controller);
      return res;
    } catch (e) {
      clearTimeout(timer);
      if (signal?.aborted) throw new CancelledError();
      lastError = controller.signal.aborted ? new HttpTimeoutError(l10n.t('no answer within {0} ms', formatNumber(limits.timeoutMs))) : ((e as Error).cause ?? e);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
  throw lastError;
}

/**
 * Streams a response body into `write`, failing when no byte arrives for the idle timeout.
 * Returns the number of bytes read.
 */
export async function readBody(res: Response, write: (chunk: Uint8Array) => Promise<void> | void, { signal, limits = httpLimits() }: { signal?: AbortSignal; limits?: HttpLimits } = {}): Promise<number> {
  if (!res.body) return 0;
  const controller = controllers.get(res);
  const reader = res.body.getReader();
  let total = 0;
  let stopped: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (why: Error) => {
    stopped ??= why;
    controller?.abort();
    void reader.cancel().catch(() => undefined);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stop(new HttpTimeoutError(l10n.t('the server stopped sending for {0} ms', formatNumber(limits.timeoutMs)))), limits.timeoutMs);
  };
  const onAbort = () => stop(new CancelledError());
  signal?.addEventListener('abort', onAbort, { once: true });
  arm();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (stopped) throw stopped;
      if (done) break;
      arm();
      total += value.length;
      await write(value);
    }
  } catch (e) {
    throw stopped ?? ((e as Error).cause as Error | undefined) ?? e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  return total;
}
