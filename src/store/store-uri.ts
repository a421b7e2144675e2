/**
 * A registry location string → its ObjectStore:
 *
 *   /data/registry, ./reg, file:///data/registry        a folder (LocalObjectStore)
 *   s3://bucket/prefix?endpoint=…&region=…&forcePathStyle=true
 *       endpoint, region and path style also from ARTIFACTS_S3_ENDPOINT, AWS_REGION (or
 *       AWS_DEFAULT_REGION), ARTIFACTS_S3_FORCE_PATH_STYLE; credentials from the AWS SDK's default
 *       chain (AWS_ACCESS_KEY_ID/…, AWS_PROFILE and shared config, SSO, container/instance roles)
 *   azure://account/container/prefix?endpoint=http://127.0.0.1:10000/devstoreaccount1
 *       credentials from AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY or
 *       AZURE_STORAGE_SAS_TOKEN, else DefaultAzureCredential
 *
 * A location is shown to people and written into settings, so it never holds a credential: one
 * that does (user:password@, a SAS query) is refused with a pointer to the right variable.
 */
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../core/errors';
import { AzureBlobStore, parseConnectionString, type AzureCredentialOption } from './azure-store';
import { LocalObjectStore } from './local-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3-store';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);
const AZURE_PARAMS = new Set(['endpoint']);
/** Query parameters of an Azure SAS token. */
const SAS_PARAMS = ['sig', 'sv', 'se', 'sp', 'st', 'spr', 'srt', 'ss', 'sr', 'skoid'];

function invalid(location: string, why: string): never {
  throw new ValidationError(`Invalid registry location ${JSON.stringify(redact(location))}: ${why}`);
}

/** The location as it may be shown in an error: no password, no query values that could be secrets. */
function redact(location: string): string {
  return location.replace(/\/\/[^/@]*@/, '//***@').replace(/([?&](?:sig|se|sv|sp|st|spr|srt|ss|sr|skoid|secret|key|token|password)=)[^&]*/gi, '$1***');
}

/** The path as written (URL parsing would quietly resolve `..` segments). */
function rawPath(location: string): string {
  const rest = location.replace(SCHEME, '').replace(/[?#].*$/, '');
  const slash = rest.indexOf('/');
  return slash < 0 ? '' : rest.slice(slash);
}

function parseUrl(location: string): URL {
  try {
    return new URL(location);
  } catch {
    return invalid(location, 'not a valid URL');
  }
}

function noCredentials(location: string, url: URL, hint: string): void {
  if (url.username || url.password) invalid(location, `credentials do not belong in the location (it is shown and saved); ${hint}`);
}

function checkParams(location: string, url: URL, allowed: Set<string>, hint: string): void {
  for (const name of url.searchParams.keys()) {
    if (allowed.has(name)) continue;
    if (SAS_PARAMS.includes(name)) invalid(location, `a SAS token does not belong in the location (it is shown and saved); ${hint}`);
    invalid(location, `unknown parameter "${name}" (allowed: ${[...allowed].join(', ')})`);
  }
}

/** The key prefix from a URL path: decoded, no empty, `.` or `..` segments. */
function prefixOf(location: string, path: string): string {
  const segments = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return invalid(location, 'the path is not valid percent-encoding');
  }
  if (decoded.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) invalid(location, 'the prefix has an empty, "." or ".." segment');
  return decoded.join('/');
}

function endpointOf(location: string, value: string | undefined, from: string): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(location, `${from} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(location, `${from} must be an http:// or https:// URL`);
  if (url.username || url.password) invalid(location, `${from} must not hold credentials`);
  if (url.search || url.hash) invalid(location, `${from} must not have a query`);
  return value.replace(/\/+$/, '');
}

function booleanOf(location: string, value: string | undefined, from: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return invalid(location, `${from} must be true or false, not ${JSON.stringify(value)}`);
}

function openS3(location: string, url: URL, env: NodeJS.ProcessEnv): S3ObjectStore {
  const hint = 'use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the shared AWS config';
  noCredentials(location, url, hint);
  checkParams(location, url, S3_PARAMS, hint);
  const bucket = url.hostname;
  if (!bucket) invalid(location, 'no bucket: write s3://bucket/prefix');
  // S3's bucket naming rules (which every S3-compatible server accepts).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    invalid(location, `"${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, dots and hyphens)`);
  }
  if (url.port) invalid(location, 'a bucket has no port: put the server in ?endpoint=http://host:port');
  const q = url.searchParams;
  const endpoint = q.has('endpoint') ? endpointOf(location, q.get('endpoint')!, 'endpoint') : endpointOf(location, env.ARTIFACTS_S3_ENDPOINT, 'ARTIFACTS_S3_ENDPOINT');
  const forcePathStyle = q.has('forcePathStyle')
    ? booleanOf(location, q.get('forcePathStyle')!, 'forcePathStyle')
    : booleanOf(location, env.ARTIFACTS_S3_FORCE_PATH_STYLE, 'ARTIFACTS_S3_FORCE_PATH_STYLE');
  const region = q.get('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) invalid(location, `"${region}" is not a valid region`);
  // The default chain reads process.env; for another env, hand its environment credentials over.
  const credentials = env !== process.env && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  return new S3ObjectStore({
    bucket,
    prefix: prefixOf(location, rawPath(location)),
    endpoint,
    region,
    forcePathStyle,
    credentials,
    profile: env !== process.env ? env.AWS_PROFILE : undefined,
  });
}

function openAzure(location: string, url: URL, env: NodeJS.ProcessEnv): AzureBlobStore {
  const hint = 'use AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN';
  noCredentials(location, url, hint);
  checkParams(location, url, AZURE_PARAMS, hint);
  const account = url.hostname;
  if (!/^[a-z0-9]{3,24}$/.test(account)) invalid(location, `"${account}" is not a valid storage account name (3-24 lowercase letters and digits); write azure://account/container/prefix`);
  if (url.port) invalid(location, 'an account has no port: put the server in ?endpoint=http://host:port/account');
  const [containerSegment = '', ...rest] = rawPath(location).replace(/^\/+/, '').split('/');
  const container = containerSegment;
  if (!container) invalid(location, 'no container: write azure://account/container/prefix');
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(container)) {
    invalid(location, `"${container}" is not a valid container name (3-63 lowercase letters, digits and single hyphens)`);
  }
  const endpoint = endpointOf(location, url.searchParams.get('endpoint') ?? undefined, 'endpoint');
  let credential: AzureCredentialOption = { kind: 'default' };
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    const named = parseConnectionString(env.AZURE_STORAGE_CONNECTION_STRING).AccountName;
    if (named && named !== account) invalid(location, `AZURE_STORAGE_CONNECTION_STRING is for the account "${named}", the location names "${account}"`);
    credential = { kind: 'connectionString', value: env.AZURE_STORAGE_CONNECTION_STRING };
  } else if (env.AZURE_STORAGE_KEY) {
    credential = { kind: 'key', key: env.AZURE_STORAGE_KEY };
  } else if (env.AZURE_STORAGE_SAS_TOKEN) {
    credential = { kind: 'sas', token: env.AZURE_STORAGE_SAS_TOKEN };
  }
  return new AzureBlobStore({ account, container, prefix: prefixOf(location, `/${rest.join('/')}`), endpoint, credential });
}

/** The ObjectStore a registry location names (see the comment at the top for the forms). */
export function openStore(location: string, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const trimmed = location.trim();
  if (!trimmed) throw new ValidationError('Invalid registry location: it is empty');
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (!scheme) return new LocalObjectStore(trimmed);
  switch (scheme) {
    case 'file':
      try {
        return new LocalObjectStore(fileURLToPath(trimmed));
      } catch {
        return invalid(trimmed, 'not a valid file:// URL');
      }
    case 's3':
      return openS3(trimmed, parseUrl(trimmed), env);
    case 'azure':
      return openAzure(trimmed, parseUrl(trimmed), env);
    default:
      return invalid(trimmed, `unsupported scheme "${scheme}://" (use a folder path, s3://bucket/prefix or azure://account/container/prefix)`);
  }
}
