/**
 * Where the registry keeps things in an ObjectStore. The same keys work on a folder and a bucket:
 * immutable content-addressed objects plus one small document per collection that changes only by
 * compare-and-swap.
 *
 *   objects/md5/<2 hex>/<30 hex>                       file contents, stored once across all versions
 *   objects/etag/<2 hex>/<62 hex>                      cached http(s) reference downloads (local cache only)
 *   manifests/<hex md5 of the manifest bytes>.json     W&B v1 manifests (content-addressed)
 *   entities/<E>/projects/<P>/collections/<C>/index.json   the collection document (commit point)
 *   runs/<id>.json                                     a run (a process, or a named run) that logged or used versions
 *   runs/<id>.end.json                                 how a named run ended (written once, after it ended)
 *   runs/<id>/inputs/<E>/<P>/<C>/v<N>.json             a source version the run used (lineage, by run)
 *   runs/<id>/outputs/<E>/<P>/<C>/v<N>.json            a source version the run logged (lineage, by run)
 *   uses/<E>/<P>/<C>/v<N>/<run id>.json                who used a source version (lineage, by version)
 */
import { createHash } from 'node:crypto';
import { b64ToHex } from '../core/digest';
import type { CollectionPath } from './refs';

export function blobKey(digestB64: string): string {
  const hex = b64ToHex(digestB64);
  return `objects/md5/${hex.slice(0, 2)}/${hex.slice(2)}`;
}

/**
 * W&B's reference cache key: sha256( sha256(url) || sha256(etag) ), where the ETag is the entry's
 * digest, i.e. without its quotes (W&B's `_cache_etag_entry`).
 */
export function etagCacheKey(url: string, digest: string): string {
  const sha = (s: string) => createHash('sha256').update(s).digest();
  const h = createHash('sha256').update(sha(url)).update(sha(digest)).digest('hex');
  return `objects/etag/${h.slice(0, 2)}/${h.slice(2)}`;
}

export function manifestKey(hexMd5: string): string {
  return `manifests/${hexMd5}.json`; // l10n-ignore: a store key
}

export function entitiesPrefix(): string {
  return 'entities/';
}

export function projectsPrefix(entity: string): string {
  return `entities/${entity}/projects/`; // l10n-ignore: a store key
}

export function collectionsPrefix(entity: string, project: string): string {
  return `entities/${entity}/projects/${project}/collections/`; // l10n-ignore: a store key
}

export function collectionKey(c: CollectionPath): string {
  return `${collectionsPrefix(c.entity, c.project)}${c.collection}/index.json`;
}

export function runKey(id: string): string {
  return `runs/${id}.json`; // l10n-ignore: a store key
}

export function runEndKey(id: string): string {
  return `runs/${id}.end.json`; // l10n-ignore: a store key
}

export type RunEdge = 'inputs' | 'outputs';

/** Where a run's inputs or outputs are listed, one object per source version. */
export function runEdgesPrefix(id: string, edge: RunEdge): string {
  return `runs/${id}/${edge}/`; // l10n-ignore: a store key
}

export function runEdgeKey(id: string, edge: RunEdge, v: CollectionPath & { index: number }): string {
  return `${runEdgesPrefix(id, edge)}${v.entity}/${v.project}/${v.collection}/v${v.index}.json`;
}

/** The version a key under runEdgesPrefix names, if it is one. */
export function versionOfRunEdgeKey(key: string): (CollectionPath & { index: number }) | undefined {
  const m = /^runs\/[^/]+\/(?:inputs|outputs)\/([^/]+)\/([^/]+)\/([^/]+)\/v(\d+)\.json$/.exec(key);
  return m ? { entity: m[1]!, project: m[2]!, collection: m[3]!, index: Number(m[4]) } : undefined;
}

export function usesPrefix(c: CollectionPath, index: number): string {
  return `uses/${c.entity}/${c.project}/${c.collection}/v${index}/`;
}

/** The collection a key under `entities/` belongs to (its document, its states, its folder), if any. */
export function collectionOfKey(key: string): CollectionPath | undefined {
  const m = /^entities\/([^/]+)\/projects\/([^/]+)\/collections\/([^/]+)(?:\/|$)/.exec(key);
  return m ? { entity: m[1]!, project: m[2]!, collection: m[3]! } : undefined;
}
