/**
 * The folder a version is downloaded into when nobody names one, for a workspace folder: the
 * library's one rule (`<cwd>/artifacts/<collection>-vN` of the source version, `$ARTIFACTS_DIR`
 * replacing `<cwd>/artifacts`), with the workspace folder as the cwd, so the extension looks where
 * `artifacts download REF` run in that folder writes.
 */
import type { Artifact } from '../../core/artifact';
import { downloadFolderOf } from '../../core/download-folder';

export function usualDownloadFolder(a: Artifact, workspaceFolder: string, env: NodeJS.ProcessEnv = process.env): string {
  return downloadFolderOf(a, { cwd: workspaceFolder, env });
}
