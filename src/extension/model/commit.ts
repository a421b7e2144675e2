/**
 * Turning a draft from the Drafts view into a logged version: start from its base version or from
 * nothing, apply removals, hash and add the staged files and folders, then log. Plain Node, so it is
 * tested without VS Code; the command adds the progress notification and the cancel button.
 */
import { promises as fsp } from 'node:fs';
import { NotFoundError, throwIfAborted } from '../../core/errors';
import type { Metadata } from '../../core/validate';
import type { LogResult, Registry } from '../../registry/registry';
import type { Draft } from './draft-store';

export interface CommitInput {
  aliases: string[];
  tags: string[];
  description: string | null;
  metadata: Metadata;
}

export interface CommitProgress {
  phase: 'hashing' | 'storing';
  files: number;
  bytes: number;
  totalFiles?: number;
  totalBytes?: number;
}

export async function commitDraft(
  registry: Registry,
  draft: Draft,
  input: CommitInput,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (p: CommitProgress) => void } = {},
): Promise<LogResult> {
  const artifact = draft.base ? await (await registry.get(draft.base)).newDraft() : registry.newArtifact(draft.name, draft.type);
  artifact.description = input.description;
  artifact.metadata = input.metadata;
  for (const p of draft.removed) {
    try {
      artifact.remove(p);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
  let files = 0;
  let bytes = 0;
  try {
    for (const s of draft.sources) {
      throwIfAborted(signal);
      const st = await fsp.stat(s.localPath).catch(() => undefined);
      if (!st) throw new NotFoundError(`${s.localPath} was staged in ${draft.name} but no longer exists: remove it from the draft`);
      if (s.kind === 'file') {
        const e = await artifact.addFile(s.localPath, { name: s.target, overwrite: true });
        files += 1;
        bytes += e.size ?? 0;
        onProgress?.({ phase: 'hashing', files, bytes });
      } else {
        const before = { files, bytes };
        await artifact.addDir(s.localPath, {
          name: s.target || undefined,
          merge: true,
          signal,
          onProgress: (p) => {
            files = before.files + p.files;
            bytes = before.bytes + p.bytes;
            onProgress?.({ phase: 'hashing', files, bytes });
          },
        });
      }
    }
    return await registry.log(artifact, {
      aliases: input.aliases,
      tags: input.tags,
      signal,
      onProgress: (p) => onProgress?.({ phase: 'storing', files: p.files, bytes: p.bytes, totalFiles: p.totalFiles, totalBytes: p.totalBytes }),
    });
  } finally {
    if (artifact.isDraft()) await artifact.discardStaging();
  }
}
