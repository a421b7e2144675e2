/**
 * The collection document: the one place where a collection's versions, aliases and their editable
 * attributes live. Every change is a pure function from one document to the next, applied by the
 * registry inside a compare-and-swap loop, so concurrent writers never lose each other's work.
 */
import type { ArtifactUpdate, VersionRef } from '../core/artifact-backend';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors';
import type { Ttl } from '../core/ttl';
import type { Metadata } from '../core/validate';
import { versionIndexOf } from './refs';

export const COLLECTION_FORMAT = 1;

export type CollectionKind = 'sequence' | 'portfolio';

export interface VersionDoc {
  index: number;
  id: string;
  state: 'COMMITTED' | 'DELETED';
  createdAt: string;
  updatedAt: string;
  /** Sequence versions: the content and its editable attributes. */
  digest?: string;
  manifest?: string;
  size?: number;
  fileCount?: number;
  description?: string | null;
  metadata?: Metadata;
  tags?: string[];
  ttl?: Ttl;
  loggedBy?: string;
  baseId?: string;
  /** Portfolios this version is linked into (best-effort back references for delete). */
  links?: Array<VersionRef>;
  /** Portfolio members: the source version. */
  source?: VersionRef;
}

export interface CollectionDoc {
  format: number;
  kind: CollectionKind;
  entity: string;
  project: string;
  name: string;
  type: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  nextIndex: number;
  versions: VersionDoc[];
  /** alias → version index, unique within the collection; `latest` is maintained here. */
  aliases: Record<string, number>;
}

export function newCollection(c: { entity: string; project: string; name: string; type: string; kind: CollectionKind }, now: string): CollectionDoc {
  return { format: COLLECTION_FORMAT, ...c, description: null, createdAt: now, updatedAt: now, nextIndex: 0, versions: [], aliases: {} };
}

export function parseCollection(body: Buffer, key: string): CollectionDoc {
  const doc = JSON.parse(body.toString('utf8')) as CollectionDoc;
  if (doc.format !== COLLECTION_FORMAT) {
    throw new ConflictError(`${key} has format ${String(doc.format)}; this version of Artifacts reads format ${COLLECTION_FORMAT}`);
  }
  return doc;
}

export function liveVersions(doc: CollectionDoc): VersionDoc[] {
  return doc.versions.filter((v) => v.state === 'COMMITTED');
}

export function findVersion(doc: CollectionDoc, index: number): VersionDoc | undefined {
  return doc.versions.find((v) => v.index === index);
}

export function aliasesOf(doc: CollectionDoc, index: number): string[] {
  return Object.entries(doc.aliases)
    .filter(([, i]) => i === index)
    .map(([a]) => a)
    .sort((a, b) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a.localeCompare(b)));
}

/** Resolves `vN` or an alias to a committed version. */
export function resolveAlias(doc: CollectionDoc, alias: string, what: string): VersionDoc {
  const byIndex = versionIndexOf(alias);
  const index = byIndex ?? doc.aliases[alias];
  const version = index === undefined ? undefined : findVersion(doc, index);
  if (!version || version.state !== 'COMMITTED') {
    throw new NotFoundError(`${what}:${alias} does not exist${byIndex === undefined ? ' (no version has that alias)' : ''}`);
  }
  return version;
}

/** `latest` always names the newest committed version. */
function recomputeLatest(doc: CollectionDoc): void {
  const live = liveVersions(doc);
  if (live.length === 0) delete doc.aliases.latest;
  else doc.aliases.latest = Math.max(...live.map((v) => v.index));
}

function assignAlias(doc: CollectionDoc, alias: string, index: number): void {
  const clash = Object.keys(doc.aliases).find((a) => a !== alias && a.toLowerCase() === alias.toLowerCase());
  if (clash) {
    throw new ValidationError(`Alias '${alias}' differs only by case from the alias '${clash}' already in ${doc.name}`);
  }
  doc.aliases[alias] = index; // moves it from any other version: aliases are unique per collection
}

function touch(doc: CollectionDoc, v: VersionDoc | undefined, now: string): void {
  doc.updatedAt = now;
  if (v) v.updatedAt = now;
}

export function appendVersion(doc: CollectionDoc, version: Omit<VersionDoc, 'index'>, aliases: string[], now: string): VersionDoc {
  const v: VersionDoc = { ...version, index: doc.nextIndex };
  doc.nextIndex += 1;
  doc.versions.push(v);
  for (const a of aliases) if (a !== 'latest') assignAlias(doc, a, v.index);
  recomputeLatest(doc);
  touch(doc, v, now);
  return v;
}

export function updateVersion(doc: CollectionDoc, index: number, changes: ArtifactUpdate, now: string): VersionDoc {
  const v = findVersion(doc, index);
  if (!v || v.state !== 'COMMITTED') throw new NotFoundError(`${doc.name}:v${index} does not exist`);
  for (const a of changes.removeAliases ?? []) {
    if (a === 'latest') throw new ValidationError(`Alias 'latest' is managed by the registry and cannot be removed`);
    if (doc.aliases[a] !== index) throw new NotFoundError(`${doc.name}:v${index} has no alias '${a}'`);
    delete doc.aliases[a];
  }
  for (const a of changes.addAliases ?? []) if (a !== 'latest') assignAlias(doc, a, index);
  if (doc.kind === 'sequence') {
    if (changes.addTags || changes.removeTags) {
      const tags = (v.tags ?? []).filter((t) => !(changes.removeTags ?? []).includes(t));
      for (const t of changes.addTags ?? []) if (!tags.includes(t)) tags.push(t);
      v.tags = tags;
    }
    if (changes.description !== undefined) v.description = changes.description;
    if (changes.metadata !== undefined) v.metadata = changes.metadata;
    if (changes.ttl !== undefined) v.ttl = changes.ttl;
  }
  touch(doc, v, now);
  return v;
}

/** Soft delete: the version stays in the document as DELETED; `latest` moves back if needed. */
export function deleteVersion(doc: CollectionDoc, index: number, deleteAliases: boolean, now: string): VersionDoc {
  const v = findVersion(doc, index);
  if (!v || v.state !== 'COMMITTED') throw new NotFoundError(`${doc.name}:v${index} does not exist`);
  const aliases = aliasesOf(doc, index);
  if (aliases.length > 0 && !deleteAliases) {
    throw new ConflictError(
      `${doc.name}:v${index} has aliases (${aliases.join(', ')}): remove them first or delete with --delete-aliases (deleteAliases: true)`,
    );
  }
  for (const a of aliases) delete doc.aliases[a];
  v.state = 'DELETED';
  recomputeLatest(doc);
  touch(doc, v, now);
  return v;
}

export function sameRef(a: VersionRef, b: VersionRef): boolean {
  return a.entity === b.entity && a.project === b.project && a.collection === b.collection && a.index === b.index;
}
