/**
 * Turning a draft from the Drafts view into a logged version: the plan the draft describes (its
 * base, the paths it leaves out, the files and folders it stages), logged by the same use case as
 * the CLI's `log`. The command adds the progress notification and the cancel button.
 */
import { existsSync } from 'node:fs';
import { logVersion } from '../../app/log-version';
import { NotFoundError } from '../../core/errors';
import type { WorkProgress } from '../../app/progress-text';
import type { Metadata } from '../../core/validate';
import type { LogResult, Registry } from '../../registry/registry';
import type { Draft } from './draft-store';

export interface CommitInput {
  aliases: string[];
  tags: string[];
  description: string | null;
  metadata: Metadata;
}

export async function commitDraft(registry: Registry, draft: Draft, input: CommitInput, opts: { signal?: AbortSignal; onProgress?: (p: WorkProgress) => void } = {}): Promise<LogResult> {
  for (const s of draft.sources) {
    if (!existsSync(s.localPath)) throw new NotFoundError(`${s.localPath} was staged in ${draft.name} but no longer exists: remove it from the draft`);
  }
  return logVersion(
    registry,
    {
      name: draft.name,
      type: draft.type,
      base: draft.base,
      remove: draft.removed,
      paths: draft.sources.map((s) => ({ localPath: s.localPath, name: s.target })),
      ...input,
    },
    { replace: true, ...opts },
  );
}
