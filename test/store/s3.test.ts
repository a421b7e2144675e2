import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll } from 'vitest';
import { S3ObjectStore } from '../../src/store/s3-store';
import { describeWithServer, s3Server } from '../support/servers';
import { objectStoreConformance } from '../support/store-conformance';

describeWithServer('S3 (Ceph RADOS Gateway)', s3Server(), (server) => {
  const bucket = `artifacts-test-${randomBytes(4).toString('hex')}`;
  const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  beforeAll(async () => {
    const admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials });
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    admin.destroy();
  });
  let n = 0;
  objectStoreConformance('S3 on Ceph', () => new S3ObjectStore({ bucket, prefix: `c${n++}-${randomBytes(3).toString('hex')}`, endpoint: server.endpoint, region: server.region, credentials }), { reportsProgress: true, checksMd5: true, cancels: true });
});
