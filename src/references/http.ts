/**
 * `http(s)://` references. Logging makes one GET and reads only its headers: the digest is the ETag
 * without its quotes (else the final URL), the size its Content-Length, and `extra.etag` keeps the
 * ETag as sent. A download GETs the URL, checks the ETag still matches and that exactly the
 * recorded number of bytes arrived, and only then moves the file into place. A copy is kept in the
 * cache under W&B's key for (URL, digest), unless skipCache.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ArtifactsError, CancelledError, NotFoundError, ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import type { ManifestEntry } from '../core/manifest';
import { validateLogicalPath } from '../core/validate';
import { uriScheme, type FetchContext, type FetchOutcome, type ReferenceHandler, type ReferenceOptions } from './handler';
import { discardBody, httpGet, readBody } from './http-client';

/** `"abc"` or `W/"abc"` → `abc`: the form W&B records as the digest and hashes for the cache key. */
export function unquoteEtag(etag: string): string {
  return etag.replace(/^(?:W\/)?"(.*)"$/, '$1');
}

function parseUrl(uri: string): URL {
  try {
    const url = new URL(uri);
    if (!url.hostname) throw new Error('no host'); // l10n-ignore: caught just below, never shown
    return url;
  } catch {
    throw new ValidationError(l10n.t("Invalid reference URL '{0}': expected http(s)://host/path", uri));
  }
}

async function writeTo(tmp: string, res: Awaited<ReturnType<typeof httpGet>>, signal?: AbortSignal): Promise<number> {
  const out = createWriteStream(tmp, { mode: 0o644 });
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  try {
    const n = await readBody(res, (chunk) => (out.write(chunk) ? undefined : new Promise<void>((r) => out.once('drain', () => r()))), { signal });
    out.end();
    await closed;
    return n;
  } catch (e) {
    out.destroy();
    throw e;
  }
}

export const httpReferences: ReferenceHandler = {
  name: 'http(s)',

  canHandle: (uri) => ['http', 'https'].includes(uriScheme(uri) ?? ''),

  async entries(uri: string, { name, checksum = true }: ReferenceOptions): Promise<ManifestEntry[]> {
    const url = parseUrl(uri);
    const logical = validateLogicalPath(name ?? (path.posix.basename(url.pathname) || url.hostname));
    if (!checksum) return [{ path: logical, digest: uri, ref: uri }];
    let res;
    try {
      res = await httpGet(uri);
    } catch (e) {
      throw new NotFoundError(l10n.t('Could not reach the reference {0}: {1}', uri, (e as Error).message));
    }
    discardBody(res); // only the headers are needed
    if (!res.ok) throw new NotFoundError(l10n.t('Reference {0} answered HTTP {1} {2}', uri, res.status, res.statusText));
    const etag = res.headers.get('etag');
    const length = res.headers.get('content-length');
    const entry: ManifestEntry = { path: logical, digest: etag ? unquoteEtag(etag) : res.url, ref: res.url };
    if (length !== null && /^\d+$/.test(length)) entry.size = Number(length);
    if (etag) entry.extra = { etag };
    return [entry];
  },

  async fetch(e: ManifestEntry, dest: string, ctx: FetchContext): Promise<FetchOutcome> {
    const ref = e.ref!;
    const recordedEtag = typeof e.extra?.etag === 'string' ? e.extra.etag : undefined;
    const expectedSize = typeof e.size === 'number' ? e.size : undefined;
    const cached = recordedEtag && !ctx.skipCache ? ctx.cachePath(ref, e.digest) : undefined;
    const tmp = path.join(path.dirname(dest), `.artifacts-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      if (cached && (await fsp.stat(cached).then((s) => expectedSize === undefined || s.size === expectedSize, () => false))) {
        await fsp.copyFile(cached, tmp);
        await fsp.chmod(tmp, 0o644);
        await fsp.rename(tmp, dest);
        return { status: 'written' };
      }
      let res;
      try {
        res = await httpGet(ref, { signal: ctx.signal });
      } catch (err) {
        return { status: 'missing', why: l10n.t('could not be fetched ({0})', (err as Error).message) };
      }
      if (!res.ok || !res.body) discardBody(res);
      if (res.status === 404 || res.status === 410) return { status: 'missing', why: l10n.t('answered HTTP {0}', res.status) };
      if (!res.ok || !res.body) throw new NotFoundError(l10n.t('Reference {0}: {1} answered HTTP {2} {3}', e.path, ref, res.status, res.statusText));
      const etag = res.headers.get('etag');
      if (recordedEtag !== undefined && (etag === null || unquoteEtag(etag) !== e.digest)) {
        discardBody(res);
        throw new ValidationError(
          etag === null
            ? l10n.t('Reference {0} changed since it was logged: {1} has ETag (none), expected {2}', e.path, ref, recordedEtag)
            : l10n.t('Reference {0} changed since it was logged: {1} has ETag {2}, expected {3}', e.path, ref, etag, recordedEtag),
        );
      }
      const length = res.headers.get('content-length');
      const announced = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
      let received: number;
      try {
        received = await writeTo(tmp, res, ctx.signal);
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        throw new ArtifactsError(l10n.t('Reference {0}: {1} could not be read to the end ({2}); nothing was written', e.path, ref, (err as Error).message));
      }
      const expected = expectedSize ?? announced;
      if (expected !== undefined && received !== expected) {
        throw new ValidationError(l10n.t('Reference {0}: {1} sent {2} bytes, expected {3}; nothing was written', e.path, ref, formatNumber(received), formatNumber(expected)));
      }
      if (cached) {
        await fsp.mkdir(path.dirname(cached), { recursive: true });
        const part = `${cached}.${process.pid}-${randomBytes(4).toString('hex')}`;
        await fsp.copyFile(tmp, part);
        await fsp.rename(part, cached);
      }
      await fsp.rename(tmp, dest);
      return { status: 'written' };
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  },
};
