/**
 * References to objects in S3 (Ceph), GCS through its S3 interoperability (Ceph standing in for
 * Cloud Storage's XML API) and Azure Blob (Azurite), as W&B's handlers record them: one entry per
 * object, digest = ETag without quotes, versionID when the bucket keeps versions, maxObjects; a
 * download fetches the recorded version and fails clearly when the object changed.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/core/errors';
import { Registry } from '../../src/registry/registry';
import { azureServer, describeWithServer, s3Server } from '../support/servers';
import { tempDir } from '../support/tmp';

const md5hex = (s: string) => require('node:crypto').createHash('md5').update(s).digest('hex') as string;

function withEnv(vars: Record<string, string | undefined>): void {
  const before: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const [k, v] of Object.entries(vars)) {
      before[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

async function logRefs(uri: string, opts: { name?: string; checksum?: boolean; maxObjects?: number } = {}) {
  const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
  const draft = reg.newArtifact('refs', 'dataset');
  await draft.addReference(uri, opts);
  const { artifact } = await reg.log(draft);
  return { reg, artifact };
}

describeWithServer('references to S3 objects (Ceph)', s3Server(), (server) => {
  const plain = `refs-${randomBytes(4).toString('hex')}`;
  const versioned = `refs-v-${randomBytes(4).toString('hex')}`;
  const admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
  const put = (bucket: string, key: string, body: string) => admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  withEnv({ AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey, AWS_REGION: server.region, ARTIFACTS_S3_ENDPOINT: server.endpoint, ARTIFACTS_S3_FORCE_PATH_STYLE: 'true' });
  beforeAll(async () => {
    await admin.send(new CreateBucketCommand({ Bucket: plain }));
    await admin.send(new CreateBucketCommand({ Bucket: versioned }));
    await admin.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    await put(plain, 'data/train/a.csv', 'a,b\n1,2\n');
    await put(plain, 'data/train/b.csv', 'a,b\n3,4\n');
    await put(plain, 'data/README.md', 'readme');
    await put(plain, 'data/empty-folder/', '');
    await put(plain, 'data2/not-in-data.txt', 'other prefix');
    await put(plain, 'single.bin', 'one object');
  });
  afterAll(async () => {
    for (const bucket of [plain, versioned]) {
      const versions = await admin.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const all = [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      if (all.length) await admin.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: all } }));
      await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
    }
    admin.destroy();
  });

  it('one object: digest = ETag without quotes, its size and extra.etag; the download has its bytes', async () => {
    const { reg, artifact } = await logRefs(`s3://${plain}/single.bin`);
    const e = artifact.manifest.get('single.bin')!;
    expect(e).toMatchObject({ digest: md5hex('one object'), ref: `s3://${plain}/single.bin`, size: 10, extra: { etag: md5hex('one object') } });
    expect(e.extra?.versionID).toBeUndefined();
    const out = tempDir();
    await (await reg.get('refs')).download(out);
    expect(await fsp.readFile(path.join(out, 'single.bin'), 'utf8')).toBe('one object');
  });

  it('a prefix: one entry per object under it, relative paths, folder markers and neighbours left out, name as a folder', async () => {
    const { artifact } = await logRefs(`s3://${plain}/data`);
    expect([...artifact.manifest.entries()].map((e) => [e.path, e.ref])).toEqual([
      ['README.md', `s3://${plain}/data/README.md`],
      ['train/a.csv', `s3://${plain}/data/train/a.csv`],
      ['train/b.csv', `s3://${plain}/data/train/b.csv`],
    ]);
    const named = await logRefs(`s3://${plain}/data/train/`, { name: 'tables' });
    expect([...named.artifact.manifest.entries()].map((e) => e.path)).toEqual(['tables/a.csv', 'tables/b.csv']);
    const out = tempDir();
    await named.artifact.download(out);
    expect(await fsp.readFile(path.join(out, 'tables/b.csv'), 'utf8')).toBe('a,b\n3,4\n');
  });

  it('refuses a prefix with more objects than maxObjects, and a URI naming nothing', async () => {
    await expect(logRefs(`s3://${plain}/data/`, { maxObjects: 2 })).rejects.toThrow(/Exceeded max_objects \(2\)/);
    await expect(logRefs(`s3://${plain}/nothing-here`)).rejects.toBeInstanceOf(ValidationError);
  });

  it('checksum=false records the URI as the digest, with no request', async () => {
    const { artifact } = await logRefs(`s3://${plain}/does/not/matter.bin`, { checksum: false });
    expect(artifact.manifest.get('matter.bin')).toMatchObject({ digest: `s3://${plain}/does/not/matter.bin`, ref: `s3://${plain}/does/not/matter.bin` });
  });

  it('an overwritten object in a bucket without versions fails the download clearly; a deleted one is missing', async () => {
    await put(plain, 'changing.txt', 'as logged');
    await put(plain, 'deleted.txt', 'will go');
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'demo' });
    const draft = reg.newArtifact('refs', 'dataset');
    await draft.addReference(`s3://${plain}/changing.txt`);
    await draft.addReference(`s3://${plain}/deleted.txt`);
    const { artifact } = await reg.log(draft);
    await put(plain, 'changing.txt', 'overwritten');
    await admin.send(new DeleteObjectCommand({ Bucket: plain, Key: 'deleted.txt' }));
    await expect(artifact.download(tempDir(), { pathPrefix: 'changing.txt' })).rejects.toThrow(/changing\.txt changed since it was logged: s3:\/\/.*no longer has ETag/);
    await expect(artifact.download(tempDir(), { pathPrefix: 'deleted.txt' })).rejects.toBeInstanceOf(NotFoundError);
    const r = await artifact.download(tempDir(), { pathPrefix: 'deleted.txt', allowMissingReferences: true });
    expect(r.skipped).toEqual(['deleted.txt']);
  });

  it('a bucket that keeps versions: versionID recorded, and the logged version is fetched after an overwrite', async () => {
    await put(versioned, 'model/weights.bin', 'weights as logged');
    await put(versioned, 'model/config.json', '{"v":1}');
    const { artifact } = await logRefs(`s3://${versioned}/model/`);
    const weights = artifact.manifest.get('weights.bin')!;
    expect(typeof weights.extra?.versionID).toBe('string');
    const single = await logRefs(`s3://${versioned}/model/config.json`);
    expect(typeof single.artifact.manifest.get('config.json')!.extra?.versionID).toBe('string');
    await put(versioned, 'model/weights.bin', 'weights overwritten later');
    const out = tempDir();
    await artifact.download(out);
    expect(await fsp.readFile(path.join(out, 'weights.bin'), 'utf8')).toBe('weights as logged');
  });

  describeGcsThroughS3(server);
});

function describeGcsThroughS3(server: NonNullable<ReturnType<typeof s3Server>>): void {
  const bucket = `gcs-${randomBytes(4).toString('hex')}`;
  const admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
  beforeAll(async () => {
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'tables/t.csv', Body: 'x,y\n' }));
  });
  afterAll(async () => {
    await admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'tables/t.csv' }));
    await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
    admin.destroy();
  });

  it('gs:// without an HMAC key: refused with what to set; checksum=false works; a download skips it with allowMissingReferences', async () => {
    delete process.env.ARTIFACTS_GCS_ACCESS_KEY_ID;
    delete process.env.ARTIFACTS_GCS_SECRET_ACCESS_KEY;
    await expect(logRefs(`gs://${bucket}/tables/t.csv`)).rejects.toThrow(/set ARTIFACTS_GCS_ACCESS_KEY_ID and ARTIFACTS_GCS_SECRET_ACCESS_KEY/);
    const { artifact } = await logRefs(`gs://${bucket}/tables/t.csv`, { checksum: false });
    expect(artifact.manifest.get('t.csv')!.digest).toBe(`gs://${bucket}/tables/t.csv`);
    const r = await artifact.download(tempDir(), { allowMissingReferences: true });
    expect(r.skipped).toEqual(['t.csv']);
  });

  it('gs:// through the S3 interoperability when configured: entries and downloads as for s3://', async () => {
    process.env.ARTIFACTS_GCS_ACCESS_KEY_ID = server.accessKeyId;
    process.env.ARTIFACTS_GCS_SECRET_ACCESS_KEY = server.secretAccessKey;
    process.env.ARTIFACTS_GCS_ENDPOINT = server.endpoint;
    try {
      const { artifact } = await logRefs(`gs://${bucket}/tables/`);
      expect(artifact.manifest.get('t.csv')).toMatchObject({ digest: md5hex('x,y\n'), ref: `gs://${bucket}/tables/t.csv`, size: 4 });
      const out = tempDir();
      await artifact.download(out);
      expect(await fsp.readFile(path.join(out, 't.csv'), 'utf8')).toBe('x,y\n');
    } finally {
      delete process.env.ARTIFACTS_GCS_ACCESS_KEY_ID;
      delete process.env.ARTIFACTS_GCS_SECRET_ACCESS_KEY;
      delete process.env.ARTIFACTS_GCS_ENDPOINT;
    }
  });
}

describeWithServer('references to Azure blobs (Azurite)', azureServer(), (server) => {
  const container = `refs-${randomBytes(4).toString('hex')}`;
  const admin = new ContainerClient(`${server.url}/${container}`, new StorageSharedKeyCredential(server.account, server.key));
  const put = (name: string, body: string) => admin.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  const url = (p: string) => `https://${server.account}.blob.core.windows.net/${container}/${p}`;
  withEnv({ AZURE_STORAGE_CONNECTION_STRING: server.connectionString, AZURE_STORAGE_KEY: undefined, AZURE_STORAGE_SAS_TOKEN: undefined });
  beforeAll(async () => {
    await admin.create();
    await put('images/cat.png', 'not really a png');
    await put('images/dogs/dog.png', 'nor this');
    await put('notes.txt', 'notes');
  });
  afterAll(async () => {
    await admin.deleteIfExists();
  });

  it('https://account.blob.core.windows.net/… is Azure (not plain https): digest = ETag, the download has its bytes', async () => {
    const { reg, artifact } = await logRefs(url('notes.txt'));
    const e = artifact.manifest.get('notes.txt')!;
    const props = await admin.getBlobClient('notes.txt').getProperties();
    expect(e).toMatchObject({ digest: props.etag!.replace(/"/g, ''), ref: url('notes.txt'), size: 5, extra: { etag: props.etag!.replace(/"/g, '') } });
    const out = tempDir();
    await (await reg.get('refs')).download(out);
    expect(await fsp.readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('notes');
  });

  it('a folder of blobs: one entry each, relative paths; an overwritten blob fails the download clearly', async () => {
    const { artifact } = await logRefs(url('images'), { name: 'pics' });
    expect([...artifact.manifest.entries()].map((e) => [e.path, e.ref])).toEqual([
      ['pics/cat.png', url('images/cat.png')],
      ['pics/dogs/dog.png', url('images/dogs/dog.png')],
    ]);
    await put('images/cat.png', 'changed since');
    await expect(artifact.download(tempDir())).rejects.toThrow(/cat\.png changed since it was logged/);
    const r = await artifact.download(tempDir(), { pathPrefix: 'pics/dogs' });
    expect(r.written).toEqual(['pics/dogs/dog.png']);
  });
});
