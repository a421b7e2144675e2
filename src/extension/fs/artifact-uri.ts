/**
 * `artifact:/<entity>/<project>/<collection>/v<N>/<path>`: a file of a logged version, readable by
 * VS Code's editors and diff editor through the read-only file system provider.
 */
import * as vscode from 'vscode';

export const SCHEME = 'artifact';

export interface ArtifactFileRef {
  /** `entity/project/collection:vN` */
  version: string;
  /** Logical path inside the version ('' for its root). */
  path: string;
}

export function artifactUri(qualifiedVersion: string, logicalPath = ''): vscode.Uri {
  const colon = qualifiedVersion.lastIndexOf(':');
  const segments = [...qualifiedVersion.slice(0, colon).split('/'), qualifiedVersion.slice(colon + 1), ...(logicalPath ? logicalPath.split('/') : [])];
  return vscode.Uri.from({ scheme: SCHEME, path: `/${segments.map(encodeURIComponent).join('/')}` });
}

export function parseArtifactUri(uri: vscode.Uri): ArtifactFileRef {
  const parts = uri.path.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  if (parts.length < 4 || !/^v\d+$/.test(parts[3]!)) throw vscode.FileSystemError.FileNotFound(uri);
  return { version: `${parts[0]}/${parts[1]}/${parts[2]}:${parts[3]}`, path: parts.slice(4).join('/') };
}
