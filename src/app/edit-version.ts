/**
 * Editing a logged version, one path for every front end: the edit is applied to the artifact's
 * fields and sent with `save()`, exactly as a library user does it. Removing an alias or a tag the
 * version does not have is an error, the same way for both.
 */
import * as l10n from '@vscode/l10n';
import type { Artifact } from '../core/artifact';
import { NotFoundError } from '../core/errors';
import type { Ttl } from '../core/ttl';
import { validateAliases, type Metadata } from '../core/validate';

export interface VersionEdit {
  addAliases?: readonly string[];
  removeAliases?: readonly string[];
  addTags?: readonly string[];
  removeTags?: readonly string[];
  description?: string | null;
  metadata?: Metadata;
  ttl?: Ttl;
}

export async function editVersion(artifact: Artifact, edit: VersionEdit): Promise<Artifact> {
  validateAliases([...(edit.addAliases ?? []), ...(edit.removeAliases ?? [])], { allowLatest: false });
  for (const a of edit.removeAliases ?? []) {
    if (!artifact.aliases.includes(a)) throw new NotFoundError(l10n.t("{0} has no alias '{1}'", artifact.qualifiedName, a));
  }
  for (const t of edit.removeTags ?? []) {
    if (!artifact.tags.includes(t)) throw new NotFoundError(l10n.t("{0} has no tag '{1}'", artifact.qualifiedName, t));
  }
  const removeAliases = new Set(edit.removeAliases);
  const removeTags = new Set(edit.removeTags);
  artifact.aliases = [...artifact.aliases.filter((a) => !removeAliases.has(a)), ...(edit.addAliases ?? [])];
  artifact.tags = [...artifact.tags.filter((t) => !removeTags.has(t)), ...(edit.addTags ?? [])];
  if (edit.description !== undefined) artifact.description = edit.description;
  if (edit.metadata !== undefined) artifact.metadata = edit.metadata;
  if (edit.ttl !== undefined) artifact.ttl = edit.ttl;
  return artifact.save();
}
