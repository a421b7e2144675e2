/**
 * W&B's artifact path syntax: `[entity/][project/]collection[:alias-or-vN]`. Everything after the
 * first `:` is the alias (it may itself hold `/` or `:`); a missing alias means `latest`.
 */
import * as l10n from '@vscode/l10n';
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

/** What the text was given as, for the message when it is not a path. */
type PathKind = 'reference' | 'collection' | 'path';

function invalidPath(kind: PathKind, text: string): ValidationError {
  switch (kind) {
    case 'reference':
      return new ValidationError(l10n.t("Invalid artifact reference '{0}': expected [entity/][project/]collection", text));
    case 'collection':
      return new ValidationError(l10n.t("Invalid collection path '{0}': expected [entity/][project/]collection", text));
    case 'path':
      return new ValidationError(l10n.t("Invalid path '{0}': expected [entity/][project/]collection", text));
  }
}

function splitPath(text: string, what: PathKind, defaults: RefDefaults): CollectionPath {
  const parts = text.split('/');
  if (parts.length > 3 || parts.some((p) => p.length === 0)) throw invalidPath(what, text);
  const collection = parts.pop()!;
  const project = parts.pop() ?? defaults.project;
  const entity = parts.pop() ?? defaults.entity;
  return {
    entity: validateProjectName(entity, 'entity'),
    project: validateProjectName(project),
    collection: validateExistingName(collection),
  };
}

export function parseRef(text: string, defaults: RefDefaults): ArtifactRef {
  const colon = text.indexOf(':');
  const pathPart = colon >= 0 ? text.slice(0, colon) : text;
  const alias = colon >= 0 ? text.slice(colon + 1) : 'latest';
  if (alias.length === 0) throw new ValidationError(l10n.t("Invalid artifact reference '{0}': the part after ':' is empty", text));
  return { ...splitPath(pathPart, 'reference', defaults), alias };
}

export function parseCollectionPath(text: string, defaults: RefDefaults): CollectionPath {
  if (text.includes(':')) throw new ValidationError(l10n.t("Invalid collection path '{0}': it must not name a version", text));
  return splitPath(text, 'collection', defaults);
}

/** What `ls` lists: an entity's projects, a project's collections, or a collection's versions. */
export type ListTarget = { entity: string } | { entity: string; project: string } | CollectionPath;

/**
 * `ls`'s argument: nothing (the entity's projects), `project` or `entity/project` (its collections),
 * `entity/project/collection` (its versions). Same segment rules as every other path.
 */
export function parseListTarget(text: string | undefined, defaults: RefDefaults): ListTarget {
  if (text === undefined || text === '') return { entity: validateProjectName(defaults.entity, 'entity') };
  const parts = text.replace(/\/+$/, '').split('/');
  if (parts.length > 3 || parts.some((p) => p.length === 0) || text.includes(':')) {
    throw new ValidationError(l10n.t("Invalid path '{0}': expected [entity/]project[/collection]", text));
  }
  if (parts.length === 3) return splitPath(parts.join('/'), 'path', defaults);
  const project = validateProjectName(parts.pop()!);
  const entity = validateProjectName(parts.pop() ?? defaults.entity, 'entity');
  return { entity, project };
}

export function formatRef(r: CollectionPath & { index: number }): string {
  return `${r.entity}/${r.project}/${r.collection}:v${r.index}`;
}

/** `vN` → N, otherwise undefined. */
export function versionIndexOf(alias: string): number | undefined {
  return /^v\d+$/.test(alias) ? Number(alias.slice(1)) : undefined;
}
