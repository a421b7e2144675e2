/**
 * The bytes of one stored entry of a version, for the read-only `artifact:` file system, streamed
 * into one buffer of the entry's size (no second copy) and hashed on the way, refused above a size
 * limit instead of exhausting the extension host's memory.
 *
 * Interim: the registry offers no method that opens an entry yet, so this is the one place in the
 * extension that knows where a stored entry's bytes live (blobKey). It goes when the registry has
 * `openEntry(artifact, path)` (see the lead's request in the redesign report).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CorruptObjectError, NotFoundError, ValidationError } from '../../core/errors';
import type { ManifestEntry } from '../../core/manifest';
import { formatBytes } from '../../core/units';
import { blobKey } from '../../registry/layout';
import type { Registry } from '../../registry/registry';

/** Larger files are not opened from the store: download the version and open the file from disk. */
export const MAX_OPEN_BYTES = 512 * 1024 * 1024;

export class EntryTooLargeError extends ValidationError {}

export function checkOpenable(entry: ManifestEntry, maxBytes = MAX_OPEN_BYTES): void {
  if ((entry.size ?? 0) > maxBytes) {
    throw new EntryTooLargeError(`${entry.path} is ${formatBytes(entry.size!)}: too large to open from the registry (the limit is ${formatBytes(maxBytes)}). Download the version and open the file from disk.`);
  }
}

/** Reads a stream of `size` bytes (undefined: unknown) into one buffer, hashing it (base64 MD5). */
export async function readAll(stream: Readable, size: number | undefined, maxBytes: number, what: string): Promise<{ bytes: Uint8Array; md5: string }> {
  const hash = createHash('md5');
  let out = new Uint8Array(size ?? 64 * 1024);
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (length + chunk.length > out.length) {
      if (size !== undefined || length + chunk.length > maxBytes) {
        stream.destroy();
        throw new ValidationError(`${what} holds more bytes than ${size !== undefined ? `its recorded size (${formatBytes(size)})` : `the limit of ${formatBytes(maxBytes)}`}`);
      }
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(out.length * 2, length + chunk.length)));
      grown.set(out.subarray(0, length));
      out = grown;
    }
    out.set(chunk, length);
    length += chunk.length;
    hash.update(chunk);
  }
  return { bytes: length === out.length ? out : out.subarray(0, length), md5: hash.digest('base64') };
}

/** The stored bytes of `entry` (not a reference), checked against its digest. */
export async function readStoredEntry(registry: Registry, entry: ManifestEntry, maxBytes = MAX_OPEN_BYTES): Promise<Uint8Array> {
  checkOpenable(entry, maxBytes);
  const key = blobKey(entry.digest);
  const stream = await registry.store.getStream(key);
  if (!stream) throw new NotFoundError(`The stored file of ${entry.path} is missing from the registry (${key})`);
  const { bytes, md5 } = await readAll(stream, entry.size ?? undefined, maxBytes, entry.path);
  if (md5 !== entry.digest) throw new CorruptObjectError(key, entry.digest, md5);
  return bytes;
}
