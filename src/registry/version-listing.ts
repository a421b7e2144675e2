/**
 * A collection's versions as a listing that is read once and materialized a page at a time: the
 * collection document (and, for a collection of links, its sources' documents) are read when the
 * listing is made; artifacts are made only for the slices asked for. A collection of 10,000
 * versions in a bucket costs one document read, and its first page is ready without building the
 * other 9,950 (the extension's tree pages its versions this way).
 */
import type { Artifact } from '../core/artifact';
import type { LoggedState } from '../core/artifact-backend';
import { findVersion, resolveAlias, type CollectionDoc, type VersionDoc } from './collection-doc';
import { collectionKey } from './layout';
import type { CollectionPath } from './refs';
import type { SourceDocs, VersionReader } from './versions';

export class VersionListing {
  /** Newest first. */
  private readonly rows: VersionDoc[];
  private readonly made = new Map<number, Artifact | null>();

  constructor(
    readonly doc: CollectionDoc,
    private readonly sources: SourceDocs,
    private readonly reader: VersionReader,
    private readonly toArtifact: (s: LoggedState) => Artifact,
    includeDeleted = false,
  ) {
    this.rows = [...doc.versions].reverse().filter((v) => includeDeleted || (v.state === 'COMMITTED' && this.sourceLive(v)));
  }

  /** A link whose source version was deleted is not listed (as Registry.listVersions). */
  private sourceLive(v: VersionDoc): boolean {
    if (!v.source) return true;
    const src = this.sources.get(collectionKey(v.source));
    return findVersion(src ?? ({ versions: [] } as unknown as CollectionDoc), v.source.index)?.state === 'COMMITTED';
  }

  /** How many versions the listing holds. */
  get total(): number {
    return this.rows.length;
  }

  /** Versions [start, end) of the newest-first list (made once each). */
  async slice(start: number, end: number): Promise<Artifact[]> {
    const out: Artifact[] = [];
    for (const v of this.rows.slice(start, end)) {
      let a = this.made.get(v.index);
      if (a === undefined) {
        a = this.toArtifact(await this.reader.stateOf(this.doc, v, this.sources));
        this.made.set(v.index, a);
      }
      if (a) out.push(a);
    }
    return out;
  }

  /** Where the version an alias or `vN` names is in the list, or -1. */
  position(alias: string): number {
    let index: number;
    try {
      index = resolveAlias(this.doc, alias, this.doc.name).index;
    } catch {
      return -1;
    }
    return this.rows.findIndex((v) => v.index === index);
  }

  /** True when a member of this collection of links is a version of `c`. */
  linksTo(c: CollectionPath): boolean {
    return this.rows.some((v) => v.source && v.source.entity === c.entity && v.source.project === c.project && v.source.collection === c.collection);
  }

  /**
   * What the listing shows, as a string to compare with a fresh listing's: the document's versions
   * and aliases, and the versions of the sources the links show.
   */
  fingerprint(): string {
    const linked = this.rows.filter((v) => v.source).map((v) => findVersion(this.sources.get(collectionKey(v.source!)) ?? ({ versions: [] } as unknown as CollectionDoc), v.source!.index) ?? null);
    return JSON.stringify([this.doc.kind, this.doc.type, this.doc.versions, this.doc.aliases, linked]);
  }
}

/** Reads a collection (and the sources of its links) into a listing. */
export async function openVersionListing(reader: VersionReader, doc: CollectionDoc, toArtifact: (s: LoggedState) => Artifact, load: (c: CollectionPath) => Promise<CollectionDoc | undefined>, includeDeleted = false): Promise<VersionListing> {
  const sources: SourceDocs = new Map();
  for (const v of doc.versions) {
    if (!v.source) continue;
    const key = collectionKey(v.source);
    if (!sources.has(key)) sources.set(key, await load(v.source));
  }
  return new VersionListing(doc, sources, reader, toArtifact, includeDeleted);
}
