/**
 * `file://` references: files that stay where they are. The digest is the content's MD5, or with
 * checksum=false the MD5 of the file's URI as Python writes it (`Path.as_uri()`), W&B's rule; a
 * download re-reads the file and checks the content digest when there is one.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { md5B64 } from '../core/digest';
import { NotFoundError, ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { CopyDigestError, hashPool } from '../core/hashing/pool';
import type { ManifestEntry } from '../core/manifest';
import { validateLogicalPath } from '../core/validate';
import { walkFiles, WalkLimitError } from '../core/walk';
import { uriScheme, type FetchContext, type FetchOutcome, type ReferenceHandler, type ReferenceOptions } from './handler';

/** W&B's default max_objects for a reference to a folder or prefix. */
export const DEFAULT_MAX_OBJECTS = 10_000;

/** The local path of a `file://` URI (`file:///abs` or W&B's lenient `file://relative`). */
export function fileUriToPath(uri: string): string {
  const rest = uri.slice('file://'.length);
  return rest.startsWith('/') ? decodeURIComponent(rest) : rest;
}

/** Python's `Path.as_uri()`: every byte outside `A-Za-z0-9_.-~/` percent-encoded. */
export function pythonFileUri(absPath: string): string {
  let out = '';
  for (const byte of Buffer.from(absPath, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~/]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `file://${out}`;
}

/** The digest a file reference gets with checksum=false: it names the path, not the content. */
function uriDigest(localPath: string): string {
  return md5B64(pythonFileUri(path.resolve(localPath)));
}

export const fileReferences: ReferenceHandler = {
  name: 'file',

  canHandle: (uri) => uriScheme(uri) === 'file',

  async entries(uri: string, { name, checksum = true, maxObjects = DEFAULT_MAX_OBJECTS }: ReferenceOptions): Promise<ManifestEntry[]> {
    const local = fileUriToPath(uri);
    if (path.resolve(local) === path.parse(path.resolve(local)).root) {
      throw new ValidationError(l10n.t('Refusing the reference {0}: it names the root of the file system; reference a folder inside it', uri));
    }
    const st = await fsp.stat(local).catch(() => undefined);
    if (!st) throw new NotFoundError(l10n.t('Reference target does not exist: {0}', uri));
    const walked = st.isDirectory()
      ? await walkFiles(local, { followSymlinks: false, limit: maxObjects }).catch((e) => {
          if (e instanceof WalkLimitError) {
            throw new ValidationError(l10n.t('Exceeded max_objects ({0}) while adding the reference {1}: it holds more files than that (raise maxObjects to add it)', maxObjects, uri));
          }
          throw e;
        })
      : undefined;
    const targets = walked
      ? walked.map((f) => ({
          abs: f.absPath,
          logical: name ? `${name}/${f.relPath}` : f.relPath,
          ref: `${uri.replace(/\/+$/, '')}/${f.relPath}`,
        }))
      : [{ abs: local, logical: name ?? path.basename(local), ref: uri }];
    if (targets.length > maxObjects) {
      throw new ValidationError(
        targets.length === 1
          ? l10n.t('Exceeded max_objects ({0}) while adding the reference {1}: it holds 1 file', maxObjects, uri)
          : l10n.t('Exceeded max_objects ({0}) while adding the reference {1}: it holds {2} files', maxObjects, uri, formatNumber(targets.length)),
      );
    }
    const results = checksum
      ? await hashPool().hashAll(targets.map((t) => ({ file: t.abs })))
      : await Promise.all(targets.map(async (t) => ({ digest: uriDigest(t.abs), size: (await fsp.stat(t.abs)).size })));
    return targets.map((t, i) => ({ path: validateLogicalPath(t.logical), digest: results[i]!.digest, size: results[i]!.size, ref: t.ref }));
  },

  async fetch(e: ManifestEntry, dest: string, _ctx: FetchContext): Promise<FetchOutcome> {
    const local = fileUriToPath(e.ref!);
    const st = await fsp.stat(local).catch(() => undefined);
    if (!st?.isFile()) return { status: 'missing', why: l10n.t('does not exist') };
    const contentDigest = e.digest !== uriDigest(local);
    try {
      await hashPool().copy({ op: 'copy', src: local, dest, expect: contentDigest ? e.digest : undefined });
    } catch (err) {
      if (err instanceof CopyDigestError) throw new ValidationError(l10n.t('Reference {0} changed since it was logged: {1} now has digest {2}, not {3}', e.path, e.ref!, err.actual, e.digest));
      throw err;
    }
    return { status: 'written' };
  },
};
