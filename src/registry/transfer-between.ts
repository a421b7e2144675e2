/**
 * Moving a version from one registry to another (`artifacts push` / `pull`, Registry.push / pull):
 * a folder, a bucket or a container on either side. The version keeps its manifest and therefore its
 * digest; it gets the aliases given for the target (and `latest` there); its description, metadata,
 * tags, TTL, creation time and lineage (the run that logged it, the runs that used it) come along.
 *
 * It goes through the target's own commit protocol (commit.ts), so it is as safe beside the
 * target's other writers and its gc as a log: pin the manifest and the blobs; then, together, write
 * the manifest, ask which blobs are there (one listing: blob-presence.ts) and wait for deletions
 * announced before the pin (the keys those named are asked again once they are done); copy the
 * blobs the target lacks, each checked against its digest on the way; then one compare-and-swap of
 * the target's collection document. Reads that do not depend on each other go out at once: on a
 * bucket each round trip counts. A version whose content the target collection already has
 * is not copied again: it gets the aliases, and nothing else moves.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import pLimit from 'p-limit';
import type { LoggedState, TransferProgress } from '../core/artifact-backend';
import { ConflictError, CorruptObjectError, NotFoundError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool } from '../core/hashing/pool';
import type { Manifest } from '../core/manifest';
import { validateAliases } from '../core/validate';
import { warn } from '../core/warnings';
import { listAll, type ObjectStore } from '../store/object-store';
import { presentBlobs } from './blob-presence';
import { appendVersion, findVersion, newCollection, resolveAlias, updateVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { blobKey, runEdgeKey, runEndKey, runKey, usesPrefix } from './layout';
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
      if (!(await source.store.getFile(key, fetched, { signal }))) throw new NotFoundError(l10n.t('The contents of {0} ({1}) are missing from {2}', where, key, source.store.location));
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
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && source.store.local) throw new NotFoundError(l10n.t('The contents of {0} ({1}) are missing from {2}', where, key, source.store.location));
    throw e;
  } finally {
    if (fetched) await fsp.rm(fetched, { force: true });
  }
}

/** The source version's lineage: the run that logged it and the uses recorded for it (best effort). */
interface Lineage {
  runs: Map<string, Buffer>;
  /** The ends of named runs (`runs/<id>.end.json`), by run id. */
  ends: Map<string, Buffer>;
  uses: Array<{ runId: string; body: Buffer }>;
  loggedBy: string | undefined;
}

async function readLineage(source: RegistryParts, from: LoggedState, loggedBy: string | undefined): Promise<Lineage> {
  const lineage: Lineage = { runs: new Map(), ends: new Map(), uses: [], loggedBy };
  try {
    const readRun = async (id: string) => {
      if (lineage.runs.has(id)) return;
      const [run, end] = await Promise.all([source.store.get(runKey(id)), source.store.get(runEndKey(id))]);
      if (run) lineage.runs.set(id, run.body);
      if (end) lineage.ends.set(id, end.body);
    };
    const uses: string[] = [];
    for await (const use of listAll(source.store, usesPrefix(from.source, from.source.index))) uses.push(use.key);
    await Promise.all([
      loggedBy ? readRun(loggedBy) : undefined,
      ...uses.map(async (key) => {
        const record = await source.store.get(key);
        const runId = key.slice(key.lastIndexOf('/') + 1, -'.json'.length);
        if (record) lineage.uses.push({ runId, body: record.body });
        await readRun(runId);
      }),
    ]);
  } catch (e) {
    warn(l10n.t('The lineage of {0} could not be read from {1}: {2}', formatRef(from.source), source.store.location, (e as Error).message));
  }
  return lineage;
}

/** Stores the run records in the target (they are immutable: before the commit is fine). */
async function writeRuns(target: RegistryParts, lineage: Lineage): Promise<void> {
  const records = [...[...lineage.runs].map(([id, body]) => [runKey(id), body] as const), ...[...lineage.ends].map(([id, body]) => [runEndKey(id), body] as const)];
  await Promise.all(records.map(([key, body]) => target.store.putIfAbsent(key, body))).catch((e) => warn(l10n.t('Run records were not copied to {0}: {1}', target.store.location, (e as Error).message)));
}

/** Records the uses under the new version, and the version in its runs' indexes (its index is known once committed). */
async function writeUses(target: RegistryParts, lineage: Lineage, to: CollectionPath & { index: number }): Promise<void> {
  const at = JSON.stringify({ at: new Date().toISOString() });
  await Promise.all([
    ...lineage.uses.map((u) => target.store.put(`${usesPrefix(to, to.index)}${u.runId}.json`, u.body)),
    ...lineage.uses.map((u) => target.store.putIfAbsent(runEdgeKey(u.runId, 'inputs', to), at)),
    lineage.loggedBy ? target.store.putIfAbsent(runEdgeKey(lineage.loggedBy, 'outputs', to), at) : undefined,
  ]).catch((e) => warn(l10n.t('Use records were not copied to {0}: {1}', target.store.location, (e as Error).message)));
}

/** Copies the version `ref` of `source` into `target` (see the top of this file). */
export async function copyVersion(source: RegistryParts, target: RegistryParts, ref: string, opts: CopyVersionOptions = {}): Promise<CopyVersionResult> {
  const { signal } = opts;
  const aliases = validateAliases(opts.aliases ?? [], { allowLatest: false });
  const wanted = parseRef(ref, { entity: source.entity, project: source.project });
  // Independent reads go out together: each round trip to a bucket counts.
  const asPath = opts.as ? parseCollectionPath(opts.as, { entity: wanted.entity, project: wanted.project }) : undefined;
  // The target collection is read beside the source: the one named, or the ref's own (its usual
  // target; a link's turns out to be its source's, read then).
  const guess: CollectionPath = asPath ?? { entity: wanted.entity, project: wanted.project, collection: wanted.collection };
  const [doc, early] = await Promise.all([source.collections.require(wanted), target.collections.load(guess)]);
  const state = await source.versions.stateOf(doc, resolveAlias(doc, wanted.alias, `${wanted.entity}/${wanted.project}/${wanted.collection}`));
  if (state.state !== 'COMMITTED') throw new NotFoundError(l10n.t('{0}: its source version {1} was deleted', ref, formatRef(state.source)));
  const from = formatRef(state.source);
  const srcDoc = state.isLink ? await source.collections.require(state.source) : doc;
  const srcVersion = findVersion(srcDoc, state.source.index)!;
  const dest: CollectionPath = asPath ?? { entity: state.source.entity, project: state.source.project, collection: state.source.collection };
  const sameAsGuess = dest.entity === guess.entity && dest.project === guess.project && dest.collection === guess.collection;
  const [manifest, loaded, lineage] = await Promise.all([
    source.manifests.read(state.manifestKey) as Promise<Manifest>,
    sameAsGuess ? early : target.collections.load(dest),
    readLineage(source, state, srcVersion.loggedBy),
  ]);
  const blobs = new Map<string, { digest: string; size: number; path: string }>();
  for (const e of manifest.entries()) if (e.ref === undefined) blobs.set(blobKey(e.digest), { digest: e.digest, size: e.size ?? 0, path: e.path });
  const result: CopyVersionResult = { from, ref: '', digest: state.digest, existed: false, blobsCopied: 0, bytesCopied: 0, blobsPresent: 0 };

  const checkTarget = (d: CollectionDoc | undefined) => {
    if (!d) return undefined;
    const collection = `${dest.entity}/${dest.project}/${dest.collection}`;
    if (d.kind !== 'sequence') {
      throw new ConflictError(l10n.t('{0} in {1} is a collection of links: copy the version into a source collection (--as) and link it there', collection, target.store.location));
    }
    if (d.type !== state.type) throw new ConflictError(l10n.t("{0} in {1} holds type '{2}'; {3} is a '{4}'", collection, target.store.location, d.type, from, state.type));
    return d.versions.find((v) => v.state === 'COMMITTED' && v.digest === state.digest);
  };
  const existing = checkTarget(loaded?.doc);
  if (existing) {
    if (aliases.length > 0) {
      await target.collections.mutate(dest, (d) => {
        updateVersion(d!, existing.index, { addAliases: aliases }, now());
        return { doc: d!, result: null };
      });
    }
    return { ...result, ref: formatRef({ ...dest, index: existing.index }), existed: true, blobsPresent: blobs.size };
  }

  const prepared = target.manifests.prepare(manifest);
  const mKey = prepared.key;
  const pin = await target.pins.pin([mKey, ...blobs.keys()]);
  let released = false;
  try {
    // After the pin: the manifest, the run records, and which blobs are there, all at once. A key
    // that a deletion announced before the pin named may go while it is listed: asked again once
    // that deletion is done (pins.ts).
    const [, suspect, listed] = await Promise.all([
      target.manifests.write(prepared),
      target.pins.settle(new Set(blobs.keys()), { signal }),
      presentBlobs(target.store, blobs.keys(), { signal }),
      writeRuns(target, lineage),
    ]);
    const present = new Set(listed);
    for (const key of suspect) if (present.has(key) && !(await target.store.head(key))) present.delete(key);
    const progress: TransferProgress = { files: 0, totalFiles: blobs.size, bytes: 0, totalBytes: [...blobs.values()].reduce((n, b) => n + b.size, 0) };
    const missing = [...blobs].filter(([key]) => !present.has(key));
    result.blobsPresent = blobs.size - missing.length;
    progress.files = result.blobsPresent;
    progress.bytes = [...blobs].reduce((n, [key, b]) => n + (present.has(key) ? b.size : 0), 0);
    if (result.blobsPresent) opts.onProgress?.(progress);
    const limit = pLimit(BLOB_CONCURRENCY);
    await Promise.all(
      missing.map(([key, b]) =>
        limit(async () => {
          throwIfAborted(signal);
          await copyBlob(source, target, key, b.digest, `${from} ${b.path}`, signal);
          result.blobsCopied += 1;
          result.bytesCopied += b.size;
          progress.files += 1;
          progress.bytes += b.size;
          opts.onProgress?.(progress);
        }),
      ),
    );
    throwIfAborted(signal);
    // The commit point: one compare-and-swap of the target's collection document (first against
    // the document read above; if another writer changed it since, again on the fresh one).
    const outcome = await target.collections.mutate<{ index: number; existed: boolean }>(dest, (d) => {
      const already = checkTarget(d);
      const t = now();
      d ??= newCollection({ ...dest, name: dest.collection, type: state.type, kind: 'sequence' }, t);
      if (already) {
        updateVersion(d, already.index, { addAliases: aliases }, t);
        return { doc: d, result: { index: already.index, existed: true } };
      }
      const v = appendVersion(
        d,
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
      return { doc: d, result: { index: v.index, existed: false } };
    }, { readJustNow: { loaded } });
    result.ref = formatRef({ ...dest, index: outcome.index });
    result.existed = outcome.existed;
    released = true;
    await Promise.all([outcome.existed ? undefined : writeUses(target, lineage, { ...dest, index: outcome.index }), pin.release().catch(() => undefined)]);
    return result;
  } finally {
    if (!released) await pin.release().catch(() => undefined);
  }
}
