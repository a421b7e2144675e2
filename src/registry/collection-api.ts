/**
 * Collections as objects and the relations between versions, for logged artifacts: W&B's
 * ArtifactCollection (description, tags, aliases, versions, save, delete) and an artifact's
 * `linkedArtifacts()` / `sourceArtifact()`. Each change is one compare-and-swap of the document.
 */
import * as l10n from '@vscode/l10n';
import { loggedArtifact, type Artifact } from '../core/artifact';
import type { ArtifactBackend, LoggedState } from '../core/artifact-backend';
import type { CollectionBackend, CollectionInfo, CollectionRef } from '../core/artifact-collection';
import { NotFoundError } from '../core/errors';
import { findVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import type { VersionEditor } from './edits';
import type { VersionReader } from './versions';

function info(doc: CollectionDoc): CollectionInfo {
  return {
    entity: doc.entity,
    project: doc.project,
    name: doc.name,
    type: doc.type,
    kind: doc.kind,
    description: doc.description,
    tags: doc.tags ?? [],
    aliases: Object.keys(doc.aliases).sort(),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export class CollectionApi implements CollectionBackend {
  constructor(
    private readonly collections: CollectionStore,
    private readonly versions: VersionReader,
    private readonly editor: VersionEditor,
    private readonly backend: () => ArtifactBackend,
  ) {}

  private async doc(ref: CollectionRef): Promise<CollectionDoc> {
    const doc = await this.collections.require(ref);
    if (doc.state === 'DELETED') throw new NotFoundError(l10n.t('Collection {0} was deleted', `${ref.entity}/${ref.project}/${ref.collection}`));
    return doc;
  }

  async collectionInfo(ref: CollectionRef): Promise<CollectionInfo> {
    return info(await this.doc(ref));
  }

  async collectionVersions(ref: CollectionRef): Promise<Artifact[]> {
    await this.doc(ref);
    return (await this.versions.list(ref)).map((s) => loggedArtifact(s, this.backend()));
  }

  async saveCollection(ref: CollectionRef, changes: { description: string | null; tags: string[] }): Promise<CollectionInfo> {
    return this.collections.mutate(ref, (doc) => {
      if (!doc || doc.state === 'DELETED') throw new NotFoundError(l10n.t('Collection {0} does not exist', `${ref.entity}/${ref.project}/${ref.collection}`));
      doc.description = changes.description;
      doc.tags = [...changes.tags];
      doc.updatedAt = new Date().toISOString();
      return { doc, result: info(doc) };
    });
  }

  /** Every live version goes (with its aliases; a source's links too), then the collection is marked deleted. */
  async deleteCollection(ref: CollectionRef): Promise<void> {
    for (const s of await this.versions.list(ref)) await this.editor.delete(s, { deleteAliases: true });
    await this.collections.mutate(ref, (doc) => {
      if (!doc) throw new NotFoundError(l10n.t('Collection {0} does not exist', `${ref.entity}/${ref.project}/${ref.collection}`));
      doc.state = 'DELETED';
      doc.updatedAt = new Date().toISOString();
      return { doc, result: null };
    });
  }

  /** The links of a source version in portfolios (none for a link), as W&B lists them. */
  async linkedArtifacts(s: LoggedState): Promise<Artifact[]> {
    if (s.isLink) return [];
    const v = findVersion(await this.collections.require(s.source), s.source.index);
    const out: Artifact[] = [];
    for (const link of v?.links ?? []) {
      const state = await this.versions.at(link).catch(() => undefined);
      if (state?.state === 'COMMITTED') out.push(loggedArtifact(state, this.backend()));
    }
    return out;
  }

  async sourceArtifact(s: LoggedState): Promise<Artifact> {
    return loggedArtifact(await this.versions.at(s.source), this.backend());
  }
}
