/**
 * Append-only typed arrays: a million rows held as numbers cost 8 bytes each instead of a JS object
 * or string per row.
 */

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

abstract class Growable<T extends TypedArray> {
  length = 0;
  protected data: T;

  constructor(capacity = 1024) {
    this.data = this.alloc(capacity);
  }

  protected abstract alloc(n: number): T;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.alloc(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** Appends `count` copies of `v`. */
  fill(v: number, count: number): void {
    for (let i = 0; i < count; i++) this.push(v);
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** The filled part, without copying. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class GrowableF64 extends Growable<Float64Array> {
  protected alloc(n: number): Float64Array {
    return new Float64Array(n);
  }
}

export class GrowableI32 extends Growable<Int32Array> {
  protected alloc(n: number): Int32Array {
    return new Int32Array(n);
  }
}

export class GrowableU32 extends Growable<Uint32Array> {
  protected alloc(n: number): Uint32Array {
    return new Uint32Array(n);
  }
}

export class GrowableU8 extends Growable<Uint8Array> {
  protected alloc(n: number): Uint8Array {
    return new Uint8Array(n);
  }
}
