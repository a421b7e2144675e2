/**
 * The three kinds of store a registry can live on, for suites that run the same tests on each: a
 * folder, S3 on Ceph's RADOS Gateway and Azure Blob on Azurite (servers from scripts/servers.sh).
 * Each suite gets a bucket or container of its own, emptied and removed afterwards (Ceph keeps its
 * objects in RAM), and every registry a fresh prefix in it. Without servers the remote suites are
 * skipped with the reason, except under CI=true, where they fail (test/support/servers.ts).
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe } from 'vitest';
import { Registry } from '../../src/registry/registry';
import { openStoreLazily } from '../../src/store/lazy-store';
import type { ObjectStore } from '../../src/store/object-store';
import { azureServer, describeWithServer, s3Server, type AzureTestServer, type S3TestServer } from './servers';
import { tempDir } from './tmp';

export interface StoreKind {
  /** `folder`, `S3 on Ceph`, `Azure on Azurite`. */
  name: string;
  remote: boolean;
  /** A fresh, empty registry location (a folder path or a bucket URI). */
  location(): string;
  /** The same location reached through another server address (a fault proxy's); remote only. */
  via(location: string, proxyUrl: string): string;
  /** The real server's address, for a proxy to forward to; remote only. */
  target?: string;
  /** Variables with the credentials, for child processes (the CLI) and openStore. */
  env: Record<string, string>;
  /** Strings no message may ever show. */
  secrets: string[];
  /** The bucket or container name (remote only). */
  container?: string;
}

/** A registry on `location` opened with the kind's credentials, its cache in a fresh folder. */
export function registryAt(kind: StoreKind, location: string, opts: { entity?: string; project?: string; localRoot?: string; store?: ObjectStore } = {}): Registry {
  return new Registry({
    store: opts.store ?? openStoreLazily(location, { ...process.env, ...kind.env }),
    localRoot: opts.localRoot ?? tempDir('artifacts-cache-'),
    entity: opts.entity ?? 'alice',
    project: opts.project ?? 'demo',
  });
}

// The tests' own admin clients: the AWS SDK's notice about Node versions is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const unique = () => `reg-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

function folderKind(): StoreKind {
  return { name: 'folder', remote: false, location: () => tempDir('artifacts-reg-'), via: (l) => l, env: {}, secrets: [] };
}

/** A bucket of its own on Ceph for the enclosing suite (created before it, emptied and removed after it). */
export function s3Kind(server: S3TestServer): StoreKind {
  const bucket = `artifacts-reg-${randomBytes(4).toString('hex')}`;
  const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
  const admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials });
  beforeAll(async () => {
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    for (;;) {
      const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
      if (!page.Contents?.length) break;
      await admin.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key! })) } }));
    }
    await admin.send(new DeleteBucketCommand({ Bucket: bucket }));
    admin.destroy();
  });
  return {
    name: 'S3 on Ceph',
    remote: true,
    location: () => `s3://${bucket}/${unique()}?endpoint=${server.endpoint}`,
    via: (location, proxy) => location.replace(`endpoint=${server.endpoint}`, `endpoint=${proxy}`),
    target: server.endpoint,
    env: { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey, AWS_REGION: server.region },
    secrets: [server.secretAccessKey],
    container: bucket,
  };
}

/** A container of its own on Azurite for the enclosing suite (created before it, removed after it). */
export function azureKind(server: AzureTestServer): StoreKind {
  const container = `artifacts-reg-${randomBytes(4).toString('hex')}`;
  const admin = new ContainerClient(`${server.url}/${container}`, new StorageSharedKeyCredential(server.account, server.key));
  beforeAll(async () => {
    await admin.create();
  });
  afterAll(async () => {
    await admin.deleteIfExists();
  });
  return {
    name: 'Azure on Azurite',
    remote: true,
    location: () => `azure://${server.account}/${container}/${unique()}?endpoint=${server.url}`,
    via: (location, proxy) => location.replace(`endpoint=${server.url}`, `endpoint=${proxy}/${server.account}`),
    target: new URL(server.url).origin,
    env: { AZURE_STORAGE_KEY: server.key },
    secrets: [server.key],
    container,
  };
}

/**
 * Runs `body` once per kind of store (the remote ones only when their server is configured);
 * `remoteOnly` leaves the folder out.
 */
export function describeEachStore(title: string, body: (kind: StoreKind) => void, { remoteOnly = false } = {}): void {
  if (!remoteOnly) describe(`${title}: folder`, () => body(folderKind()));
  describeWithServer(`${title}: S3 on Ceph`, s3Server(), (server) => body(s3Kind(server)));
  describeWithServer(`${title}: Azure on Azurite`, azureServer(), (server) => body(azureKind(server)));
}

/** Runs `body` with both remote kinds (skipped, or failing under CI=true, unless both servers are configured). */
export function describeBothRemotes(title: string, body: (s3: StoreKind, azure: StoreKind) => void): void {
  const s3 = s3Server();
  const azure = azureServer();
  describeWithServer(`${title}: S3 on Ceph and Azure on Azurite`, s3 && azure ? { s3, azure } : undefined, (both) => body(s3Kind(both.s3), azureKind(both.azure)));
}
