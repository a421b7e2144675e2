/** Where things live on this machine when nobody says otherwise. */
import { homedir, userInfo } from 'node:os';
import * as path from 'node:path';

/** `ARTIFACTS_REGISTRY`, else `~/.artifacts` (the CLI and the extension share it). */
export function defaultRegistryRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ARTIFACTS_REGISTRY?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(homedir(), '.artifacts');
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
