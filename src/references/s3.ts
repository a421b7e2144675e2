/**
 * `s3://bucket/key` and `s3://bucket/prefix/` references (W&B's S3 handler; shared rules in
 * cloud-objects.ts). The server, region and path style come from the same variables as an s3://
 * registry (ARTIFACTS_S3_ENDPOINT, AWS_REGION, ARTIFACTS_S3_FORCE_PATH_STYLE), credentials from the
 * AWS SDK's default chain. A version may be named in the URI: `s3://bucket/key?versionId=…`.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { parseStoreLocation } from '../store/store-location';
import { cloudReferences, type CloudScheme, type ObjectSource } from './cloud-objects';
import { uriScheme } from './handler';

/** `scheme://bucket/key?versionId=…` as W&B reads it: the key is the raw path after the bucket. */
export function parseBucketUri(uri: string, scheme: string): { bucket: string; key: string; versionId?: string } {
  const m = new RegExp(`^${scheme}://([^/?#]+)/?([^?#]*)(?:\\?([^#]*))?`, 'i').exec(uri);
  if (!m) throw new ValidationError(l10n.t('Invalid reference {0}: expected {1}://bucket/key', JSON.stringify(uri), scheme));
  const versionId = new URLSearchParams(m[3] ?? '').get('versionId') ?? undefined;
  return { bucket: m[1]!, key: m[2]!, versionId: versionId || undefined };
}

const sources = new Map<string, Promise<ObjectSource>>();

/** One source per bucket and configuration in this process. */
export function cachedSource(id: string, make: () => Promise<ObjectSource>): Promise<ObjectSource> {
  let s = sources.get(id);
  if (!s) {
    s = make();
    s.catch(() => sources.delete(id));
    sources.set(id, s);
  }
  return s;
}

const s3Scheme: CloudScheme = {
  name: 's3',
  canHandle: (uri) => uriScheme(uri) === 's3',
  parse: (uri) => parseBucketUri(uri, 's3'),
  uriOf: (bucket, key) => `s3://${bucket}/${key}`,
  source(bucket) {
    const spec = parseStoreLocation(`s3://${bucket}`);
    if (spec.kind !== 's3') throw new ValidationError(l10n.t('Invalid bucket {0}', bucket));
    return cachedSource(`s3\0${spec.location}`, async () => {
      const { S3ReferenceSource } = await import('./s3-source');
      return new S3ReferenceSource(spec.options);
    });
  },
};

export const s3References = cloudReferences(s3Scheme);
