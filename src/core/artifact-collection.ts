/**
 * W&B's ArtifactCollection: a sequence (where versions are logged) or a portfolio (of links), with
 * its description, tags and aliases, its versions, and `save()` / `delete()`. The fields are those
 * read with the artifact it came from; `load()` reads them afresh.
 */
import type { Artifact } from './artifact';
import { validateTags } from './validate';

export interface CollectionInfo {
  entity: string;
  project: string;
  name: string;
  type: string;
  kind: 'sequence' | 'portfolio';
  description: string | null;
  tags: string[];
  /** Every alias in the collection (`latest` included). */
  aliases: string[];
  createdAt: string;
  updatedAt: string;
}

export interface CollectionRef {
  entity: string;
  project: string;
  collection: string;
}

/** What a collection object needs from its registry (src/registry implements it). */
export interface CollectionBackend {
  collectionInfo(ref: CollectionRef): Promise<CollectionInfo>;
  collectionVersions(ref: CollectionRef): Promise<Artifact[]>;
  saveCollection(ref: CollectionRef, changes: { description: string | null; tags: string[] }): Promise<CollectionInfo>;
  deleteCollection(ref: CollectionRef): Promise<void>;
}

export class ArtifactCollection {
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  type: string;
  kind: 'sequence' | 'portfolio';
  description: string | null = null;
  tags: string[] = [];
  aliases: string[] = [];
  createdAt = '';
  updatedAt = '';

  constructor(
    ref: CollectionRef,
    type: string,
    kind: 'sequence' | 'portfolio',
    private readonly backend: CollectionBackend,
  ) {
    this.entity = ref.entity;
    this.project = ref.project;
    this.name = ref.collection;
    this.type = type;
    this.kind = kind;
  }

  private get ref(): CollectionRef {
    return { entity: this.entity, project: this.project, collection: this.name };
  }

  private apply(info: CollectionInfo): this {
    Object.assign(this, { type: info.type, kind: info.kind, description: info.description, tags: [...info.tags], aliases: [...info.aliases], createdAt: info.createdAt, updatedAt: info.updatedAt });
    return this;
  }

  /** True for a source collection (W&B's `is_sequence()`). */
  isSequence(): boolean {
    return this.kind === 'sequence';
  }

  /** Reads description, tags, aliases and times afresh. */
  async load(): Promise<this> {
    return this.apply(await this.backend.collectionInfo(this.ref));
  }

  /** The live versions, newest first (W&B's `artifacts()`). */
  versions(): Promise<Artifact[]> {
    return this.backend.collectionVersions(this.ref);
  }

  /** Saves the description and tags as they are now. */
  async save(): Promise<this> {
    return this.apply(await this.backend.saveCollection(this.ref, { description: this.description, tags: validateTags(this.tags) }));
  }

  /** Deletes the collection: every version (with its aliases, and a source's links) goes at once. */
  delete(): Promise<void> {
    return this.backend.deleteCollection(this.ref);
  }
}
