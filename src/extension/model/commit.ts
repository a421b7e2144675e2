/**
 * What a new version is made of, as the log use case (app/log-version.ts, shared with the CLI's
 * `log`) takes it: a draft from the Drafts view (its base, the paths it leaves out, the files and
 * folders it stages), or files and folders picked to log at once. The commands add the prompts, the
 * progress notification and the cancel button.
 */
import { existsSync } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { logVersion, type VersionPlan } from '../../app/log-version';
import type { WorkProgress } from '../../app/progress-text';
import { NotFoundError } from '../../core/errors';
import type { Metadata } from '../../core/validate';
import type { LogResult, Registry } from '../../registry/registry';
import { planSources, type Draft, type DraftSource } from './draft-store';

/** What the commit prompts ask for. */
export interface CommitInput {
  aliases: string[];
  tags: string[];
  description: string | null;
  metadata: Metadata;
}

export interface CommitOptions {
  signal?: AbortSignal;
  onProgress?: (p: WorkProgress) => void;
}

export function planOfDraft(draft: Draft, input: CommitInput): VersionPlan {
  return {
    name: draft.name,
    type: draft.type,
    base: draft.base,
    remove: draft.removed,
    paths: draft.sources.map((s) => ({ localPath: s.localPath, name: s.target })),
    ...input,
  };
}

/** Files and folders picked together: one folder's contents go at the root, several keep their names. */
export function planOfSelection(name: string, type: string, selection: ReadonlyArray<{ localPath: string; kind: DraftSource['kind'] }>, input: CommitInput): VersionPlan {
  return { name, type, paths: planSources([...selection], '').map((s) => ({ localPath: s.localPath, name: s.target })), ...input };
}

export async function commitDraft(registry: Registry, draft: Draft, input: CommitInput, opts: CommitOptions = {}): Promise<LogResult> {
  for (const s of draft.sources) {
    if (!existsSync(s.localPath)) throw new NotFoundError(l10n.t('{0} was staged in {1} but no longer exists: remove it from the draft', s.localPath, draft.name));
  }
  // Later sources replace what earlier ones placed at the same path, as staging promised.
  return logVersion(registry, planOfDraft(draft, input), { replace: true, ...opts });
}

export function logSelection(registry: Registry, name: string, type: string, selection: ReadonlyArray<{ localPath: string; kind: DraftSource['kind'] }>, input: CommitInput, opts: CommitOptions = {}): Promise<LogResult> {
  return logVersion(registry, planOfSelection(name, type, selection, input), opts);
}
