/** Where things live on this machine when nobody says otherwise. */
import { homedir, userInfo } from 'node:os';
import * as path from 'node:path';

/** `s3://…`, `azure://…`: a registry in a bucket or container rather than a folder. */
function isUri(location: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(location) && !/^file:\/\//i.test(location);
}

/**
 * The registry used when none is named: `ARTIFACTS_REGISTRY` (a folder, resolved, or a bucket URI
 * as written), else `~/.artifacts`. The CLI and the extension share it.
 */
export function defaultRegistryLocation(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ARTIFACTS_REGISTRY?.trim();
  if (!fromEnv) return path.join(homedir(), '.artifacts');
  return isUri(fromEnv) ? fromEnv : path.resolve(fromEnv);
}

/**
 * This machine's registry folder: `ARTIFACTS_REGISTRY` when it names a folder, else `~/.artifacts`.
 * It is the cache in front of registries in buckets (their blobs land in its `objects/`).
 */
export function defaultRegistryRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ARTIFACTS_REGISTRY?.trim();
  return fromEnv && !isUri(fromEnv) ? path.resolve(fromEnv) : path.join(homedir(), '.artifacts');
}

/** Staging copies of drafts (policy "mutable"): `ARTIFACTS_STAGING_DIR`, else `<registry>/staging`. */
export function defaultStagingRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ARTIFACTS_STAGING_DIR?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(defaultRegistryRoot(env), 'staging');
}

/** The default entity: the OS user name (W&B uses the account; here the registry is yours). */
export function defaultEntity(): string {
  try {
    return userInfo().username || 'user';
  } catch {
    return process.env.USER || process.env.USERNAME || 'user';
  }
}

export const DEFAULT_PROJECT = 'uncategorized';
