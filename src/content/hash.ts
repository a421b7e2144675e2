/**
 * A fast 53-bit string hash (cyrb53, public domain) for comparing table cells and rows. Rows are
 * compared by hash so that a million-row table is held as numbers, not as text; at 53 bits the
 * chance that a changed cell hashes like the old one is about 1 in 9·10^15 per cell.
 */

/** Hash of a cell that has no value at all (a missing column, JSON `undefined`). Never a cyrb53 result. */
export const ABSENT = -1;

export function hashString(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Combines 53-bit hashes (cells of a row, in a fixed column order) into one 53-bit hash. Each value
 * is split into its two 32-bit halves and mixed into two lanes, as cyrb53 does with characters.
 */
export class HashCombiner {
  private h1 = 0x9e3779b9;
  private h2 = 0x85ebca6b;

  add(value: number): this {
    const lo = value >>> 0;
    const hi = Math.floor(value / 4294967296) | 0;
    this.h1 = Math.imul(this.h1 ^ lo, 2654435761);
    this.h2 = Math.imul(this.h2 ^ hi, 1597334677);
    this.h1 = Math.imul(this.h1 ^ hi, 2246822507);
    this.h2 = Math.imul(this.h2 ^ lo, 3266489909);
    return this;
  }

  value(): number {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}
