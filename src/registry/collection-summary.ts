/** What listings show of a collection: its document reduced to one row. */
import type { CollectionDoc } from './collection-doc';
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

