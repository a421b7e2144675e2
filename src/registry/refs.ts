/**
 * W&B's artifact path syntax: `[entity/][project/]collection[:alias-or-vN]`. Everything after the
 * first `:` is the alias (it may itself hold `/` or `:`); a missing alias means `latest`.
 */
import { ValidationError } from '../core/errors';
import { validateExistingName, validateProjectName } from '../core/validate';

export interface CollectionPath {
  entity: string;
  project: string;
  collection: string;
}

export interface ArtifactRef extends CollectionPath {
  /** An alias, or `vN`. */
  alias: string;
}

export interface RefDefaults {
  entity: string;
  project: string;
}

function splitPath(text: string, what: string, defaults: RefDefaults): CollectionPath {
  const parts = text.split('/');
  if (parts.length > 3 || parts.some((p) => p.length === 0)) {
    throw new ValidationError(`Invalid ${what} '${text}': expected [entity/][project/]collection`);
  }
  const collection = parts.pop()!;
  const project = parts.pop() ?? defaults.project;
  const entity = parts.pop() ?? defaults.entity;
  return {
    entity: validateProjectName(entity, 'Entity name'),
    project: validateProjectName(project),
    collection: validateExistingName(collection),
  };
}

export function parseRef(text: string, defaults: RefDefaults): ArtifactRef {
  const colon = text.indexOf(':');
  const pathPart = colon >= 0 ? text.slice(0, colon) : text;
  const alias = colon >= 0 ? text.slice(colon + 1) : 'latest';
  if (alias.length === 0) throw new ValidationError(`Invalid artifact reference '${text}': the part after ':' is empty`);
  return { ...splitPath(pathPart, 'artifact reference', defaults), alias };
}

export function parseCollectionPath(text: string, defaults: RefDefaults): CollectionPath {
  if (text.includes(':')) throw new ValidationError(`Invalid collection path '${text}': it must not name a version`);
  return splitPath(text, 'collection path', defaults);
}

/** What `ls` lists: an entity's projects, a project's collections, or a collection's versions. */
export type ListTarget = { entity: string } | { entity: string; project: string } | CollectionPath;

/**
 * `ls`'s argument: nothing (the entity's projects), `project` or `entity/project` (its collections),
 * `entity/project/collection` (its versions). Same segment rules as every other path.
 */
export function parseListTarget(text: string | undefined, defaults: RefDefaults): ListTarget {
  if (text === undefined || text === '') return { entity: validateProjectName(defaults.entity, 'Entity name') };
  const parts = text.replace(/\/+$/, '').split('/');
  if (parts.length > 3 || parts.some((p) => p.length === 0) || text.includes(':')) {
    throw new ValidationError(`Invalid path '${text}': expected [entity/]project[/collection]`);
  }
  if (parts.length === 3) return splitPath(parts.join('/'), 'path', defaults);
  const project = validateProjectName(parts.pop()!);
  const entity = validateProjectName(parts.pop() ?? defaults.entity, 'Entity name');
  return { entity, project };
}

export function formatRef(r: CollectionPath & { index: number }): string {
  return `${r.entity}/${r.project}/${r.collection}:v${r.index}`;
}

/** `vN` → N, otherwise undefined. */
export function versionIndexOf(alias: string): number | undefined {
  return /^v\d+$/.test(alias) ? Number(alias.slice(1)) : undefined;
}
