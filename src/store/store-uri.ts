/**
 * A registry location string → its ObjectStore, built at once (this module loads the cloud SDKs;
 * the registry uses lazy-store.ts, which loads them only when a bucket is first read). The forms,
 * and the rule that a location never holds a credential, are in store-location.ts.
 */
import { AzureBlobStore } from './azure-store';
import { LocalObjectStore } from './local-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-store';
import { parseStoreLocation, type StoreSpec } from './store-location';

export { parseStoreLocation, isRemoteLocation, type StoreSpec } from './store-location';

/** The store a parsed location names. */
export function storeFromSpec(spec: StoreSpec): ObjectStore {
  switch (spec.kind) {
    case 'local':
      return new LocalObjectStore(spec.root);
    case 's3':
      return new S3ObjectStore(spec.options);
    case 'azure':
      return new AzureBlobStore(spec.options);
  }
}

/** The ObjectStore a registry location names (see store-location.ts for the forms). */
export function openStore(location: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  return storeFromSpec(parseStoreLocation(location, env));
}
