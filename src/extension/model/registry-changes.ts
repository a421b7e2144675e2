/**
 * What a file event in a registry folder changed, as the tree understands it: one collection's
 * document (`entities/<E>/projects/<P>/collections/<C>/…`, including the folder a first log
 * creates), or something it cannot place (an entity or project folder): everything.
 * The layout is the registry's (collectionOfKey in src/registry/layout.ts).
 */
import { collectionOfKey } from '../../registry/layout';
import type { CollectionPath } from '../../registry/refs';

export type RegistryChange = { kind: 'collections'; collections: CollectionPath[] } | { kind: 'everything' };

/** Collects the changes of a debounce window into one. */
export class ChangeBatch {
  private everything = false;
  private readonly collections = new Map<string, CollectionPath>();

  /** A key under the registry root, or undefined for a change that cannot be placed. */
  add(key: string | undefined): void {
    const c = key === undefined ? undefined : collectionOfKey(key);
    if (!c) this.everything = true;
    else this.collections.set(`${c.entity}/${c.project}/${c.collection}`, c);
  }

  get isEmpty(): boolean {
    return !this.everything && this.collections.size === 0;
  }

  /** The batch as one change, and the batch emptied. */
  take(): RegistryChange {
    const change: RegistryChange = this.everything ? { kind: 'everything' } : { kind: 'collections', collections: [...this.collections.values()] };
    this.everything = false;
    this.collections.clear();
    return change;
  }
}
