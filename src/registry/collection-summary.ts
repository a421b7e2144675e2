/** What listings show of a collection: its document reduced to one row, for a project or the whole registry. */
import { warn } from '../core/warnings';
import { DamagedCollectionError, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import type { CollectionPath } from './refs';

export interface CollectionSummary extends CollectionPath {
  /** Set when the collection's document cannot be read: what is wrong (the other fields are empty). */
  error?: string;
  type: string;
  kind: 'sequence' | 'portfolio';
  description: string | null;
  versionCount: number;
  latest: number | undefined;
  createdAt: string;
  updatedAt: string;
}

export function summarize(doc: CollectionDoc): CollectionSummary {
  return {
    entity: doc.entity,
    project: doc.project,
    collection: doc.name,
    type: doc.type,
    kind: doc.kind,
    description: doc.description,
    versionCount: doc.versions.filter((v) => v.state === 'COMMITTED').length,
    latest: doc.aliases.latest,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}


/** The collections of a project; one whose document is damaged is listed with its `error` (and a warning). */
export async function listSummaries(collections: CollectionStore, entity: string, project: string): Promise<CollectionSummary[]> {
  const names = await collections.names(entity, project);
  const out = await Promise.all(
    names.map(async (collection): Promise<CollectionSummary | undefined> => {
      try {
        const loaded = await collections.load({ entity, project, collection });
        return loaded && loaded.doc.state !== 'DELETED' ? summarize(loaded.doc) : undefined;
      } catch (e) {
        if (!(e instanceof DamagedCollectionError)) throw e;
        warn(e.message);
        return { entity, project, collection, error: e.message, type: 'unknown', kind: 'sequence', description: null, versionCount: 0, latest: undefined, createdAt: '', updatedAt: '' };
      }
    }),
  );
  return out.filter((c) => c !== undefined);
}

/** Every collection of the registry, entity by entity and project by project (a damaged one is skipped: listSummaries shows it). */
export async function* allSummaries(collections: CollectionStore): AsyncGenerator<CollectionSummary> {
  for await (const c of collections.walk()) {
    const loaded = await collections.load(c).catch((e) => {
      if (e instanceof DamagedCollectionError) return undefined;
      throw e;
    });
    if (loaded && loaded.doc.state !== 'DELETED') yield summarize(loaded.doc);
  }
}
