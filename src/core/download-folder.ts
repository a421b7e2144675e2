/**
 * Where a version goes when nobody names a folder: `<cwd>/artifacts/<collection>-vN` of the source
 * version, with `$ARTIFACTS_DIR` replacing `<cwd>/artifacts`. One rule for the library, the CLI and
 * the extension (which passes its workspace folder as `cwd`). W&B uses `name:vN`; a colon is not
 * allowed in Windows paths, so it is `-` on every OS here and scripts see the same path everywhere.
 */
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { Artifact } from './artifact';
import type { VersionRef } from './artifact-backend';
import { INTERNAL } from './artifact-internals';
import { ArtifactNotLoggedError } from './errors';

export function defaultDownloadRoot(source: VersionRef, { cwd = process.cwd(), env = process.env }: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return path.resolve(cwd, env.ARTIFACTS_DIR || 'artifacts', `${source.collection}-v${source.index}`);
}

/** The default folder of a logged artifact (a link downloads as its source). */
export function downloadFolderOf(artifact: Artifact, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const logged = artifact[INTERNAL].logged;
  if (!logged) throw new ArtifactNotLoggedError('downloadFolderOf', artifact.name, l10n.t("'download folder' is not available on the draft artifact {0}: log it first", artifact.name));
  return defaultDownloadRoot(logged.source, opts);
}
