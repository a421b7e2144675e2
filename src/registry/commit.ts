/**
 * The commit protocol of a log. Nothing is visible until its last step, and after that step all of
 * it is:
 *
 *   1. the manifest is stored under the MD5 of its bytes (content-addressed, immutable), and a pin
 *      on it and on every blob it names is written before anything is checked (pins.ts: gc and
 *      cache cleanup never delete a pinned key, and a deletion announced before the pin is waited
 *      for and its keys checked again);
 *   2. every blob is made present with the manifest's bytes (blob-upload.ts): copies staged
 *      straight into a local store are already there; others are checked by key and stored from a
 *      copy that is hashed on the way, so a file changed since it was added is refused by name;
 *   3. the run's record is written (lineage: lineage.ts says which run a log belongs to);
 *   4. the commit point: one compare-and-swap of the collection document appends `vN` and moves
 *      `latest` and the aliases. Two writers that swap at once both retry on the fresh document,
 *      so each gets its own number and neither is lost. When the content equals `latest` (checked
 *      again inside the swap) no version is made: the aliases and tags go to that version.
 *   5. the run's outputs index gets the version (best effort: the version's `loggedBy` already names
 *      the run), and the pin is released: the committed version keeps its blobs live from now on.
 *
 * A crash anywhere before step 4 leaves only unreferenced immutable objects, which gc removes once
 * they are older than its grace period and their pin's lease has run out. Named crash points let
 * tests kill the process at each step.
 */
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { INTERNAL, type Artifact } from '../core/artifact';
import type { ArtifactBackend, LoggedState } from '../core/artifact-backend';
import { ConflictError, ValidationError, throwIfAborted } from '../core/errors';
import type { Manifest } from '../core/manifest';
import { validateAliases, validateProjectName, validateTags } from '../core/validate';
import { warn } from '../core/warnings';
import type { ObjectStore } from '../store/object-store';
import { betweenPhases } from '../core/memory';
import { blobsOf, storeBlobs } from './blob-upload';
import { appendVersion, findVersion, newCollection, updateVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import { crashPoint } from './crash-points';
import type { RunLog } from './lineage';
import type { ManifestStore } from './manifests';
import type { Pins } from './pins';
import { formatRef, type CollectionPath } from './refs';
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
  pins: Pins;
  defaults: { entity: string; project: string };
}

export interface CommitOutcome {
  state: LoggedState;
  /** True when the content equalled `latest` and no new version was made. */
  deduplicated: boolean;
}

const now = () => new Date().toISOString();

/**
 * The draft's side of a log: commitLog, then the draft becomes the logged version (bound to
 * `backend`) and its staging is discarded; after a failure the draft stays editable and can be
 * logged again.
 */
export async function logDraft(ctx: CommitContext, draft: Artifact, backend: ArtifactBackend, opts: LogOptions): Promise<{ artifact: Artifact; deduplicated: boolean }> {
  const internals = draft[INTERNAL];
  let committed = false;
  try {
    const { state, deduplicated } = await commitLog(ctx, draft, opts);
    committed = true;
    internals.markLogged(state, backend);
    return { artifact: draft, deduplicated };
  } catch (e) {
    internals.reopenAfterFailedLog();
    throw e;
  } finally {
    if (committed) await internals.staging?.discard();
  }
}

/** Logs a draft as the next version of its collection (see the protocol above). */
export async function commitLog(ctx: CommitContext, artifact: Artifact, opts: LogOptions): Promise<CommitOutcome> {
  if (!artifact.isDraft()) throw new ValidationError(l10n.t('{0} is already logged; use newDraft() to make a new version', artifact.name));
  const internals = artifact[INTERNAL];
  const aliases = validateAliases([...artifact.aliases, ...(opts.aliases ?? [])]);
  const tags = validateTags([...artifact.tags, ...(opts.tags ?? [])]);
  const target: CollectionPath = {
    entity: validateProjectName(opts.entity ?? internals.base?.entity ?? ctx.defaults.entity, 'entity'),
    project: validateProjectName(opts.project ?? internals.base?.project ?? ctx.defaults.project),
    collection: artifact.name,
  };
  const checkKind = (doc: CollectionDoc | undefined) => {
    if (!doc) return;
    if (doc.kind !== 'sequence') {
      throw new ConflictError(l10n.t('{0} is a link (portfolio) collection: log into a source collection and link the version instead', `${target.entity}/${target.project}/${target.collection}`));
    }
    if (doc.type !== artifact.type) {
      throw new ConflictError(l10n.t("Artifact {0} already exists with type '{1}'; cannot log it with type '{2}'", target.collection, doc.type, artifact.type));
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
  if (latest && latest.digest === digest) return dedupe(ctx, target, latest.index, aliases, tags, await ctx.runs.record());

  // 1. the pin and the manifest, 2. the blobs, 3. lineage.
  betweenPhases(manifest.fileCount); // the draft's building is done; the manifest's JSON comes next
  const prepared = ctx.manifests.prepare(manifest); // serialized once: 100,000 entries are ~12 MB of JSON
  const mKey = prepared.key;
  const blobs = blobsOf(manifest);
  const pin = await ctx.pins.pin([mKey, ...blobs.blobs.keys()]);
  try {
    await ctx.manifests.write(prepared);
    crashPoint('after-manifest');
    betweenPhases(manifest.fileCount);
    await storeBlobs(ctx.store, ctx.pins, artifact, blobs, { signal: opts.signal, onProgress: (p) => opts.onProgress?.({ phase: 'store', ...p }) });
    crashPoint('after-blobs');
    throwIfAborted(opts.signal);
    const runId = await ctx.runs.record();
    crashPoint('before-commit');
    opts.onProgress?.({ phase: 'commit', files: manifest.fileCount, totalFiles: manifest.fileCount, bytes: manifest.size, totalBytes: manifest.size });
    return await commitVersion(ctx, artifact, target, checkKind, { manifest, mKey, digest, runId, aliases, tags });
  } finally {
    await pin.release().catch(() => undefined); // an unreleased pin only delays gc until its lease ends
  }
}

interface Prepared {
  manifest: Manifest;
  mKey: string;
  digest: string;
  runId: string;
  aliases: string[];
  tags: string[];
}

/** Step 4: the compare-and-swap that makes the version visible. */
async function commitVersion(ctx: CommitContext, artifact: Artifact, target: CollectionPath, checkKind: (doc: CollectionDoc | undefined) => void, p: Prepared): Promise<CommitOutcome> {
  const { manifest, mKey, digest, runId, aliases, tags } = p;
  const internals = artifact[INTERNAL];

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
  if ('dedupeOf' in outcome) return dedupe(ctx, target, outcome.dedupeOf, aliases, tags, runId);
  crashPoint('after-commit');
  await recordOutput(ctx, runId, { ...target, index: outcome.index }, false);
  return { state: await ctx.versions.stateOf(outcome.doc, findVersion(outcome.doc, outcome.index)!), deduplicated: false };
}

/**
 * The run's outputs index (lineage by run), just after the commit: best effort, like all lineage (the
 * version's own `loggedBy`, written by the commit, already names the run).
 */
async function recordOutput(ctx: CommitContext, runId: string, v: CollectionPath & { index: number }, deduplicated: boolean): Promise<void> {
  await ctx.runs.recordOutput(runId, v, { deduplicated }).catch((e) => warn(l10n.t('Could not record that run {0} logged {1} in {2}: {3}', runId, formatRef(v), ctx.store.location, (e as NodeJS.ErrnoException).code ?? (e as Error).message)));
}

async function dedupe(ctx: CommitContext, target: CollectionPath, index: number, aliases: string[], tags: string[], runId: string): Promise<CommitOutcome> {
  warn(l10n.t('Artifact {0} already exists with the same content as {1}. No new version was created.', target.collection, `v${index}`));
  const doc = await ctx.collections.mutate(target, (doc) => {
    updateVersion(doc!, index, { addAliases: aliases, addTags: tags }, now());
    return { doc: doc!, result: doc! };
  });
  // The run logged this content again: the version counts as one of the run's outputs.
  await recordOutput(ctx, runId, { ...target, index }, true);
  return { state: await ctx.versions.stateOf(doc, findVersion(doc, index)!), deduplicated: true };
}
