/**
 * The collection document: the one place where a collection's versions, aliases and their editable
 * attributes live. Every change is a pure function from one document to the next, applied by the
 * registry inside a compare-and-swap loop, so concurrent writers never lose each other's work.
 */
import * as l10n from '@vscode/l10n';
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
  /** `location`: the registry's, when known; `why`: a translated clause (`not an object`). */
  constructor(
    readonly key: string,
    location: string | undefined,
    why: string,
  ) {
    super(
      location
        ? l10n.t('The collection document {0} in {1} is damaged ({2}): restore it from a backup, or run artifacts fsck', key, location, why)
        : l10n.t('The collection document {0} in the registry is damaged ({1}): restore it from a backup, or run artifacts fsck', key, why),
    );
  }
}

const isInt = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
const isStr = (x: unknown) => typeof x === 'string';
const isRef = (r: unknown) => typeof r === 'object' && r !== null && ['entity', 'project', 'collection'].every((k) => isStr((r as Record<string, unknown>)[k])) && isInt((r as VersionRef).index);

/**
 * The first way `doc` differs from a CollectionDoc (a translated clause; field names and values as
 * they are in the JSON), or undefined when it has the shape.
 */
function shapeProblem(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return l10n.t('not an object');
  const d = doc as Record<string, unknown>;
  if (d.format !== COLLECTION_FORMAT) return l10n.t('format {0}, expected {1}', JSON.stringify(d.format) ?? 'undefined', COLLECTION_FORMAT);
  if (d.kind !== 'sequence' && d.kind !== 'portfolio') return `kind ${JSON.stringify(d.kind)}`; // l10n-ignore: the field and its value
  for (const k of ['entity', 'project', 'name', 'type', 'createdAt', 'updatedAt']) if (!isStr(d[k])) return l10n.t('{0} is not a string', k);
  if (!isInt(d.nextIndex)) return l10n.t('nextIndex is not a count');
  if (!Array.isArray(d.versions)) return l10n.t('versions is not a list');
  for (const v of d.versions as unknown[]) {
    const x = v as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || !isInt(x.index) || (x.index as number) >= (d.nextIndex as number)) return l10n.t('a version has no valid index');
    const version = `v${String(x.index)}`;
    if (x.state !== 'COMMITTED' && x.state !== 'DELETED') return l10n.t('{0} has state {1}', version, JSON.stringify(x.state) ?? 'undefined');
    if (!isStr(x.id) || !isStr(x.createdAt) || !isStr(x.updatedAt)) return l10n.t('{0} lacks its id or times', version);
    if (d.kind === 'sequence' && (!isStr(x.digest) || !isStr(x.manifest))) return l10n.t('{0} has no digest or manifest', version);
    if (d.kind === 'portfolio' && !isRef(x.source)) return l10n.t('{0} has no source', version);
    if (x.tags !== undefined && !(Array.isArray(x.tags) && x.tags.every(isStr))) return l10n.t('{0} has tags that are not strings', version);
    if (x.metadata !== undefined && (typeof x.metadata !== 'object' || x.metadata === null || Array.isArray(x.metadata))) return l10n.t('{0} has metadata that is not an object', version);
  }
  if (typeof d.aliases !== 'object' || d.aliases === null || Array.isArray(d.aliases)) return l10n.t('aliases is not an object');
  for (const [a, i] of Object.entries(d.aliases as Record<string, unknown>)) if (!isInt(i)) return l10n.t('alias {0} points at {1}', JSON.stringify(a), JSON.stringify(i) ?? 'undefined');
  if (d.tags !== undefined && !(Array.isArray(d.tags) && d.tags.every(isStr))) return l10n.t('tags is not a list of strings');
  if (d.state !== undefined && d.state !== 'DELETED') return `state ${JSON.stringify(d.state)}`; // l10n-ignore: the field and its value
  return undefined;
}

/** `location`: the registry's, for the message when the document is damaged. */
export function parseCollection(body: Buffer, key: string, location?: string): CollectionDoc {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new DamagedCollectionError(key, location, body.length === 0 ? l10n.t('empty') : l10n.t('not JSON: {0}', (e as Error).message));
  }
  if (typeof doc === 'object' && doc !== null && typeof (doc as CollectionDoc).format === 'number' && (doc as CollectionDoc).format > COLLECTION_FORMAT) {
    throw new ConflictError(l10n.t('{0} has format {1}; this version of Artifacts reads format {2}: update Artifacts', key, (doc as CollectionDoc).format, COLLECTION_FORMAT));
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
    throw new NotFoundError(
      byIndex === undefined ? l10n.t('{0}:{1} does not exist (no version has that alias)', what, alias) : l10n.t('{0}:{1} does not exist', what, alias),
    );
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
    throw new ValidationError(l10n.t("Alias '{0}' differs only by case from the alias '{1}' already in {2}", alias, clash, doc.name));
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
  if (!v || v.state !== 'COMMITTED') throw new NotFoundError(l10n.t('{0} does not exist', `${doc.name}:v${index}`));
  for (const a of changes.removeAliases ?? []) {
    if (a === 'latest') throw new ValidationError(l10n.t("Alias 'latest' is managed by the registry and cannot be removed"));
    if (doc.aliases[a] !== index) throw new NotFoundError(l10n.t("{0} has no alias '{1}'", `${doc.name}:v${index}`, a));
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
  if (!v || v.state !== 'COMMITTED') throw new NotFoundError(l10n.t('{0} does not exist', `${doc.name}:v${index}`));
  const aliases = aliasesOf(doc, index);
  if (aliases.length > 0 && !deleteAliases) {
    throw new ConflictError(
      l10n.t('{0} has aliases ({1}): remove them first or delete with --delete-aliases (deleteAliases: true)', `${doc.name}:v${index}`, aliases.join(', ')),
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
