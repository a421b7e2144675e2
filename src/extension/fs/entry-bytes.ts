/**
 * The bytes of one stored entry of a version, for the read-only `artifact:` file system, streamed
 * into one buffer of the entry's size (no second copy) and hashed on the way, refused above a size
 * limit instead of exhausting the extension host's memory.
 *
 * The registry opens the entry (Registry.openEntry: the digest is checked as the bytes pass, and a
 * reference is fetched by its handler); this file only collects it into one buffer.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { Readable } from 'node:stream';
import type { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import type { ManifestEntry } from '../../core/manifest';
import { formatBytes } from '../../core/units';
import type { Registry } from '../../registry/registry';

/** Larger files are not opened from the store: download the version and open the file from disk. */
export const MAX_OPEN_BYTES = 512 * 1024 * 1024;

export class EntryTooLargeError extends ValidationError {}

export function checkOpenable(entry: ManifestEntry, maxBytes = MAX_OPEN_BYTES): void {
  if ((entry.size ?? 0) > maxBytes) {
    throw new EntryTooLargeError(
      l10n.t('{0} is {1}: too large to open from the registry (the limit is {2}). Download the version and open the file from disk.', entry.path, formatBytes(entry.size!), formatBytes(maxBytes)),
    );
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
        throw new ValidationError(
          size !== undefined ? l10n.t('{0} holds more bytes than its recorded size ({1})', what, formatBytes(size)) : l10n.t('{0} holds more bytes than the limit of {1}', what, formatBytes(maxBytes)),
        );
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

/** The bytes of one file of a version, checked against its digest. */
export async function readEntry(registry: Registry, artifact: Artifact, entry: ManifestEntry, maxBytes = MAX_OPEN_BYTES): Promise<Uint8Array> {
  checkOpenable(entry, maxBytes);
  const opened = await registry.openEntry(artifact, entry.path);
  return (await readAll(opened.stream, opened.size, maxBytes, entry.path)).bytes;
}
