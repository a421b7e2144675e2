/**
 * Options every differ takes, their defaults, and the cooperative time slicing that keeps long
 * comparisons from holding the thread (the VS Code extension host runs them on its only thread).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { throwIfAborted } from '../core/errors';

/** Files larger than this are summarized from a sample (tables) or only described (others). */
export const DEFAULT_LIMIT_BYTES = 256 * 1024 * 1024;

export interface BaseContentOptions {
  /** Cancels the work; the promise then rejects with `CancelledError`. */
  signal?: AbortSignal;
  /** Byte limit per side; see `DEFAULT_LIMIT_BYTES`. */
  limitBytes?: number;
}

/** Set on a result computed from a bounded part of the files. */
export interface Sampled {
  limitBytes: number;
  /** Rows (or elements) actually read on each side. */
  rowsRead: { before: number; after: number };
}

/**
 * Yields to the event loop once a slice of work has run for `sliceMs`. Hot loops call `due()` (a
 * counter, then a clock read every 256 calls) and only `await pause()` when it says so, so the check
 * costs next to nothing per row or pixel.
 */
export class TimeSlicer {
  private count = 0;
  private sliceStart = performance.now();

  constructor(
    private readonly signal?: AbortSignal,
    private readonly sliceMs = 12,
  ) {
    throwIfAborted(signal);
  }

  due(): boolean {
    if ((++this.count & 255) !== 0) return false;
    return performance.now() - this.sliceStart >= this.sliceMs || this.signal?.aborted === true;
  }

  async pause(): Promise<void> {
    await nextTurn();
    throwIfAborted(this.signal);
    this.sliceStart = performance.now();
  }

  /** `pause()` when the slice is over; reads the clock on every call, for loops of coarse steps (a row of pixels, a file). */
  async tick(): Promise<void> {
    if (performance.now() - this.sliceStart >= this.sliceMs || this.signal?.aborted === true) await this.pause();
  }

  check(): void {
    throwIfAborted(this.signal);
  }
}
