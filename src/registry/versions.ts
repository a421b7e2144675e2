/**
 * Reading versions: a version document seen through the collection it was fetched from (a link
 * shows its source's content and attributes, its portfolio's aliases) as a LoggedState that carries
 * its own coordinates and manifest key.
 */
import * as l10n from '@vscode/l10n';
import type { LoggedState, VersionRef } from '../core/artifact-backend';
import { NotFoundError } from '../core/errors';
import { TTL_INHERIT } from '../core/ttl';
import { aliasesOf, findVersion, resolveAlias, type CollectionDoc, type VersionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { collectionKey } from './layout';
import { formatRef, type ArtifactRef, type CollectionPath } from './refs';

/** Source documents already read while listing a collection of links. */
export type SourceDocs = Map<string, CollectionDoc | undefined>;

export class VersionReader {
  constructor(private readonly collections: CollectionStore) {}

  /** The state of version `v` of `doc` (for portfolio members, merged with the source). */
  async stateOf(doc: CollectionDoc, v: VersionDoc, sources: SourceDocs = new Map()): Promise<LoggedState> {
    const here = { entity: doc.entity, project: doc.project, collection: doc.name };
    let src = v;
    let srcRef: VersionRef = { ...here, index: v.index };
    let state = v.state;
    if (v.source) {
      srcRef = v.source;
      const key = collectionKey(srcRef);
      if (!sources.has(key)) sources.set(key, (await this.collections.load(srcRef))?.doc);
      const found = sources.get(key) && findVersion(sources.get(key)!, srcRef.index);
      if (!found) throw new NotFoundError(l10n.t('The source {0} of {1} is gone', formatRef(srcRef), formatRef({ ...here, index: v.index })));
      src = found;
      if (found.state !== 'COMMITTED') state = 'DELETED';
    }
    return {
      id: v.id,
      ...here,
      index: v.index,
      isLink: doc.kind === 'portfolio',
      source: srcRef,
      manifestKey: src.manifest!,
      type: doc.type,
      digest: src.digest!,
      size: src.size ?? 0,
      fileCount: src.fileCount ?? 0,
      state,
      aliases: aliasesOf(doc, v.index),
      tags: src.tags ?? [],
      description: src.description ?? null,
      metadata: src.metadata ?? {},
      ttl: src.ttl === undefined ? TTL_INHERIT : src.ttl,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt > src.updatedAt ? v.updatedAt : src.updatedAt,
    };
  }

  /** A committed version by alias or `vN`. */
  async resolve(r: ArtifactRef, text: string): Promise<LoggedState> {
    const doc = await this.collections.require(r);
    const state = await this.stateOf(doc, resolveAlias(doc, r.alias, `${r.entity}/${r.project}/${r.collection}`));
    if (state.state !== 'COMMITTED') throw new NotFoundError(l10n.t('{0}: its source version {1} was deleted', text, formatRef(state.source)));
    return state;
  }

  /** The fresh state of the version at `ref`. */
  async at(ref: VersionRef): Promise<LoggedState> {
    const doc = await this.collections.require(ref);
    const v = findVersion(doc, ref.index);
    if (!v) throw new NotFoundError(l10n.t('{0} does not exist', formatRef(ref)));
    return this.stateOf(doc, v);
  }

  /** The id of the run that logged a source version, if recorded. */
  async loggedBy(ref: VersionRef): Promise<string | undefined> {
    return findVersion(await this.collections.require(ref), ref.index)?.loggedBy;
  }

  /** Versions of a collection, newest first (committed only unless asked). */
  async list(c: CollectionPath, { includeDeleted = false } = {}): Promise<LoggedState[]> {
    const doc = await this.collections.require(c);
    const sources: SourceDocs = new Map();
    const out: LoggedState[] = [];
    for (const v of [...doc.versions].reverse()) {
      if (v.state !== 'COMMITTED' && !includeDeleted) continue;
      const state = await this.stateOf(doc, v, sources);
      if (state.state === 'COMMITTED' || includeDeleted) out.push(state);
    }
    return out;
  }
}
