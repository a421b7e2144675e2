/**
 * AzureBlobStore against Azurite on 127.0.0.1 (scripts/servers.sh): the conformance suite, the
 * remote-store suite (large files, races, faults, errors) and openStore for azure:// URIs.
 */
import { randomBytes } from 'node:crypto';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureBlobStore } from '../../src/store/azure-store';
import { openStore } from '../../src/store/store-uri';
import { azureServer, describeWithServer } from '../support/servers';
import { objectStoreConformance } from '../support/store-conformance';
import { remoteStoreSuite } from './remote-suite';

describeWithServer('Azure Blob (Azurite)', azureServer(), (server) => {
  const container = `artifacts-test-${randomBytes(4).toString('hex')}`;
  const admin = new ContainerClient(`${server.url}/${container}`, new StorageSharedKeyCredential(server.account, server.key));
  const origin = new URL(server.url).origin;
  beforeAll(async () => {
    await admin.create();
  });
  afterAll(async () => {
    await admin.deleteIfExists();
  });

  let n = 0;
  const prefix = () => `t${n++}-${randomBytes(3).toString('hex')}`;
  objectStoreConformance(
    'Azure Blob on Azurite',
    () => new AzureBlobStore({ account: server.account, container, prefix: prefix(), endpoint: server.url, credential: { kind: 'key', key: server.key } }),
    { reportsProgress: true, checksMd5: true, cancels: true },
  );

  remoteStoreSuite('Azure Blob on Azurite', {
    target: origin,
    make: (o = {}) =>
      new AzureBlobStore({
        account: server.account,
        container: o.missingContainer ? `artifacts-missing-${randomBytes(4).toString('hex')}` : container,
        prefix: o.samePrefixAs ? (o.samePrefixAs as AzureBlobStore).prefix : prefix(),
        endpoint: `${o.via ?? origin}/${server.account}`,
        credential: { kind: 'key', key: o.wrongSecret ?? server.key },
        retry: o.retry,
        timeouts: o.idleMs ? { idleMs: o.idleMs } : undefined,
        tuning: o.tuning,
      }),
    secrets: [server.key],
    wrongSecret: randomBytes(64).toString('base64'),
    // Uncommitted blocks are not an "upload" that can be listed or aborted; Azure drops them after a week.
    errorAnswer: (status, code) => ({
      kind: 'respond',
      status,
      headers: { 'content-type': 'application/xml', 'x-ms-error-code': code },
      body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>injected</Message></Error>`,
    }),
    busyCode: 'ServerBusy',
    isPartUpload: (req) => req.method === 'PUT' && /[?&]comp=block(&|$)/.test(req.url ?? ''),
  });

  describe('openStore(azure://…)', () => {
    it('opens a container prefix with the account key from AZURE_STORAGE_KEY', async () => {
      const store = openStore(`azure://${server.account}/${container}/uri/one?endpoint=${server.url}`, { AZURE_STORAGE_KEY: server.key });
      expect(store.location).toBe(`azure://${server.account}/${container}/uri/one?endpoint=${server.url}`);
      expect(store.location).not.toContain(server.key);
      await store.put('k', 'via uri');
      expect((await store.get('k'))?.body.toString()).toBe('via uri');
    });

    it('opens it with AZURE_STORAGE_CONNECTION_STRING (its BlobEndpoint)', async () => {
      const store = openStore(`azure://${server.account}/${container}/uri/two`, { AZURE_STORAGE_CONNECTION_STRING: server.connectionString });
      expect(await store.putIfAbsent('k', 'x')).toBe(true);
      expect(await store.putIfAbsent('k', 'y')).toBe(false);
      expect((await store.head('k'))?.size).toBe(1);
    });

    it('opens it with a SAS token from AZURE_STORAGE_SAS_TOKEN', async () => {
      const { ContainerSASPermissions, generateBlobSASQueryParameters } = await import('@azure/storage-blob');
      const sas = generateBlobSASQueryParameters(
        { containerName: container, permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 3_600_000) },
        new StorageSharedKeyCredential(server.account, server.key),
      ).toString();
      const store = openStore(`azure://${server.account}/${container}/uri/three?endpoint=${server.url}`, { AZURE_STORAGE_SAS_TOKEN: sas });
      await store.put('k', 'sas');
      expect((await store.get('k'))?.body.toString()).toBe('sas');
      // A SAS token that only reads cannot write: a user error, and the token never shows.
      const readOnly = generateBlobSASQueryParameters(
        { containerName: container, permissions: ContainerSASPermissions.parse('rl'), expiresOn: new Date(Date.now() + 3_600_000) },
        new StorageSharedKeyCredential(server.account, server.key),
      ).toString();
      const reader = openStore(`azure://${server.account}/${container}/uri/three?endpoint=${server.url}`, { AZURE_STORAGE_SAS_TOKEN: readOnly });
      expect((await reader.get('k'))?.body.toString()).toBe('sas');
      const error = await reader.put('k2', 'x').catch((e: unknown) => e as Error);
      expect(error?.constructor.name).toBe('StoreAccessError');
      const sig = new URLSearchParams(readOnly).get('sig')!;
      expect(`${error?.message}${error?.stack}`).not.toContain(sig);
    });
  });
});
