/**
 * Checking a registry end to end: every collection document is read, every manifest a committed
 * version names is read (its key is the MD5 of its bytes), every stored blob is hashed again and
 * compared with the digest its key names, and every alias and link must lead to a live version.
 *
 * With `repair`: dangling aliases are removed (one compare-and-swap each); a blob whose bytes do not
 * match its key and a collection document that cannot be read are moved to `quarantine/` (copied,
 * then removed from their place), so they stop breaking downloads and listings and stay available
 * to a person. Nothing else is deleted: a missing blob or manifest cannot be repaired here, only
 * reported.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { isMd5B64, hexToB64 } from '../core/digest';
import { throwIfAborted } from '../core/errors';
import { hashPool } from '../core/hashing/pool';
import { listAll, type ObjectStore } from '../store/object-store';
import { DamagedCollectionError, findVersion } from './collection-doc';
import type { CollectionStore } from './collections';
import { blobKey, collectionKey } from './layout';
import type { ManifestStore } from './manifests';
import { formatRef } from './refs';

export type ProblemKind = 'corrupt-blob' | 'missing-blob' | 'damaged-manifest' | 'missing-manifest' | 'damaged-collection' | 'dangling-alias' | 'broken-link';

export interface FsckProblem {
  kind: ProblemKind;
  /** The object or version concerned. */
  subject: string;
  /** What is wrong, for people (in the display language). */
  detail: string;
  /** What --repair did about it, for people (in the display language). */
  repaired?: string;
}

export interface FsckReport {
  collections: number;
  manifests: number;
  blobs: number;
  problems: FsckProblem[];
}

export interface FsckProgress {
  phase: 'collections' | 'manifests' | 'blobs';
  done: number;
  total?: number;
}

async function quarantine(store: ObjectStore, key: string, body: Buffer): Promise<string> {
  const target = `quarantine/${new Date().toISOString().replace(/[:.]/g, '-')}/${key}`;
  await store.put(target, body);
  await store.delete(key);
  return target;
}

/** The MD5 (base64) of an object's bytes. */
async function digestOf(store: ObjectStore, key: string): Promise<string | undefined> {
  if (store.local) {
    return (await hashPool().hash({ file: store.local.pathOf(key) }).catch(() => undefined))?.digest;
  }
  const stream = await store.getStream(key);
  if (!stream) return undefined;
  const hash = createHash('md5');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

export async function fsck(
  store: ObjectStore,
  collections: CollectionStore,
  manifests: ManifestStore,
  { repair = false, signal, onProgress }: { repair?: boolean; signal?: AbortSignal; onProgress?: (p: FsckProgress) => void } = {},
): Promise<FsckReport> {
  const report: FsckReport = { collections: 0, manifests: 0, blobs: 0, problems: [] };
  const problem = (p: FsckProblem) => report.problems.push(p);
  const neededManifests = new Map<string, string>(); // manifest key → a version that needs it

  // 1. Collection documents, their aliases and links.
  for await (const c of collections.walk()) {
    throwIfAborted(signal);
    report.collections += 1;
    onProgress?.({ phase: 'collections', done: report.collections });
    let doc;
    try {
      doc = (await collections.load(c))?.doc;
    } catch (e) {
      if (!(e instanceof DamagedCollectionError)) throw e;
      const p: FsckProblem = { kind: 'damaged-collection', subject: `${c.entity}/${c.project}/${c.collection}`, detail: e.message };
      if (repair) {
        const body = (await store.get(collectionKey(c)))?.body;
        if (body) p.repaired = l10n.t('moved to {0}', await quarantine(store, collectionKey(c), body));
      }
      problem(p);
      continue;
    }
    if (!doc) continue;
    for (const [alias, index] of Object.entries(doc.aliases)) {
      if (findVersion(doc, index)?.state === 'COMMITTED') continue;
      const detail = findVersion(doc, index) ? l10n.t('points at {0}, which was deleted', `v${index}`) : l10n.t('points at {0}, which does not exist', `v${index}`);
      const p: FsckProblem = { kind: 'dangling-alias', subject: `${c.entity}/${c.project}/${c.collection}:${alias}`, detail };
      if (repair && alias !== 'latest') {
        await collections.mutate(c, (d) => {
          if (d && d.aliases[alias] === index) delete d.aliases[alias];
          return { doc: d!, result: null };
        });
        p.repaired = l10n.t('alias removed');
      }
      problem(p);
    }
    for (const v of doc.versions) {
      if (v.state !== 'COMMITTED') continue;
      const ref = formatRef({ ...c, index: v.index });
      if (v.manifest) neededManifests.set(v.manifest, ref);
      if (v.source) {
        const src = await collections.load(v.source).catch(() => undefined);
        const sourceVersion = src && findVersion(src.doc, v.source.index);
        if (sourceVersion?.state !== 'COMMITTED') {
          problem({ kind: 'broken-link', subject: ref, detail: l10n.t('its source {0} is gone', formatRef(v.source)) });
        }
      }
    }
  }

  // 2. The manifests committed versions name, and the blobs those need.
  const neededBlobs = new Map<string, string>(); // blob key → `version path`
  for (const [key, ref] of neededManifests) {
    throwIfAborted(signal);
    report.manifests += 1;
    onProgress?.({ phase: 'manifests', done: report.manifests, total: neededManifests.size });
    try {
      const m = await manifests.read(key);
      for (const e of m.entries()) if (e.ref === undefined && isMd5B64(e.digest)) neededBlobs.set(blobKey(e.digest), `${ref} ${e.path}`);
    } catch (e) {
      const missing = !(await store.head(key));
      problem({ kind: missing ? 'missing-manifest' : 'damaged-manifest', subject: key, detail: l10n.t('needed by {0}: {1}', ref, (e as Error).message) });
    }
  }

  // 3. Every stored blob, hashed again.
  const present = new Set<string>();
  const blobs = [];
  for await (const b of listAll(store, 'objects/md5/')) blobs.push(b);
  for (const b of blobs) {
    throwIfAborted(signal);
    report.blobs += 1;
    onProgress?.({ phase: 'blobs', done: report.blobs, total: blobs.length });
    present.add(b.key);
    const hex = b.key.slice('objects/md5/'.length).replace('/', '');
    const expected = /^[0-9a-f]{32}$/.test(hex) ? hexToB64(hex) : undefined;
    const actual = await digestOf(store, b.key);
    if (expected !== undefined && actual === expected) continue;
    const p: FsckProblem = { kind: 'corrupt-blob', subject: b.key, detail: corruptBlobDetail(expected, actual, neededBlobs.get(b.key)) };
    if (repair) {
      const body = (await store.get(b.key))?.body;
      if (body) p.repaired = l10n.t('moved to {0}', await quarantine(store, b.key, body));
    }
    problem(p);
  }
  for (const [key, where] of neededBlobs) {
    if (!present.has(key)) problem({ kind: 'missing-blob', subject: key, detail: l10n.t('needed by {0}', where) });
  }
  return report;
}

/** What is wrong with a stored blob: its digest (`actual`, undefined when unreadable) is not the one its key names (`expected`, undefined when the key is not a digest). */
function corruptBlobDetail(expected: string | undefined, actual: string | undefined, neededBy: string | undefined): string {
  if (expected === undefined) return neededBy ? l10n.t('its name is not a digest; needed by {0}', neededBy) : l10n.t('its name is not a digest');
  if (actual === undefined) {
    return neededBy ? l10n.t('its bytes have digest (unreadable), not {0}; needed by {1}', expected, neededBy) : l10n.t('its bytes have digest (unreadable), not {0}', expected);
  }
  return neededBy ? l10n.t('its bytes have digest {0}, not {1}; needed by {2}', actual, expected, neededBy) : l10n.t('its bytes have digest {0}, not {1}', actual, expected);
}
