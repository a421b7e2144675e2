/**
 * The collection documents of a store: reading one, changing one by compare-and-swap, and walking
 * all of them. The only module that reads or writes `entities/…/index.json`.
 */
import * as l10n from '@vscode/l10n';
import { ConflictError, NotFoundError } from '../core/errors';
import type { ObjectStore } from '../store/object-store';
import { pausePoint } from './crash-points';
import type { DocumentCache } from './document-cache';
import { parseCollection, type CollectionDoc } from './collection-doc';
import { collectionKey, collectionsPrefix, entitiesPrefix, projectsPrefix } from './layout';
import type { CollectionPath } from './refs';

export interface LoadedCollection {
  doc: CollectionDoc;
  etag: string;
}

/** A change to a document: gets a private copy (undefined when it does not exist yet), returns the next one. */
export type DocumentChange<T> = (doc: CollectionDoc | undefined) => { doc: CollectionDoc; result: T };

const CAS_ATTEMPTS = 2000;

export class CollectionStore {
  constructor(
    private readonly store: ObjectStore,
    /** For a remote store: documents kept here and revalidated by a conditional GET. */
    private readonly documents?: DocumentCache,
  ) {}

  async load(c: CollectionPath): Promise<LoadedCollection | undefined> {
    const key = collectionKey(c);
    const obj = this.documents ? await this.documents.read(key) : await this.store.get(key);
    return obj && { doc: parseCollection(obj.body, key, this.store.location), etag: obj.etag };
  }

  async require(c: CollectionPath): Promise<CollectionDoc> {
    const loaded = await this.load(c);
    if (!loaded) throw new NotFoundError(l10n.t('Collection {0} does not exist', `${c.entity}/${c.project}/${c.collection}`));
    return loaded.doc;
  }

  /**
   * Applies `change` to the freshest document until the swap succeeds; returns its result. With
   * `readJustNow`, the first try swaps from that read (one round trip less on a bucket); a stale
   * one only makes the swap fail, and the next try reads afresh.
   */
  async mutate<T>(c: CollectionPath, change: DocumentChange<T>, { readJustNow }: { readJustNow?: { loaded: LoadedCollection | undefined } } = {}): Promise<T> {
    const key = collectionKey(c);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const loaded = attempt === 0 && readJustNow ? readJustNow.loaded : await this.load(c);
      const { doc, result } = change(loaded ? structuredClone(loaded.doc) : undefined);
      pausePoint('before-swap');
      if (await this.store.compareAndSwap(key, loaded?.etag ?? null, JSON.stringify(doc))) {
        await this.documents?.forget(key);
        return result;
      }
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 + attempt)));
    }
    throw new ConflictError(l10n.t('Could not update {0}: too many concurrent writers', key));
  }

  async entities(): Promise<string[]> {
    return this.folders(entitiesPrefix());
  }

  async projects(entity: string): Promise<string[]> {
    return this.folders(projectsPrefix(entity));
  }

  async names(entity: string, project: string): Promise<string[]> {
    return this.folders(collectionsPrefix(entity, project));
  }

  /** Every collection of the store, entity by entity and project by project. */
  async *walk(): AsyncGenerator<CollectionPath> {
    for (const entity of await this.entities()) {
      for (const project of await this.projects(entity)) {
        for (const collection of await this.names(entity, project)) yield { entity, project, collection };
      }
    }
  }

  private async folders(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.list(prefix, { delimiter: '/', cursor });
      out.push(...page.prefixes.map((p) => p.slice(prefix.length, -1)));
      cursor = page.cursor;
    } while (cursor);
    return out;
  }
}
