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
  /** Collection tags (W&B's ArtifactCollection.tags). */
  tags?: string[];
  /** Set when the collection was deleted (its versions are all DELETED); a new log revives it. */
  state?: 'DELETED';
}

export function newCollection(c: { entity: string; project: string; name: string; type: string; kind: CollectionKind }, now: string): CollectionDoc {
  return { format: COLLECTION_FORMAT, ...c, description: null, createdAt: now, updatedAt: now, nextIndex: 0, versions: [], aliases: {} };
}

/** A collection document that is not JSON or not of the expected shape. */
export class DamagedCollectionError extends ConflictError {
  constructor(
    readonly key: string,
    location: string,
    why: string,
  ) {
    super(`The collection document ${key} in ${location} is damaged (${why}): restore it from a backup, or run artifacts fsck`);
  }
}

const isInt = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
const isStr = (x: unknown) => typeof x === 'string';
const isRef = (r: unknown) => typeof r === 'object' && r !== null && ['entity', 'project', 'collection'].every((k) => isStr((r as Record<string, unknown>)[k])) && isInt((r as VersionRef).index);

/** The first way `doc` differs from a CollectionDoc, or undefined when it has the shape. */
function shapeProblem(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not an object';
  const d = doc as Record<string, unknown>;
  if (d.format !== COLLECTION_FORMAT) return `format ${JSON.stringify(d.format)}, expected ${COLLECTION_FORMAT}`;
  if (d.kind !== 'sequence' && d.kind !== 'portfolio') return `kind ${JSON.stringify(d.kind)}`;
  for (const k of ['entity', 'project', 'name', 'type', 'createdAt', 'updatedAt']) if (!isStr(d[k])) return `${k} is not a string`;
  if (!isInt(d.nextIndex)) return 'nextIndex is not a count';
  if (!Array.isArray(d.versions)) return 'versions is not a list';
  for (const v of d.versions as unknown[]) {
    const x = v as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || !isInt(x.index) || (x.index as number) >= (d.nextIndex as number)) return 'a version has no valid index';
    if (x.state !== 'COMMITTED' && x.state !== 'DELETED') return `v${String(x.index)} has state ${JSON.stringify(x.state)}`;
    if (!isStr(x.id) || !isStr(x.createdAt) || !isStr(x.updatedAt)) return `v${String(x.index)} lacks its id or times`;
    if (d.kind === 'sequence' && (!isStr(x.digest) || !isStr(x.manifest))) return `v${String(x.index)} has no digest or manifest`;
    if (d.kind === 'portfolio' && !isRef(x.source)) return `v${String(x.index)} has no source`;
    if (x.tags !== undefined && !(Array.isArray(x.tags) && x.tags.every(isStr))) return `v${String(x.index)} has tags that are not strings`;
    if (x.metadata !== undefined && (typeof x.metadata !== 'object' || x.metadata === null || Array.isArray(x.metadata))) return `v${String(x.index)} has metadata that is not an object`;
  }
  if (typeof d.aliases !== 'object' || d.aliases === null || Array.isArray(d.aliases)) return 'aliases is not an object';
  for (const [a, i] of Object.entries(d.aliases as Record<string, unknown>)) if (!isInt(i)) return `alias ${JSON.stringify(a)} points at ${JSON.stringify(i)}`;
  if (d.tags !== undefined && !(Array.isArray(d.tags) && d.tags.every(isStr))) return 'tags is not a list of strings';
  if (d.state !== undefined && d.state !== 'DELETED') return `state ${JSON.stringify(d.state)}`;
  return undefined;
}

export function parseCollection(body: Buffer, key: string, location = 'the registry'): CollectionDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new DamagedCollectionError(key, location, body.length === 0 ? 'empty' : `not JSON: ${(e as Error).message}`);
  }
  if (typeof doc === 'object' && doc !== null && typeof (doc as CollectionDoc).format === 'number' && (doc as CollectionDoc).format > COLLECTION_FORMAT) {
    throw new ConflictError(`${key} has format ${(doc as CollectionDoc).format}; this version of Artifacts reads format ${COLLECTION_FORMAT}: update Artifacts`);
  }
  const problem = shapeProblem(doc);
  if (problem) throw new DamagedCollectionError(key, location, problem);
  return doc as CollectionDoc;
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
  delete doc.state; // a new version revives a deleted collection
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
