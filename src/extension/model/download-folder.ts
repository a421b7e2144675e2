/**
 * The folder a version is downloaded into when nobody names one, for a workspace folder: the
 * library's one rule (`defaultDownloadRoot`, `<cwd>/artifacts/<collection>-vN` of the source
 * version, `$ARTIFACTS_DIR` replacing `<cwd>/artifacts`), with the workspace folder as the cwd, so
 * the extension looks where `artifacts download REF` run in that folder writes.
 */
import type { Artifact } from '../../core/artifact';
import type { VersionRef } from '../../core/artifact-backend';
import { defaultDownloadRoot } from '../../core/download-folder';
import { versionIndexOf } from '../../registry/refs';

/** The source version's coordinates (a link downloads as its source). */
function sourceOf(a: Artifact): VersionRef {
  return { entity: a.sourceEntity, project: a.sourceProject, collection: a.sourceCollection, index: versionIndexOf(a.sourceVersion)! };
}

export function usualDownloadFolder(a: Artifact, workspaceFolder: string, env: NodeJS.ProcessEnv = process.env): string {
  return defaultDownloadRoot(sourceOf(a), { cwd: workspaceFolder, env });
}
