/**
 * Credentials a person types for a registry in a bucket, kept in VS Code's SecretStorage (never in
 * settings or the workspace) and handed to the store as the environment variables of the standard
 * chains would be. Pure: what to ask for, how it is stored, how it becomes an environment.
 */
import type { StoreKindName } from './tree-model';

export interface CredentialField {
  id: string;
  prompt: string;
  /** Shown as dots while typed. */
  secret: boolean;
  optional?: boolean;
}

export interface CredentialChoice {
  /** What the person picks first (Azure offers several kinds of credential). */
  label: string;
  detail: string;
  fields: CredentialField[];
  /** Field values → the variables the store reads. */
  toEnv(values: Record<string, string>): Record<string, string>;
}

export const CREDENTIAL_CHOICES: Record<Exclude<StoreKindName, 'folder'>, CredentialChoice[]> = {
  s3: [
    {
      label: 'Access key',
      detail: 'An access key ID and secret access key (AWS IAM, Cloudflare R2, MinIO, Ceph, GCS HMAC)',
      fields: [
        { id: 'accessKeyId', prompt: 'Access key ID', secret: false },
        { id: 'secretAccessKey', prompt: 'Secret access key', secret: true },
        { id: 'sessionToken', prompt: 'Session token (only for temporary credentials; leave empty otherwise)', secret: true, optional: true },
      ],
      toEnv: (v) => ({
        AWS_ACCESS_KEY_ID: v.accessKeyId!,
        AWS_SECRET_ACCESS_KEY: v.secretAccessKey!,
        ...(v.sessionToken ? { AWS_SESSION_TOKEN: v.sessionToken } : {}),
      }),
    },
  ],
  azure: [
    { label: 'Account key', detail: "The storage account's access key", fields: [{ id: 'key', prompt: 'Account key', secret: true }], toEnv: (v) => ({ AZURE_STORAGE_KEY: v.key! }) },
    { label: 'SAS token', detail: 'A shared access signature for the container', fields: [{ id: 'sas', prompt: 'SAS token (sv=…&sig=…)', secret: true }], toEnv: (v) => ({ AZURE_STORAGE_SAS_TOKEN: v.sas! }) },
    {
      label: 'Connection string',
      detail: 'AccountName=…;AccountKey=… (or SharedAccessSignature=…)',
      fields: [{ id: 'connectionString', prompt: 'Connection string', secret: true }],
      toEnv: (v) => ({ AZURE_STORAGE_CONNECTION_STRING: v.connectionString! }),
    },
  ],
};

/** The SecretStorage key of a registry's credentials (its location, which holds no secret). */
export function secretKey(location: string): string {
  return `artifacts.credentials:${location}`;
}

/** What is stored: the choice and the values, as JSON. */
export function encodeSecret(store: Exclude<StoreKindName, 'folder'>, choice: CredentialChoice, values: Record<string, string>): string {
  return JSON.stringify({ store, choice: choice.label, values });
}

/** The variables a stored secret stands for (empty when it cannot be read). */
export function secretEnv(stored: string | undefined): Record<string, string> {
  if (!stored) return {};
  try {
    const { store, choice, values } = JSON.parse(stored) as { store: 's3' | 'azure'; choice: string; values: Record<string, string> };
    const c = CREDENTIAL_CHOICES[store]?.find((x) => x.label === choice);
    return c ? c.toEnv(values) : {};
  } catch {
    return {};
  }
}
