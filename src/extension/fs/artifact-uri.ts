/**
 * `artifact:/<entity>/<project>/<collection>/v<N>/<path>`: a file of a logged version, readable by
 * VS Code's editors and diff editor through the read-only file system provider. Built and parsed
 * with vscode-uri, so pure view models and tests use it without VS Code; the view adapters hand the
 * components to `vscode.Uri.from`. A version of another registry row than the default one has the
 * row's key as the authority (`artifact://<key>/…`). Every name is one path segment, encoded by the
 * URI (spaces, `#`, `%`, `?`, unicode); `.`, `..` and empty segments are refused both ways.
 */
import * as l10n from '@vscode/l10n';
import { URI } from 'vscode-uri';
import { ValidationError } from '../../core/errors';

export const SCHEME = 'artifact';

export interface ArtifactFileRef {
  /** `entity/project/collection:vN` */
  version: string;
  /** The registry row it belongs to (`artifact://<key>/…`); undefined: the default registry. */
  registry?: string;
  /** Logical path inside the version ('' for its root). */
  path: string;
}

const VERSION_RE = /^v\d+$/;

function badSegment(s: string): boolean {
  return s === '' || s === '.' || s === '..';
}

/**
 * The URI of `logicalPath` ('' = the version's root) in the version `entity/project/collection:vN`
 * of the default registry, or of the registry row `registryKey` (its authority).
 */
export function artifactUri(qualifiedVersion: string, logicalPath = '', registryKey?: string): URI {
  const colon = qualifiedVersion.lastIndexOf(':');
  const names = colon < 0 ? [] : qualifiedVersion.slice(0, colon).split('/');
  const version = qualifiedVersion.slice(colon + 1);
  if (names.length !== 3 || names.some(badSegment) || !VERSION_RE.test(version)) {
    throw new ValidationError(l10n.t('Not a qualified version (entity/project/collection:vN): {0}', qualifiedVersion));
  }
  const inside = logicalPath === '' ? [] : logicalPath.split('/');
  if (inside.some(badSegment)) throw new ValidationError(l10n.t('Invalid path in {0}: {1}', qualifiedVersion, logicalPath));
  return URI.from({ scheme: SCHEME, authority: registryKey ?? '', path: `/${[...names, version, ...inside].join('/')}` });
}

/** The version and path an `artifact:` URI names, or undefined when it names none. */
export function parseArtifactUri(uri: { scheme: string; path: string; authority?: string }): ArtifactFileRef | undefined {
  if (uri.scheme !== SCHEME || !uri.path.startsWith('/')) return undefined;
  const parts = uri.path.slice(1).split('/');
  if (parts.length > 4 && parts.at(-1) === '') parts.pop(); // a trailing slash on a folder
  if (parts.length < 4 || parts.some(badSegment) || !VERSION_RE.test(parts[3]!)) return undefined;
  const ref: ArtifactFileRef = { version: `${parts[0]}/${parts[1]}/${parts[2]}:${parts[3]}`, path: parts.slice(4).join('/') };
  if (uri.authority) ref.registry = uri.authority;
  return ref;
}
