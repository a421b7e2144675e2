/** An ObjectStore that counts reads per key: a proxy over a real store, for tests of what is re-read. */
import type { ObjectStore } from '../../../../src/store/object-store';

export interface ReadCounts {
  /** `get` and `getStream` calls per key. */
  gets: Map<string, number>;
  /** `list` calls per prefix. */
  lists: Map<string, number>;
  reset(): void;
  total(): number;
}

export function countingStore(inner: ObjectStore): { store: ObjectStore; counts: ReadCounts } {
  const counts: ReadCounts = {
    gets: new Map(),
    lists: new Map(),
    reset() {
      this.gets.clear();
      this.lists.clear();
    },
    total() {
      return [...this.gets.values()].reduce((a, b) => a + b, 0);
    },
  };
  const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const store = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'get' || prop === 'getStream') {
        return (key: string, ...rest: unknown[]) => {
          bump(counts.gets, key);
          return (value as (...a: unknown[]) => unknown).call(target, key, ...rest);
        };
      }
      if (prop === 'list') {
        return (prefix: string, ...rest: unknown[]) => {
          bump(counts.lists, prefix);
          return (value as (...a: unknown[]) => unknown).call(target, prefix, ...rest);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { store, counts };
}
