/**
 * A registry location string → what it names, without loading any cloud SDK (so a CLI or an
 * extension that works on a folder never pays for them):
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
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import type { AzureCredentialOption, AzureStoreOptions } from './azure-store';
import type { S3StoreOptions } from './s3-store';

/** What a location names: a folder, or a bucket or container prefix with the options to open it. */
export type StoreSpec =
  | { kind: 'local'; root: string }
  | { kind: 's3'; options: S3StoreOptions; location: string }
  | { kind: 'azure'; options: AzureStoreOptions; location: string };

/** `Key=Value;…` of an Azure Storage connection string (values may contain `=`). */
export function parseConnectionString(cs: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of cs.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** How an S3 store names itself in messages: `s3://bucket/prefix[?endpoint=…]` (never a credential). */
export function s3LocationText(o: Pick<S3StoreOptions, 'bucket' | 'prefix' | 'endpoint'>): string {
  const prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
  return `s3://${o.bucket}${prefix ? `/${prefix}` : ''}${o.endpoint ? `?endpoint=${o.endpoint}` : ''}`;
}

/** How an Azure store names itself: `azure://account/container/prefix[?endpoint=…]`. */
export function azureLocationText(o: Pick<AzureStoreOptions, 'account' | 'container' | 'prefix' | 'endpoint'>): string {
  const prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
  return `azure://${o.account}/${o.container}${prefix ? `/${prefix}` : ''}${o.endpoint ? `?endpoint=${o.endpoint}` : ''}`;
}

/** True when the location names a bucket or container (any `scheme://` other than file://). */
export function isRemoteLocation(location: string): boolean {
  const scheme = SCHEME.exec(location.trim())?.[1]?.toLowerCase();
  return scheme !== undefined && scheme !== 'file';
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;
const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);
const AZURE_PARAMS = new Set(['endpoint']);
/** Query parameters of an Azure SAS token. */
const SAS_PARAMS = ['sig', 'sv', 'se', 'sp', 'st', 'spr', 'srt', 'ss', 'sr', 'skoid'];

/** `why`: a translated clause. */
function invalid(location: string, why: string): never {
  throw new ValidationError(l10n.t('Invalid registry location {0}: {1}', JSON.stringify(redact(location)), why));
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
    return invalid(location, l10n.t('not a valid URL'));
  }
}

/** `hint`: where credentials go instead, a translated clause. */
function noCredentials(location: string, url: URL, hint: string): void {
  if (url.username || url.password) invalid(location, l10n.t('credentials do not belong in the location (it is shown and saved); {0}', hint));
}

function checkParams(location: string, url: URL, allowed: Set<string>, hint: string): void {
  for (const name of url.searchParams.keys()) {
    if (allowed.has(name)) continue;
    if (SAS_PARAMS.includes(name)) invalid(location, l10n.t('a SAS token does not belong in the location (it is shown and saved); {0}', hint));
    invalid(location, l10n.t('unknown parameter "{0}" (allowed: {1})', name, [...allowed].join(', ')));
  }
}

/** The key prefix from a URL path: decoded, no empty, `.` or `..` segments. */
function prefixOf(location: string, path: string): string {
  const segments = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return invalid(location, l10n.t('the path is not valid percent-encoding'));
  }
  if (decoded.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) invalid(location, l10n.t('the prefix has an empty, "." or ".." segment'));
  return decoded.join('/');
}

/** `from`: the parameter or variable the value came from (`endpoint`, `ARTIFACTS_S3_ENDPOINT`). */
function endpointOf(location: string, value: string | undefined, from: string): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(location, l10n.t('{0} is not a URL: {1}', from, JSON.stringify(value)));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(location, l10n.t('{0} must be an http:// or https:// URL', from));
  if (url.username || url.password) invalid(location, l10n.t('{0} must not hold credentials', from));
  if (url.search || url.hash) invalid(location, l10n.t('{0} must not have a query', from));
  return value.replace(/\/+$/, '');
}

function booleanOf(location: string, value: string | undefined, from: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return invalid(location, l10n.t('{0} must be true or false, not {1}', from, JSON.stringify(value)));
}

function parseS3(location: string, url: URL, env: NodeJS.ProcessEnv): StoreSpec {
  const hint = l10n.t('use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the shared AWS config');
  noCredentials(location, url, hint);
  checkParams(location, url, S3_PARAMS, hint);
  const bucket = url.hostname;
  if (!bucket) invalid(location, l10n.t('no bucket: write s3://bucket/prefix'));
  // S3's bucket naming rules (which every S3-compatible server accepts).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    invalid(location, l10n.t('"{0}" is not a valid bucket name (3-63 lowercase letters, digits, dots and hyphens)', bucket));
  }
  if (url.port) invalid(location, l10n.t('a bucket has no port: put the server in ?endpoint=http://host:port'));
  const q = url.searchParams;
  const endpoint = q.has('endpoint') ? endpointOf(location, q.get('endpoint')!, 'endpoint') : endpointOf(location, env.ARTIFACTS_S3_ENDPOINT, 'ARTIFACTS_S3_ENDPOINT');
  const forcePathStyle = q.has('forcePathStyle')
    ? booleanOf(location, q.get('forcePathStyle')!, 'forcePathStyle')
    : booleanOf(location, env.ARTIFACTS_S3_FORCE_PATH_STYLE, 'ARTIFACTS_S3_FORCE_PATH_STYLE');
  const region = q.get('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) invalid(location, l10n.t('"{0}" is not a valid region', region));
  // The default chain reads process.env; for another env, hand its environment credentials over.
  const credentials = env !== process.env && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
    : undefined;
  const options: S3StoreOptions = {
    bucket,
    prefix: prefixOf(location, rawPath(location)),
    endpoint,
    region,
    forcePathStyle,
    credentials,
    profile: env !== process.env ? env.AWS_PROFILE : undefined,
  };
  return { kind: 's3', options, location: s3LocationText(options) };
}

function parseAzure(location: string, url: URL, env: NodeJS.ProcessEnv): StoreSpec {
  const hint = l10n.t('use AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN');
  noCredentials(location, url, hint);
  checkParams(location, url, AZURE_PARAMS, hint);
  const account = url.hostname;
  if (!/^[a-z0-9]{3,24}$/.test(account)) invalid(location, l10n.t('"{0}" is not a valid storage account name (3-24 lowercase letters and digits); write azure://account/container/prefix', account));
  if (url.port) invalid(location, l10n.t('an account has no port: put the server in ?endpoint=http://host:port/account'));
  const [containerSegment = '', ...rest] = rawPath(location).replace(/^\/+/, '').split('/');
  const container = containerSegment;
  if (!container) invalid(location, l10n.t('no container: write azure://account/container/prefix'));
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(container)) {
    invalid(location, l10n.t('"{0}" is not a valid container name (3-63 lowercase letters, digits and single hyphens)', container));
  }
  const endpoint = endpointOf(location, url.searchParams.get('endpoint') ?? undefined, 'endpoint');
  let credential: AzureCredentialOption = { kind: 'default' };
  if (env.AZURE_STORAGE_CONNECTION_STRING) {
    const named = parseConnectionString(env.AZURE_STORAGE_CONNECTION_STRING).AccountName;
    if (named && named !== account) invalid(location, l10n.t('AZURE_STORAGE_CONNECTION_STRING is for the account "{0}", the location names "{1}"', named, account));
    credential = { kind: 'connectionString', value: env.AZURE_STORAGE_CONNECTION_STRING };
  } else if (env.AZURE_STORAGE_KEY) {
    credential = { kind: 'key', key: env.AZURE_STORAGE_KEY };
  } else if (env.AZURE_STORAGE_SAS_TOKEN) {
    credential = { kind: 'sas', token: env.AZURE_STORAGE_SAS_TOKEN };
  }
  const options: AzureStoreOptions = { account, container, prefix: prefixOf(location, `/${rest.join('/')}`), endpoint, credential };
  return { kind: 'azure', options, location: azureLocationText(options) };
}

/** What a registry location names (see the comment at the top for the forms); one-line ValidationError otherwise. */
export function parseStoreLocation(location: string, env: NodeJS.ProcessEnv = process.env): StoreSpec {
  const trimmed = location.trim();
  if (!trimmed) throw new ValidationError(l10n.t('Invalid registry location: it is empty'));
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (!scheme) return { kind: 'local', root: trimmed };
  switch (scheme) {
    case 'file':
      try {
        return { kind: 'local', root: fileURLToPath(trimmed) };
      } catch {
        return invalid(trimmed, l10n.t('not a valid file:// URL'));
      }
    case 's3':
      return parseS3(trimmed, parseUrl(trimmed), env);
    case 'azure':
      return parseAzure(trimmed, parseUrl(trimmed), env);
    default:
      return invalid(trimmed, l10n.t('unsupported scheme "{0}://" (use a folder path, s3://bucket/prefix or azure://account/container/prefix)', scheme));
  }
}
