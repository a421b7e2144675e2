/**
 * What a user hands to a log, in the words both front ends use: local files and folders, each
 * placed at a path in the artifact, and references. Parsing the CLI's `PATH=NAME` and `URI=NAME`
 * lives here too, so the extension and the CLI agree on what a placement means.
 */
import { existsSync } from 'node:fs';

/** A local file or folder and where it goes: a file's path, or the folder its contents go under. */
export interface PathSource {
  localPath: string;
  /** File: its path in the artifact (default: its base name). Folder: the prefix ('' or absent: the root). */
  name?: string;
}

export interface ReferenceSource {
  uri: string;
  name?: string;
}

/** `PATH=NAME` → {localPath, name}; a PATH that exists as written (even with `=`) has no NAME. */
export function parsePlacement(arg: string): PathSource {
  const eq = arg.lastIndexOf('=');
  if (eq <= 0 || existsSync(arg)) return { localPath: arg };
  return { localPath: arg.slice(0, eq), name: arg.slice(eq + 1) };
}

/**
 * `URI=NAME`. In a URI with a query string the query's own `k=v` pairs stay intact: NAME is split off
 * only when the last parameter holds a second `=` (`https://h/p?x=1=data.csv`).
 */
export function parseReferenceArg(arg: string): ReferenceSource {
  const q = arg.indexOf('?');
  const lastSegment = q < 0 ? arg : arg.slice(Math.max(arg.lastIndexOf('&'), q) + 1);
  const needed = q < 0 ? 1 : 2;
  if ((lastSegment.match(/=/g) ?? []).length < needed) return { uri: arg };
  const eq = arg.lastIndexOf('=');
  return { uri: arg.slice(0, eq), name: arg.slice(eq + 1) };
}
