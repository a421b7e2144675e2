/**
 * Moving a version from one registry to another (`artifacts push` / `pull`, Registry.push / pull):
 * a folder, a bucket or a container on either side. The version keeps its manifest and therefore its
 * digest; it gets the aliases given for the target (and `latest` there); its description, metadata,
 * tags, TTL, creation time and lineage (the run that logged it, the runs that used it) come along.
 *
 * It goes through the target's own commit protocol (commit.ts), so it is as safe beside the
 * target's other writers and its gc as a log: pin the manifest and the blobs, write the manifest,
 * wait for deletions announced before the pin, copy the blobs the target lacks (asked with one
 * listing: blob-presence.ts), each checked against its digest on the way, then one compare-and-swap
 * of the target's collection document. A version whose content the target collection already has
 * is not copied again: it gets the aliases, and nothing else moves.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import pLimit from 'p-limit';
import type { LoggedState, TransferProgress } from '../core/artifact-backend';
import { ConflictError, CorruptObjectError, NotFoundError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool } from '../core/hashing/pool';
import type { Manifest } from '../core/manifest';
import { validateAliases } from '../core/validate';
import { warn } from '../core/warnings';
import { listAll, type ObjectStore } from '../store/object-store';
import { presentBlobs } from './blob-presence';
import { appendVersion, findVersion, newCollection, updateVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { blobKey, runKey, usesPrefix } from './layout';
import type { ManifestStore } from './manifests';
import type { Pins } from './pins';
import { formatRef, parseCollectionPath, parseRef, type CollectionPath } from './refs';
import type { VersionReader } from './versions';

/** What a copy needs of each registry (Registry hands these over; they are not its public surface). */
export interface RegistryParts {
  store: ObjectStore;
  localRoot: string;
  entity: string;
  project: string;
  collections: CollectionStore;
  manifests: ManifestStore;
  versions: VersionReader;
  pins: Pins;
}

export interface CopyVersionOptions {
  /** Aliases the version gets in the target (it also becomes `latest` there when it is new). */
  aliases?: string[];
  /** `[entity/][project/]collection` in the target (default: the source version's collection). */
  as?: string;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
}

export interface CopyVersionResult {
  /** The version in the source (its source version, for a link). */
  from: string;
  /** The version in the target, `entity/project/collection:vN`. */
  ref: string;
  digest: string;
  /** True when the target collection already had this content: no new version was made. */
  existed: boolean;
  /** Blobs (and their bytes) copied; the others were there already. */
  blobsCopied: number;
  bytesCopied: number;
  blobsPresent: number;
}

const BLOB_CONCURRENCY = 16;
const now = () => new Date().toISOString();

/** A temp file beside the target's objects when it is a folder (renames stay atomic), else in the local root. */
async function tempFile(target: RegistryParts, what: string): Promise<string> {
  const dir = target.store.local?.tmpDir ?? path.join(target.localRoot, 'tmp');
  await fsp.mkdir(dir, { recursive: true });
  return path.join(dir, `${what}-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * Stores one blob of the source in the target, never with bytes other than its digest's: a remote
 * target gets the MD5 with the upload (the server refuses other bytes), a folder target a copy that
 * was hashed on the way in.
 */
async function copyBlob(source: RegistryParts, target: RegistryParts, key: string, digest: string, where: string, signal?: AbortSignal): Promise<void> {
  let fetched: string | undefined;
  let src = source.store.local?.pathOf(key);
  try {
    if (!src) {
      fetched = await tempFile(target, 'fetch');
      if (!(await source.store.getFile(key, fetched, { signal }))) throw new NotFoundError(`The contents of ${where} (${key}) are missing from ${source.store.location}`);
      src = fetched;
    }
    if (!target.store.local) {
      await target.store.putFile(key, src, { md5: digest, signal, move: fetched !== undefined });
      return;
    }
    const tmp = await tempFile(target, 'copy');
    try {
      await hashPool().copy({ op: 'copy', src, dest: tmp, expect: digest, mode: 0o444 });
      await target.store.putFile(key, tmp, { move: true, md5: digest, signal });
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  } catch (e) {
    if (e instanceof CopyDigestError) throw new CorruptObjectError(key, e.expected, e.actual, where);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && source.store.local) throw new NotFoundError(`The contents of ${where} (${key}) are missing from ${source.store.location}`);
    throw e;
  } finally {
    if (fetched) await fsp.rm(fetched, { force: true });
  }
}

/** Copies the run records (who logged it, who used it) of the source version; best effort. */
async function carryLineage(source: RegistryParts, target: RegistryParts, from: LoggedState, loggedBy: string | undefined, to: CollectionPath & { index: number }): Promise<void> {
  const copyRun = async (id: string) => {
    const run = await source.store.get(runKey(id));
    if (run) await target.store.putIfAbsent(runKey(id), run.body);
  };
  try {
    if (loggedBy) await copyRun(loggedBy);
    for await (const use of listAll(source.store, usesPrefix(from.source, from.source.index))) {
      const record = await source.store.get(use.key);
      if (!record) continue;
      const runId = use.key.slice(use.key.lastIndexOf('/') + 1, -'.json'.length);
      await copyRun(runId);
      await target.store.put(`${usesPrefix(to, to.index)}${runId}.json`, record.body);
    }
  } catch (e) {
    warn(`The lineage of ${formatRef(from.source)} was not fully copied to ${target.store.location}: ${(e as Error).message}`);
  }
}

/** Copies the version `ref` of `source` into `target` (see the top of this file). */
export async function copyVersion(source: RegistryParts, target: RegistryParts, ref: string, opts: CopyVersionOptions = {}): Promise<CopyVersionResult> {
  const { signal } = opts;
  const aliases = validateAliases(opts.aliases ?? [], { allowLatest: false });
  const state = await source.versions.resolve(parseRef(ref, { entity: source.entity, project: source.project }), ref);
  const from = formatRef(state.source);
  const srcDoc = await source.collections.require(state.source);
  const srcVersion = findVersion(srcDoc, state.source.index)!;
  const dest: CollectionPath = opts.as
    ? parseCollectionPath(opts.as, { entity: state.source.entity, project: state.source.project })
    : { entity: state.source.entity, project: state.source.project, collection: state.source.collection };
  const manifest: Manifest = await source.manifests.read(state.manifestKey);
  const blobs = new Map<string, { digest: string; size: number; path: string }>();
  for (const e of manifest.entries()) if (e.ref === undefined) blobs.set(blobKey(e.digest), { digest: e.digest, size: e.size ?? 0, path: e.path });
  const result: CopyVersionResult = { from, ref: '', digest: state.digest, existed: false, blobsCopied: 0, bytesCopied: 0, blobsPresent: 0 };

  const checkTarget = (doc: CollectionDoc | undefined) => {
    if (!doc) return undefined;
    const where = `${dest.entity}/${dest.project}/${dest.collection} in ${target.store.location}`;
    if (doc.kind !== 'sequence') throw new ConflictError(`${where} is a collection of links: copy the version into a source collection (--as) and link it there`);
    if (doc.type !== state.type) throw new ConflictError(`${where} holds type '${doc.type}'; ${from} is a '${state.type}'`);
    return doc.versions.find((v) => v.state === 'COMMITTED' && v.digest === state.digest);
  };
  const addAliases = async (index: number) => {
    if (aliases.length === 0) return;
    await target.collections.mutate(dest, (doc) => {
      updateVersion(doc!, index, { addAliases: aliases }, now());
      return { doc: doc!, result: null };
    });
  };
  const existing = checkTarget((await target.collections.load(dest))?.doc);
  if (existing) {
    await addAliases(existing.index);
    return { ...result, ref: formatRef({ ...dest, index: existing.index }), existed: true, blobsPresent: blobs.size };
  }

  const mKey = target.manifests.keyOf(manifest);
  const pin = await target.pins.pin([mKey, ...blobs.keys()]);
  try {
    await target.manifests.write(manifest);
    await target.pins.settle(new Set(blobs.keys()), { signal });
    const present = await presentBlobs(target.store, blobs.keys(), { signal });
    const progress: TransferProgress = { files: 0, totalFiles: blobs.size, bytes: 0, totalBytes: [...blobs.values()].reduce((s, b) => s + b.size, 0) };
    const limit = pLimit(BLOB_CONCURRENCY);
    await Promise.all(
      [...blobs].map(([key, b]) =>
        limit(async () => {
          throwIfAborted(signal);
          if (present.has(key)) {
            result.blobsPresent += 1;
          } else {
            await copyBlob(source, target, key, b.digest, `${from} ${b.path}`, signal);
            result.blobsCopied += 1;
            result.bytesCopied += b.size;
          }
          progress.files += 1;
          progress.bytes += b.size;
          opts.onProgress?.(progress);
        }),
      ),
    );
    throwIfAborted(signal);
    // The commit point: one compare-and-swap of the target's collection document.
    const outcome = await target.collections.mutate<{ index: number; existed: boolean }>(dest, (doc) => {
      const already = checkTarget(doc);
      const t = now();
      doc ??= newCollection({ ...dest, name: dest.collection, type: state.type, kind: 'sequence' }, t);
      if (already) {
        updateVersion(doc, already.index, { addAliases: aliases }, t);
        return { doc, result: { index: already.index, existed: true } };
      }
      const v = appendVersion(
        doc,
        {
          id: randomBytes(8).toString('hex'),
          state: 'COMMITTED',
          createdAt: srcVersion.createdAt,
          updatedAt: t,
          digest: state.digest,
          manifest: mKey,
          size: manifest.size,
          fileCount: manifest.fileCount,
          description: state.description,
          metadata: state.metadata,
          tags: state.tags,
          ttl: state.ttl,
          ...(srcVersion.loggedBy ? { loggedBy: srcVersion.loggedBy } : {}),
        },
        aliases,
        t,
      );
      return { doc, result: { index: v.index, existed: false } };
    });
    result.ref = formatRef({ ...dest, index: outcome.index });
    result.existed = outcome.existed;
    if (!outcome.existed) await carryLineage(source, target, state, srcVersion.loggedBy, { ...dest, index: outcome.index });
    return result;
  } finally {
    await pin.release().catch(() => undefined);
  }
}
