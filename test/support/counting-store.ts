/** An ObjectStore that records every call (method and key), passing it to a real store. */
import type { ObjectStore } from '../../src/store/object-store';

export interface Call {
  method: string;
  key: string;
}

export function recordingStore(inner: ObjectStore): { store: ObjectStore; calls: Call[]; blobCalls(): Call[] } {
  const calls: Call[] = [];
  const store = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(prop), key: typeof args[0] === 'string' ? args[0] : '' });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls, blobCalls: () => calls.filter((c) => c.key.startsWith('objects/')) };
}
