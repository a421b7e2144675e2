/**
 * `gs://bucket/key` references, read through Cloud Storage's S3 interoperability (the XML API with
 * an HMAC key): ARTIFACTS_GCS_ACCESS_KEY_ID and ARTIFACTS_GCS_SECRET_ACCESS_KEY, the server
 * ARTIFACTS_GCS_ENDPOINT (default https://storage.googleapis.com). Without a key a reference can
 * still be added with checksum=false (its URI is its digest, as in W&B); with checksum it is refused,
 * and a download skips it (with allowMissingReferences) or fails, each with a message saying what
 * to set. The digest is the object's ETag as the XML API gives it (the MD5 for objects uploaded in
 * one piece), which is not the JSON API's etag that W&B's GCS handler records.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { cloudReferences, type CloudScheme, type ObjectSource } from './cloud-objects';
import type { FetchContext, FetchOutcome, ReferenceHandler } from './handler';
import { uriScheme } from './handler';
import { cachedSource, parseBucketUri } from './s3';

/** gs:// cannot be read: no HMAC key is configured. */
export class GcsNotConfiguredError extends ValidationError {
  /** What to set, without the reference. */
  readonly detail: string;

  constructor(uri: string) {
    const detail = l10n.t(
      "gs:// is read through Cloud Storage's S3 interoperability; set ARTIFACTS_GCS_ACCESS_KEY_ID and ARTIFACTS_GCS_SECRET_ACCESS_KEY to an HMAC key (Cloud Storage settings, Interoperability), or add it with checksum=false (--no-checksum)",
    );
    super(l10n.t('Cannot read the reference {0}: {1}', uri, detail));
    this.detail = detail;
  }
}

function gcsSource(bucket: string, env: NodeJS.ProcessEnv = process.env): Promise<ObjectSource> {
  const accessKeyId = env.ARTIFACTS_GCS_ACCESS_KEY_ID;
  const secretAccessKey = env.ARTIFACTS_GCS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new GcsNotConfiguredError(`gs://${bucket}`);
  const endpoint = (env.ARTIFACTS_GCS_ENDPOINT || 'https://storage.googleapis.com').replace(/\/+$/, '');
  return cachedSource(`gs\0${bucket}\0${endpoint}\0${accessKeyId}`, async () => {
    const { S3ReferenceSource } = await import('./s3-source');
    return new S3ReferenceSource({ bucket, endpoint, region: env.ARTIFACTS_GCS_REGION || 'auto', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  });
}

const gcsScheme: CloudScheme = {
  name: 'gs',
  canHandle: (uri) => uriScheme(uri) === 'gs',
  parse: (uri) => {
    // W&B writes a generation as `gs://bucket/key#generation`: not a version this API can fetch.
    const { bucket, key } = parseBucketUri(uri.replace(/#.*$/, ''), 'gs');
    return { bucket, key };
  },
  uriOf: (bucket, key) => `gs://${bucket}/${key}`,
  source: (bucket) => gcsSource(bucket),
};

const handler = cloudReferences(gcsScheme);

export const gcsReferences: ReferenceHandler = {
  ...handler,
  async fetch(e, dest, ctx: FetchContext): Promise<FetchOutcome> {
    try {
      return await handler.fetch(e, dest, ctx);
    } catch (err) {
      if (err instanceof GcsNotConfiguredError) return { status: 'missing', why: l10n.t('cannot be read: {0}', err.detail) };
      throw err;
    }
  },
};
