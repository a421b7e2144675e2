/**
 * The log use case, written once for the CLI (`log`, `digest`) and the extension (committing a
 * draft, logging files): start from nothing or from a version, leave paths out, add files, folders
 * and references, and log the result with progress through every phase.
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { Artifact } from '../core/artifact';
import { NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import type { Policy } from '../core/staging';
import type { Ttl } from '../core/ttl';
import type { Metadata } from '../core/validate';
import type { LogResult, Registry } from '../registry/registry';
import type { WorkProgress } from './progress-text';
import type { PathSource, ReferenceSource } from './sources';

export interface AddOptions {
  policy?: Policy;
  /** Let later sources replace paths added before: a folder's changed files (merge) and files (overwrite). */
  replace?: boolean;
  /** A file may replace a path added before (W&B's add_file overwrite). */
  overwrite?: boolean;
  /** A folder's changed files may replace paths added before (W&B's add_dir merge). */
  merge?: boolean;
  /** Do not keep the files in the local cache once stored (W&B's skip_cache). */
  skipCache?: boolean;
  /** References: record the URI instead of checksumming the content. */
  checksum?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: WorkProgress) => void;
}

/** Adds files and folders (each at its place) and references to a draft. */
export async function addSources(draft: Artifact, paths: readonly PathSource[], references: readonly ReferenceSource[], opts: AddOptions = {}): Promise<void> {
  let files = 0;
  let bytes = 0;
  for (const s of paths) {
    throwIfAborted(opts.signal);
    const st = await fsp.stat(s.localPath).catch(() => undefined);
    if (!st) throw new ValidationError(l10n.t('No such file or folder: {0}', s.localPath));
    if (st.isDirectory()) {
      const before = { files, bytes };
      await draft.addDir(s.localPath, {
        name: s.name || undefined,
        policy: opts.policy,
        merge: opts.merge ?? opts.replace,
        skipCache: opts.skipCache,
        signal: opts.signal,
        onProgress: (p) => {
          files = before.files + p.files;
          bytes = before.bytes + p.bytes;
          opts.onProgress?.({ phase: 'hashing', files, bytes });
        },
      });
    } else {
      const e = await draft.addFile(s.localPath, { name: s.name || undefined, policy: opts.policy, overwrite: opts.overwrite ?? opts.replace, skipCache: opts.skipCache });
      files += 1;
      bytes += e.size ?? 0;
      opts.onProgress?.({ phase: 'hashing', files, bytes });
    }
  }
  for (const r of references) {
    throwIfAborted(opts.signal);
    await draft.addReference(r.uri, { name: r.name, checksum: opts.checksum });
  }
}

export interface VersionPlan {
  name: string;
  type: string;
  /** Start from this version's contents (a ref), W&B's newDraft(). */
  base?: string;
  /** Paths (files or folders) of the base to leave out. */
  remove?: readonly string[];
  paths: readonly PathSource[];
  references?: readonly ReferenceSource[];
  description?: string | null;
  metadata?: Metadata;
  ttl?: Ttl;
  incremental?: boolean;
  aliases?: string[];
  tags?: string[];
}

/** Builds the draft a plan describes and logs it. */
export async function logVersion(registry: Registry, plan: VersionPlan, opts: AddOptions = {}): Promise<LogResult> {
  if (plan.paths.length === 0 && !plan.references?.length && !plan.base) {
    throw new ValidationError(l10n.t('Nothing to log in {0}: give at least one file, folder or reference', plan.name));
  }
  const draft = plan.base ? await (await registry.get(plan.base)).newDraft() : registry.newArtifact(plan.name, plan.type, { incremental: plan.incremental });
  try {
    if (plan.description !== undefined) draft.description = plan.description;
    if (plan.metadata !== undefined) draft.metadata = plan.metadata;
    if (plan.ttl !== undefined) draft.ttl = plan.ttl;
    for (const p of plan.remove ?? []) {
      try {
        draft.remove(p);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    await addSources(draft, plan.paths, plan.references ?? [], opts);
    return await registry.log(draft, {
      aliases: plan.aliases,
      tags: plan.tags,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ phase: p.phase === 'store' ? 'storing' : 'committing', files: p.files, bytes: p.bytes, totalFiles: p.totalFiles, totalBytes: p.totalBytes }),
    });
  } finally {
    await draft.discard(); // a no-op once logged; a failed log leaves nothing staged behind
  }
}

/** The manifest a set of files and folders would get, hashed in place (nothing is copied or stored). */
export async function digestOf(paths: readonly PathSource[], opts: Pick<AddOptions, 'signal' | 'onProgress'> = {}) {
  const draft = new Artifact('digest', 'digest');
  await addSources(draft, paths, [], { ...opts, policy: 'immutable' });
  return draft.manifest;
}
