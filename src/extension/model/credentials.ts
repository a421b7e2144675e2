/**
 * Credentials a person types for a registry in a bucket, kept in VS Code's SecretStorage (never in
 * settings or the workspace) and handed to the store as the environment variables of the standard
 * chains would be. Pure: what to ask for, how it is stored, how it becomes an environment.
 */
import * as l10n from '@vscode/l10n';
import type { StoreKindName } from './tree-model';

export interface CredentialField {
  id: string;
  /** What the input box asks for (`Access key ID`). */
  readonly prompt: string;
  /** The message while it is empty (`Enter the access key ID`), unless optional. */
  readonly missing: string;
  /** Shown as dots while typed. */
  secret: boolean;
  optional?: boolean;
}

export interface CredentialChoice {
  /** Which choice a stored secret was made with: its English name, the same in every language. */
  id: string;
  /** What the person picks first (Azure offers several kinds of credential). */
  readonly label: string;
  readonly detail: string;
  fields: CredentialField[];
  /** Field values → the variables the store reads. */
  toEnv(values: Record<string, string>): Record<string, string>;
}

// The words are getters, read when shown: the language is chosen after this module loads.
// The ids are stored in SecretStorage (they were the English labels): never translated.
export const CREDENTIAL_CHOICES: Record<Exclude<StoreKindName, 'folder'>, CredentialChoice[]> = {
  s3: [
    {
      id: 'Access key', // l10n-ignore: a stored id
      get label() {
        return l10n.t('Access key');
      },
      get detail() {
        return l10n.t('An access key ID and secret access key (AWS IAM, Cloudflare R2, MinIO, Ceph, GCS HMAC)');
      },
      fields: [
        {
          id: 'accessKeyId',
          get prompt() {
            return l10n.t('Access key ID');
          },
          get missing() {
            return l10n.t('Enter the access key ID');
          },
          secret: false,
        },
        {
          id: 'secretAccessKey',
          get prompt() {
            return l10n.t('Secret access key');
          },
          get missing() {
            return l10n.t('Enter the secret access key');
          },
          secret: true,
        },
        {
          id: 'sessionToken',
          get prompt() {
            return l10n.t('Session token (only for temporary credentials; leave empty otherwise)');
          },
          get missing() {
            return l10n.t('Enter the session token');
          },
          secret: true,
          optional: true,
        },
      ],
      toEnv: (v) => ({
        AWS_ACCESS_KEY_ID: v.accessKeyId!,
        AWS_SECRET_ACCESS_KEY: v.secretAccessKey!,
        ...(v.sessionToken ? { AWS_SESSION_TOKEN: v.sessionToken } : {}),
      }),
    },
  ],
  azure: [
    {
      id: 'Account key', // l10n-ignore: a stored id
      get label() {
        return l10n.t('Account key');
      },
      get detail() {
        return l10n.t("The storage account's access key");
      },
      fields: [
        {
          id: 'key',
          get prompt() {
            return l10n.t('Account key');
          },
          get missing() {
            return l10n.t('Enter the account key');
          },
          secret: true,
        },
      ],
      toEnv: (v) => ({ AZURE_STORAGE_KEY: v.key! }),
    },
    {
      id: 'SAS token', // l10n-ignore: a stored id
      get label() {
        return l10n.t('SAS token');
      },
      get detail() {
        return l10n.t('A shared access signature for the container');
      },
      fields: [
        {
          id: 'sas',
          get prompt() {
            return l10n.t('SAS token (sv=…&sig=…)');
          },
          get missing() {
            return l10n.t('Enter the SAS token');
          },
          secret: true,
        },
      ],
      toEnv: (v) => ({ AZURE_STORAGE_SAS_TOKEN: v.sas! }),
    },
    {
      id: 'Connection string', // l10n-ignore: a stored id
      get label() {
        return l10n.t('Connection string');
      },
      get detail() {
        return l10n.t('AccountName=…;AccountKey=… (or SharedAccessSignature=…)');
      },
      fields: [
        {
          id: 'connectionString',
          get prompt() {
            return l10n.t('Connection string');
          },
          get missing() {
            return l10n.t('Enter the connection string');
          },
          secret: true,
        },
      ],
      toEnv: (v) => ({ AZURE_STORAGE_CONNECTION_STRING: v.connectionString! }),
    },
  ],
};

/** The SecretStorage key of a registry's credentials (its location, which holds no secret). */
export function secretKey(location: string): string {
  return `artifacts.credentials:${location}`;
}

/** What is stored: the choice (its id) and the values, as JSON. */
export function encodeSecret(store: Exclude<StoreKindName, 'folder'>, choice: CredentialChoice, values: Record<string, string>): string {
  return JSON.stringify({ store, choice: choice.id, values });
}

/** The variables a stored secret stands for (empty when it cannot be read). */
export function secretEnv(stored: string | undefined): Record<string, string> {
  if (!stored) return {};
  try {
    const { store, choice, values } = JSON.parse(stored) as { store: 's3' | 'azure'; choice: string; values: Record<string, string> };
    const c = CREDENTIAL_CHOICES[store]?.find((x) => x.id === choice);
    return c ? c.toEnv(values) : {};
  } catch {
    return {};
  }
}
