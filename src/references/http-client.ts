/**
 * HTTP GETs that cannot hang: a connect timeout (until the response headers arrive), an idle
 * timeout (between body chunks), bounded retries with backoff on network errors and 5xx answers,
 * and the caller's AbortSignal. Limits come from the environment so a user on a slow link can
 * raise them: ARTIFACTS_HTTP_TIMEOUT_MS (default 30 s) and ARTIFACTS_HTTP_RETRIES (default 3).
 */
import fetch, { type Response } from 'node-fetch';
import { CancelledError } from '../core/errors';

export interface HttpLimits {
  timeoutMs: number;
  retries: number;
}

export function httpLimits(env: NodeJS.ProcessEnv = process.env): HttpLimits {
  const num = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) ? Number(v) : d);
  return { timeoutMs: num(env.ARTIFACTS_HTTP_TIMEOUT_MS, 30_000), retries: num(env.ARTIFACTS_HTTP_RETRIES, 3) };
}

export class HttpTimeoutError extends Error {}

/** A GET whose body must be read with `readBody` (which enforces the idle timeout). */
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
      const res = await fetch(url, { signal: controller.signal as never, redirect: 'follow' });
      clearTimeout(timer);
      if (res.status >= 500 && attempt < limits.retries) {
        (res.body as unknown as { destroy?: () => void } | null)?.destroy?.();
        lastError = new Error(`HTTP ${res.status} ${res.statusText}`);
        continue;
      }
      return res;
    } catch (e) {
      clearTimeout(timer);
      if (signal?.aborted) throw new CancelledError();
      lastError = controller.signal.aborted ? new HttpTimeoutError(`no answer within ${limits.timeoutMs} ms`) : e;
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
export async function readBody(res: Response, write: (chunk: Buffer) => Promise<void> | void, { signal, limits = httpLimits() }: { signal?: AbortSignal; limits?: HttpLimits } = {}): Promise<number> {
  const body = res.body as unknown as NodeJS.ReadableStream & { destroy(e?: Error): void };
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => body.destroy(new HttpTimeoutError(`the server stopped sending for ${limits.timeoutMs} ms`)), limits.timeoutMs);
  };
  const onAbort = () => body.destroy(new CancelledError());
  signal?.addEventListener('abort', onAbort, { once: true });
  arm();
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      arm();
      total += chunk.length;
      await write(chunk);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  return total;
}
