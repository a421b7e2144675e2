/**
 * The real object stores the store tests run against: Ceph's RADOS Gateway (S3) and Azurite (Azure
 * Blob) on 127.0.0.1, started by `scripts/servers.sh start`. Their addresses and test credentials
 * come from ARTIFACTS_TEST_* variables, else from the env file that script writes.
 *
 * Without them the suites are skipped with the reason in their title, except under CI=true, where
 * they fail: CI must never pass by skipping its object-store tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'vitest';

export interface S3TestServer {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AzureTestServer {
  /** `http://127.0.0.1:PORT/devstoreaccount1` */
  url: string;
  account: string;
  key: string;
  connectionString: string;
}

const ROOT = path.resolve(__dirname, '../..');
export const ENV_FILE = path.join(process.env.ARTIFACTS_SERVERS_DIR ?? path.join(ROOT, '.servers'), 'env');

function readEnvFile(): Record<string, string> {
  if (!existsSync(ENV_FILE)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const m = /^(?:export\s+)?([A-Z0-9_]+)=(?:'([^']*)'|"([^"]*)"|(\S*))\s*$/.exec(line.trim());
    if (m) vars[m[1]!] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return vars;
}

function settings(): Record<string, string | undefined> {
  return { ...readEnvFile(), ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ARTIFACTS_TEST_'))) };
}

const HOW = `run \`npm run servers\` (scripts/servers.sh start) or set ARTIFACTS_TEST_* variables`;

export function s3Server(): S3TestServer | undefined {
  const v = settings();
  if (!v.ARTIFACTS_TEST_S3_ENDPOINT || !v.ARTIFACTS_TEST_S3_ACCESS_KEY || !v.ARTIFACTS_TEST_S3_SECRET_KEY) return undefined;
  return {
    endpoint: v.ARTIFACTS_TEST_S3_ENDPOINT,
    region: v.ARTIFACTS_TEST_S3_REGION ?? 'us-east-1',
    accessKeyId: v.ARTIFACTS_TEST_S3_ACCESS_KEY,
    secretAccessKey: v.ARTIFACTS_TEST_S3_SECRET_KEY,
  };
}

export function azureServer(): AzureTestServer | undefined {
  const v = settings();
  if (!v.ARTIFACTS_TEST_AZURE_URL || !v.ARTIFACTS_TEST_AZURE_KEY) return undefined;
  const account = v.ARTIFACTS_TEST_AZURE_ACCOUNT ?? new URL(v.ARTIFACTS_TEST_AZURE_URL).pathname.split('/')[1]!;
  return {
    url: v.ARTIFACTS_TEST_AZURE_URL.replace(/\/+$/, ''),
    account,
    key: v.ARTIFACTS_TEST_AZURE_KEY,
    connectionString:
      v.ARTIFACTS_TEST_AZURE_CONNECTION_STRING ??
      `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${v.ARTIFACTS_TEST_AZURE_KEY};BlobEndpoint=${v.ARTIFACTS_TEST_AZURE_URL};`,
  };
}

/**
 * `describe` when the server is configured; otherwise a skipped suite whose title says why, or,
 * under CI=true, one failing test that says what is missing.
 */
export function describeWithServer<T>(name: string, server: T | undefined, body: (server: T) => void): void {
  if (server) {
    describe(name, () => body(server));
    return;
  }
  const reason = `no ${name} server configured (${HOW}; looked for ${ENV_FILE})`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its server (CI=true never skips the object-store tests)', () => {
        throw new Error(reason);
      });
    });
  } else {
    // The reporter lists a skipped file without its titles: say why where it shows.
    console.warn(`[store tests] ${name} skipped: ${reason}`);
    describe.skip(`${name}: skipped, ${reason}`, () => {
      it('needs the server', () => undefined);
    });
  }
}
