/**
 * The commit protocol of a log. Nothing is visible until its last step, and after that step all of
 * it is:
 *
 *   1. the manifest is stored under the MD5 of its bytes (content-addressed, immutable); written
 *      first, so gc sees it as in use while the blobs arrive;
 *   2. the blobs the store lacks are stored (content-addressed, immutable, idempotent): copies
 *      staged straight into a local store are already there; others are put from their file;
 *   3. this process's run record is written (lineage);
 *   4. the commit point: one compare-and-swap of the collection document appends `vN` and moves
 *      `latest` and the aliases. Two writers that swap at once both retry on the fresh document,
 *      so each gets its own number and neither is lost. When the content equals `latest` (checked
 *      again inside the swap) no version is made: the aliases and tags go to that version.
 *
 * A crash anywhere before step 4 leaves only unreferenced immutable objects, which gc removes once
 * they are older than its grace period. Named crash points let tests kill the process at each step.
 */
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { INTERNAL, type Artifact } from '../core/artifact';
import type { LoggedState } from '../core/artifact-backend';
import { isMd5B64 } from '../core/digest';
import { ConflictError, NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import type { Manifest } from '../core/manifest';
import { validateAliases, validateProjectName, validateTags } from '../core/validate';
import { warn } from '../core/warnings';
import type { ObjectStore } from '../store/object-store';
import { appendVersion, findVersion, newCollection, updateVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { crashPoint } from './crash-points';
import { GC_GRACE_MS } from './gc';
import { blobKey } from './layout';
import type { RunLog } from './lineage';
import type { ManifestStore } from './manifests';
import type { CollectionPath } from './refs';
import type { VersionReader } from './versions';

export interface LogProgress {
  phase: 'store' | 'commit';
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface LogOptions {
  aliases?: string[];
  tags?: string[];
  entity?: string;
  project?: string;
  signal?: AbortSignal;
  onProgress?: (p: LogProgress) => void;
}

export interface CommitContext {
  store: ObjectStore;
  collections: CollectionStore;
  manifests: ManifestStore;
  versions: VersionReader;
  runs: RunLog;
  defaults: { entity: string; project: string };
}

export interface CommitOutcome {
  state: LoggedState;
  /** True when the content equalled `latest` and no new version was made. */
  deduplicated: boolean;
}

const BLOB_CONCURRENCY = 16;

const now = () => new Date().toISOString();

/** Logs a draft as the next version of its collection (see the protocol above). */
export async function commitLog(ctx: CommitContext, artifact: Artifact, opts: LogOptions): Promise<CommitOutcome> {
  if (!artifact.isDraft()) throw new ValidationError(`${artifact.name} is already logged; use newDraft() to make a new version`);
  const internals = artifact[INTERNAL];
  const aliases = validateAliases([...artifact.aliases, ...(opts.aliases ?? [])]);
  const tags = validateTags([...artifact.tags, ...(opts.tags ?? [])]);
  const target: CollectionPath = {
    entity: validateProjectName(opts.entity ?? internals.base?.entity ?? ctx.defaults.entity, 'Entity name'),
    project: validateProjectName(opts.project ?? internals.base?.project ?? ctx.defaults.project),
    collection: artifact.name,
  };
  const checkKind = (doc: CollectionDoc | undefined) => {
    if (!doc) return;
    if (doc.kind !== 'sequence') {
      throw new ConflictError(`${target.entity}/${target.project}/${target.collection} is a link (portfolio) collection: log into a source collection and link the version instead`);
    }
    if (doc.type !== artifact.type) {
      throw new ConflictError(`Artifact ${target.collection} already exists with type '${doc.type}'; cannot log it with type '${artifact.type}'`);
    }
  };
  const existing = await ctx.collections.load(target);
  checkKind(existing?.doc);
  internals.prepareLog();

  let manifest = artifact.manifest;
  const latest = existing && existing.doc.aliases.latest !== undefined ? findVersion(existing.doc, existing.doc.aliases.latest) : undefined;
  if (artifact.incremental && latest) {
    // W&B merges an incremental log onto the collection's latest version.
    const base = await ctx.manifests.read(latest.manifest!);
    for (const e of manifest.entries()) base.add(e, { overwrite: true });
    manifest = base;
    await ctx.runs.recordUse({ ...target, index: latest.index });
  }
  const digest = manifest.digest;
  if (latest && latest.digest === digest) return dedupe(ctx, target, latest.index, aliases, tags);

  // 1. the manifest, 2. the blobs, 3. lineage.
  const mKey = await ctx.manifests.write(manifest);
  crashPoint('after-manifest');
  await storeBlobs(ctx.store, artifact, manifest, opts);
  crashPoint('after-blobs');
  throwIfAborted(opts.signal);
  const runId = await ctx.runs.record();
  crashPoint('before-commit');
  opts.onProgress?.({ phase: 'commit', files: manifest.fileCount, totalFiles: manifest.fileCount, bytes: manifest.size, totalBytes: manifest.size });

  // 4. the commit point.
  const outcome = await ctx.collections.mutate<{ dedupeOf: number } | { doc: CollectionDoc; index: number }>(target, (doc) => {
    checkKind(doc);
    const t = now();
    doc ??= newCollection({ entity: target.entity, project: target.project, name: target.collection, type: artifact.type, kind: 'sequence' }, t);
    const head = doc.aliases.latest !== undefined ? findVersion(doc, doc.aliases.latest) : undefined;
    if (head && head.digest === digest) return { doc, result: { dedupeOf: head.index } };
    const v = appendVersion(
      doc,
      {
        id: randomBytes(8).toString('hex'),
        state: 'COMMITTED',
        createdAt: t,
        updatedAt: t,
        digest,
        manifest: mKey,
        size: manifest.size,
        fileCount: manifest.fileCount,
        description: artifact.description,
        metadata: artifact.metadata,
        tags,
        ttl: artifact.ttlSetting,
        loggedBy: runId,
        ...(internals.base ? { baseId: internals.base.id } : {}),
      },
      aliases,
      t,
    );
    return { doc, result: { doc, index: v.index } };
  });
  if ('dedupeOf' in outcome) return dedupe(ctx, target, outcome.dedupeOf, aliases, tags);
  crashPoint('after-commit');
  return { state: await ctx.versions.stateOf(outcome.doc, findVersion(outcome.doc, outcome.index)!), deduplicated: false };
}

async function storeBlobs(store: ObjectStore, artifact: Artifact, manifest: Manifest, opts: LogOptions): Promise<void> {
  const staging = artifact[INTERNAL].staging;
  const stored = [...manifest.entries()].filter((e) => e.ref === undefined);
  const totalBytes = stored.reduce((s, e) => s + (e.size ?? 0), 0);
  const progress: LogProgress = { phase: 'store', files: 0, totalFiles: stored.length, bytes: 0, totalBytes };
  const limit = pLimit(BLOB_CONCURRENCY);
  const seen = new Set<string>();
  const ownStaging = staging?.ownsFolder ? `${staging.dir}/` : undefined;
  await Promise.all(
    stored.map((e) =>
      limit(async () => {
        throwIfAborted(opts.signal);
        if (!isMd5B64(e.digest)) throw new ValidationError(`Entry ${e.path} has a digest that is not a base64 MD5: ${e.digest}`);
        const key = blobKey(e.digest);
        if (!seen.has(key)) {
          seen.add(key);
          const inStore = store.local !== undefined && e.localPath === store.local.pathOf(key);
          const stamp = inStore ? staging?.stamp(e.localPath!) : undefined;
          if (stamp && Date.now() - stamp.ctimeMs < GC_GRACE_MS / 2) {
            // Written (and sealed) straight into the store while hashing; young enough that gc
            // cannot have removed it (it keeps anything younger than its grace period).
          } else if (inStore || !e.localPath) {
            // Already stored (an older staging, or an entry inherited from the base version).
            if (!(await store.head(key))) {
              throw new NotFoundError(`The contents of ${e.path} (${e.digest}) are no longer in ${store.location} (removed by gc?): add the file to the draft again`);
            }
          } else {
            // Anything else is copied (or moved) in, and verified by its first download.
            await store.putFile(key, e.localPath, { move: ownStaging !== undefined && e.localPath.startsWith(ownStaging), md5: e.digest, signal: opts.signal });
          }
        }
        progress.files += 1;
        progress.bytes += e.size ?? 0;
        opts.onProgress?.(progress);
      }),
    ),
  );
}

async function dedupe(ctx: CommitContext, target: CollectionPath, index: number, aliases: string[], tags: string[]): Promise<CommitOutcome> {
  warn(`Artifact ${target.collection} already exists with the same content as v${index}. No new version was created.`);
  const doc = await ctx.collections.mutate(target, (doc) => {
    updateVersion(doc!, index, { addAliases: aliases, addTags: tags }, now());
    return { doc: doc!, result: doc! };
  });
  return { state: await ctx.versions.stateOf(doc, findVersion(doc, index)!), deduplicated: true };
}
