/**
 * Changing logged versions: attributes (aliases, tags, description, metadata, TTL), delete, link
 * and unlink. Each change is one compare-and-swap of a collection document (two for a link, whose
 * source keeps a back reference), applied to the freshest document, so concurrent edits all land.
 */
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { loggedArtifact, type Artifact } from '../core/artifact';
import type { ArtifactBackend, ArtifactUpdate, LoggedState, VersionRef } from '../core/artifact-backend';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors';
import { validateTtl } from '../core/ttl';
import { validateAliases, validateMetadata, validateTags } from '../core/validate';
import { warn } from '../core/warnings';
import { appendVersion, deleteVersion, findVersion, newCollection, sameRef, updateVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { formatRef, parseCollectionPath } from './refs';
import type { VersionReader } from './versions';

const now = () => new Date().toISOString();

/** Where a state was fetched from (a portfolio for links). */
function here(s: LoggedState): VersionRef {
  return { entity: s.entity, project: s.project, collection: s.collection, index: s.index };
}

export class VersionEditor {
  constructor(
    private readonly collections: CollectionStore,
    private readonly versions: VersionReader,
    private readonly backend: () => ArtifactBackend,
  ) {}

  async update(s: LoggedState, changes: ArtifactUpdate): Promise<LoggedState> {
    const c: ArtifactUpdate = {
      addAliases: validateAliases(changes.addAliases ?? [], { allowLatest: false }),
      removeAliases: validateAliases(changes.removeAliases ?? [], { allowLatest: false }),
      addTags: validateTags(changes.addTags ?? []),
      removeTags: changes.removeTags ?? [],
    };
    if (changes.description !== undefined) c.description = changes.description;
    if (changes.metadata !== undefined) c.metadata = validateMetadata(changes.metadata);
    if (changes.ttl !== undefined) {
      if (s.isLink) throw new ValidationError(l10n.t('Cannot set a TTL on the linked artifact {0}: set it on the source {1}', formatRef(here(s)), formatRef(s.source)));
      c.ttl = validateTtl(changes.ttl);
    }
    const at = here(s);
    if (s.isLink) {
      // Aliases belong to the portfolio; everything else is the source's.
      const { addAliases, removeAliases, ...rest } = c;
      await this.change(at, (doc) => updateVersion(doc, at.index, { addAliases, removeAliases }, now()));
      await this.change(s.source, (doc) => updateVersion(doc, s.source.index, rest, now()));
    } else {
      await this.change(at, (doc) => updateVersion(doc, at.index, c, now()));
    }
    return this.versions.at(at);
  }

  async delete(s: LoggedState, { deleteAliases }: { deleteAliases: boolean }): Promise<void> {
    if (s.isLink) {
      warn(l10n.t('{0} is a link: deleting it only unlinks it from {1}', formatRef(here(s)), s.collection));
      return this.unlink(s);
    }
    const at = here(s);
    const removed = await this.change(at, (doc) => deleteVersion(doc, at.index, deleteAliases, now()));
    for (const link of removed.links ?? []) {
      await this.collections
        .mutate(link, (doc) => {
          if (doc && findVersion(doc, link.index)?.state === 'COMMITTED') deleteVersion(doc, link.index, true, now());
          return { doc: doc!, result: null };
        })
        .catch(() => undefined); // a portfolio removed by hand must not block the delete
    }
  }

  async link(s: LoggedState, target: string, aliases: string[]): Promise<Artifact> {
    const src = s.source;
    const t = parseCollectionPath(target, { entity: src.entity, project: src.project });
    if (t.entity === src.entity && t.project === src.project && t.collection === src.collection) {
      throw new ValidationError(l10n.t('Cannot link {0} into its own collection', formatRef(src)));
    }
    const index = await this.collections.mutate(t, (doc) => {
      const ts = now();
      doc ??= newCollection({ entity: t.entity, project: t.project, name: t.collection, type: s.type, kind: 'portfolio' }, ts);
      if (doc.kind !== 'portfolio') throw new ConflictError(l10n.t('{0} is a source collection: links go into their own (portfolio) collections', `${t.entity}/${t.project}/${t.collection}`));
      if (doc.type !== s.type) throw new ConflictError(l10n.t("Cannot link a '{0}' artifact into {1}, which holds type '{2}'", s.type, t.collection, doc.type));
      const member = doc.versions.find((v) => v.state === 'COMMITTED' && v.source && sameRef(v.source, src));
      if (member) {
        updateVersion(doc, member.index, { addAliases: aliases }, ts);
        return { doc, result: member.index };
      }
      const v = appendVersion(doc, { id: randomBytes(8).toString('hex'), state: 'COMMITTED', createdAt: ts, updatedAt: ts, source: src }, aliases, ts);
      return { doc, result: v.index };
    });
    const ref = { ...t, index };
    await this.change(src, (doc) => {
      const v = findVersion(doc, src.index)!;
      if (!(v.links ?? []).some((l) => sameRef(l, ref))) v.links = [...(v.links ?? []), ref];
    });
    return loggedArtifact(await this.versions.at(ref), this.backend());
  }

  async unlink(s: LoggedState): Promise<void> {
    const at = here(s);
    await this.change(at, (doc) => deleteVersion(doc, at.index, true, now()));
    await this.collections
      .mutate(s.source, (doc) => {
        const v = doc && findVersion(doc, s.source.index);
        if (v?.links) v.links = v.links.filter((l) => !sameRef(l, at));
        return { doc: doc!, result: null };
      })
      .catch(() => undefined);
  }

  /** Edits an existing collection's document in place and returns what `edit` returns. */
  private change<T>(c: VersionRef, edit: (doc: CollectionDoc) => T): Promise<T> {
    return this.collections.mutate(c, (doc) => {
      if (!doc) throw new NotFoundError(l10n.t('Collection {0} does not exist', `${c.entity}/${c.project}/${c.collection}`));
      return { doc, result: edit(doc) };
    });
  }
}
