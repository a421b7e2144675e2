/**
 * S3ObjectStore against Ceph's RADOS Gateway on 127.0.0.1 (scripts/servers.sh): the conformance
 * suite, the remote-store suite (large files, races, faults, errors) and openStore for s3:// URIs.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/store/s3-store';
import { openStore } from '../../src/store/store-uri';
import { describeWithServer, s3Server } from '../support/servers';
import { objectStoreConformance } from '../support/store-conformance';
import { remoteStoreSuite } from './remote-suite';

describeWithServer('S3 (Ceph RADOS Gateway)', s3Server(), (server) => {
  const bucket = `artifacts-test-${randomBytes(4).toString('hex')}`;
  const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials });
  beforeAll(async () => {
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    // The OSD keeps objects in RAM: leave nothing behind.
    for (;;) {
      const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
      if (!page.Contents?.length) break;
      await admin.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key! })) } }));
    }
    await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
    admin.destroy();
  });

  let n = 0;
  const prefix = () => `t${n++}-${randomBytes(3).toString('hex')}`;
  objectStoreConformance('S3 on Ceph', () => new S3ObjectStore({ bucket, prefix: prefix(), endpoint: server.endpoint, region: server.region, credentials }), {
    reportsProgress: true,
    checksMd5: true,
    cancels: true,
  });

  remoteStoreSuite('S3 on Ceph', {
    target: server.endpoint,
    make: (o = {}) =>
      new S3ObjectStore({
        bucket: o.missingContainer ? `artifacts-missing-${randomBytes(4).toString('hex')}` : bucket,
        prefix: o.samePrefixAs ? (o.samePrefixAs as S3ObjectStore).prefix : prefix(),
        endpoint: o.via ?? server.endpoint,
        region: server.region,
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: o.wrongSecret ?? server.secretAccessKey },
        retry: o.retry,
        timeouts: o.idleMs ? { idleMs: o.idleMs } : undefined,
        tuning: o.tuning,
      }),
    secrets: [server.secretAccessKey],
    wrongSecret: `wrong-${randomBytes(16).toString('hex')}`,
    pendingUploads: async (store) => {
      const res = await admin.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: (store as S3ObjectStore).prefix }));
      return res.Uploads?.length ?? 0;
    },
    errorAnswer: (status, code) => ({
      kind: 'respond',
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected</Message><RequestId>x</RequestId></Error>`,
    }),
    busyCode: 'SlowDown',
    isPartUpload: (req) => req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? ''),
  });

  describe('openStore(s3://…)', () => {
    const env = { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey, AWS_REGION: server.region };

    it('opens a bucket prefix with the endpoint from the query, credentials from the environment', async () => {
      const store = openStore(`s3://${bucket}/uri/one?endpoint=${server.endpoint}&forcePathStyle=true`, env);
      expect(store.location).toBe(`s3://${bucket}/uri/one?endpoint=${server.endpoint}`);
      expect(store.location).not.toContain(server.secretAccessKey);
      await store.put('k', 'via uri');
      expect((await store.get('k'))?.body.toString()).toBe('via uri');
      expect((await store.list('', { delimiter: '/' })).objects.map((o) => o.key)).toEqual(['k']);
    });

    it('takes the endpoint from ARTIFACTS_S3_ENDPOINT', async () => {
      const store = openStore(`s3://${bucket}/uri/two`, { ...env, ARTIFACTS_S3_ENDPOINT: server.endpoint, ARTIFACTS_S3_FORCE_PATH_STYLE: 'true' });
      expect(await store.putIfAbsent('k', 'x')).toBe(true);
      expect(await openStore(`s3://${bucket}/uri/two?endpoint=${server.endpoint}`, env).head('k')).toMatchObject({ key: 'k', size: 1 });
    });
  });
});
