/**
 * Where the registry keeps things in an ObjectStore. The same keys work on a folder and a bucket:
 * immutable content-addressed objects plus one small document per collection that changes only by
 * compare-and-swap.
 *
 *   objects/md5/<2 hex>/<30 hex>                       file contents, stored once across all versions
 *   manifests/<hex md5 of the manifest bytes>.json     W&B v1 manifests (content-addressed)
 *   entities/<E>/projects/<P>/collections/<C>/index.json   the collection document (commit point)
 *   runs/<id>.json                                     processes that logged or used versions
 *   uses/<E>/<P>/<C>/v<N>/<run id>.json                who used a source version (lineage)
 */
import { b64ToHex } from '../core/digest';
import type { CollectionPath } from './refs';

export function blobKey(digestB64: string): string {
  const hex = b64ToHex(digestB64);
  return `objects/md5/${hex.slice(0, 2)}/${hex.slice(2)}`;
}

export function manifestKey(hexMd5: string): string {
  return `manifests/${hexMd5}.json`;
}

export function entitiesPrefix(): string {
  return 'entities/';
}

export function projectsPrefix(entity: string): string {
  return `entities/${entity}/projects/`;
}

export function collectionsPrefix(entity: string, project: string): string {
  return `entities/${entity}/projects/${project}/collections/`;
}

export function collectionKey(c: CollectionPath): string {
  return `${collectionsPrefix(c.entity, c.project)}${c.collection}/index.json`;
}

export function runKey(id: string): string {
  return `runs/${id}.json`;
}

export function usesPrefix(c: CollectionPath, index: number): string {
  return `uses/${c.entity}/${c.project}/${c.collection}/v${index}/`;
}
