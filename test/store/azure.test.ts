import { randomBytes } from 'node:crypto';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { beforeAll } from 'vitest';
import { AzureBlobStore } from '../../src/store/azure-store';
import { azureServer, describeWithServer } from '../support/servers';
import { objectStoreConformance } from '../support/store-conformance';

describeWithServer('Azure Blob (Azurite)', azureServer(), (server) => {
  const container = `artifacts-test-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    await new ContainerClient(`${server.url}/${container}`, new StorageSharedKeyCredential(server.account, server.key)).create();
  });
  let n = 0;
  objectStoreConformance('Azure Blob on Azurite', () => new AzureBlobStore({ account: server.account, container, prefix: `c${n++}-${randomBytes(3).toString('hex')}`, endpoint: server.url, credential: { kind: 'key', key: server.key } }), { reportsProgress: true, checksMd5: true, cancels: true });
});
