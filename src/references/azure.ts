/**
 * Azure Blob references, `https://<account>.blob.core.windows.net/<container>/<path>` (W&B's Azure
 * handler, matched before plain https; shared rules in cloud-objects.ts). A version may be named in
 * the URL (`?versionId=…`). Credentials as for an azure:// registry: AZURE_STORAGE_CONNECTION_STRING
 * when it is for that account (its BlobEndpoint is then the account's address, which is how Azurite
 * or a private endpoint is reached), else AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN, else
 * DefaultAzureCredential.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import type { AzureCredentialOption } from '../store/azure-store';
import { parseConnectionString } from '../store/store-location';
import { cloudReferences, type CloudScheme } from './cloud-objects';
import { cachedSource } from './s3';

const AZURE_URL = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([^/?#]+)\/?([^?#]*)(?:\?([^#]*))?/i;

function credentialFor(account: string, env: NodeJS.ProcessEnv): { credential: AzureCredentialOption; endpoint?: string } {
  const cs = env.AZURE_STORAGE_CONNECTION_STRING;
  if (cs && parseConnectionString(cs).AccountName === account) return { credential: { kind: 'connectionString', value: cs } };
  if (env.AZURE_STORAGE_KEY) return { credential: { kind: 'key', key: env.AZURE_STORAGE_KEY } };
  if (env.AZURE_STORAGE_SAS_TOKEN) return { credential: { kind: 'sas', token: env.AZURE_STORAGE_SAS_TOKEN } };
  return { credential: { kind: 'default' } };
}

const azureScheme: CloudScheme = {
  name: 'azure',
  canHandle: (uri) => AZURE_URL.test(uri),
  parse(uri) {
    const m = AZURE_URL.exec(uri);
    if (!m) throw new ValidationError(l10n.t('Invalid Azure reference {0}: expected https://account.blob.core.windows.net/container/path', JSON.stringify(uri)));
    const versionId = new URLSearchParams(m[4] ?? '').get('versionId') || undefined;
    return { bucket: `${m[1]!.toLowerCase()}/${m[2]!}`, key: m[3]!, versionId };
  },
  uriOf: (bucket, key) => {
    const [account, container] = bucket.split('/');
    return `https://${account}.blob.core.windows.net/${container}/${key}`; // l10n-ignore: a URL
  },
  source(bucket) {
    const [account, container] = bucket.split('/') as [string, string];
    const { credential } = credentialFor(account, process.env);
    return cachedSource(`azure\0${bucket}\0${credential.kind}`, async () => {
      const { AzureReferenceSource } = await import('./azure-source');
      return new AzureReferenceSource({ account, container, credential });
    });
  },
};

export const azureReferences = cloudReferences(azureScheme);
