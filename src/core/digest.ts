/**
 * Digests exactly as W&B computes them (wandb/sdk/lib/hashutil.py, ArtifactManifestV1.digest):
 * entry digest = base64(md5(bytes)); artifact digest = hex md5 of the manifest header and the
 * sorted `path:digest` lines.
 */
import { createHash } from 'node:crypto';

export const MANIFEST_DIGEST_HEADER = 'wandb-artifact-manifest-v1\n';
/** Digest of an artifact with no entries. */
export const EMPTY_ARTIFACT_DIGEST = '64e7c61456b10382e2f3b571ac24b659';

export function md5B64(data: string | Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

export function b64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}

export function hexToB64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** A standard base64 MD5 (24 chars, padded): the only digest that names stored bytes. */
export function isMd5B64(digest: string): boolean {
  return /^[A-Za-z0-9+/]{22}==$/.test(digest);
}

const HAS_SURROGATE = /[\uD800-\uDFFF]/;

/** Maps a UTF-16 code unit so that unit order equals code-point order (surrogates sort last). */
function fixup(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}

/** Code-point (= UTF-8 byte) order, which Python's and Go's sorts use. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? fixup(x) - fixup(y) : x - y;
  }
  return a.length - b.length;
}

/**
 * Sorts paths in code-point order. Plain `sort()` (UTF-16 order) gives the same answer unless a path
 * holds an astral character, so the native sort is used whenever it is safe.
 */
export function sortPaths(paths: string[]): string[] {
  if (paths.some((p) => HAS_SURROGATE.test(p))) return paths.sort(compareCodePoints);
  return paths.sort();
}

/** The artifact digest over `(path, digest)` pairs; order of the input does not matter. */
export function artifactDigest(entries: Iterable<{ path: string; digest: string }>): string {
  const byPath = new Map<string, string>();
  for (const e of entries) byPath.set(e.path, e.digest);
  const hash = createHash('md5').update(MANIFEST_DIGEST_HEADER);
  for (const path of sortPaths([...byPath.keys()])) hash.update(`${path}:${byPath.get(path)}\n`);
  return hash.digest('hex');
}
