/**
 * Step 2 of a log (see commit.ts): make every blob of the manifest present in the store, pinned,
 * with exactly the bytes the manifest names.
 *
 * - Every blob is checked by key once the pin is written and earlier deletions have settled (from
 *   then on nothing deletes it: pins.ts). A missing blob is stored from where its bytes are: the
 *   draft's own staged copy (hashed when it was made), or the user's file, copied through a hash
 *   so that a file edited since it was added is refused by name instead of stored under a digest
 *   it no longer has. Remote stores also get the MD5 with the upload, so the server refuses
 *   damaged bytes.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import pLimit from 'p-limit';
import { INTERNAL, type Artifact } from '../core/artifact';
import { isMd5B64 } from '../core/digest';
import { NotFoundError, ValidationError, throwIfAborted } from '../core/errors';
import { CopyDigestError, hashPool } from '../core/hashing/pool';
import type { Manifest, ManifestEntry } from '../core/manifest';
import { warn } from '../core/warnings';
import type { ObjectStore } from '../store/object-store';
import { presentBlobs } from './blob-presence';
import { blobKey } from './layout';
import type { Pins } from './pins';

const BLOB_CONCURRENCY = 16;

export interface BlobProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

/** Copies `src` to a temp file through a hash and stores it, refusing bytes that are not `e`'s. */
async function storeChecked(store: ObjectStore, key: string, e: ManifestEntry, src: string, signal?: AbortSignal): Promise<void> {
  const tmpDir = store.local?.tmpDir ?? tmpdir();
  await fsp.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `upload-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await hashPool().copy({ op: 'copy', src, dest: tmp, expect: e.digest, mode: 0o444 });
    await store.putFile(key, tmp, { move: true, md5: e.digest, signal });
  } catch (err) {
    if (err instanceof CopyDigestError) {
      throw new ValidationError(l10n.t('{0} changed since it was added to the draft (as {1}): its digest is now {2}, not {3}. Nothing was logged; add the file again', src, e.path, err.actual, e.digest));
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !(await fsp.stat(src).catch(() => undefined))) {
      throw new NotFoundError(l10n.t('{0} (added as {1}) no longer exists. Nothing was logged; add it again or remove it from the draft', src, e.path));
    }
    throw err;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/** The blobs a manifest needs, by key: the entry to store each from and what it counts for (several entries may share one). */
export interface BlobsOf {
  blobs: Map<string, { e: ManifestEntry; files: number; bytes: number }>;
  totalFiles: number;
  totalBytes: number;
}

export function blobsOf(manifest: Manifest): BlobsOf {
  const blobs: BlobsOf['blobs'] = new Map();
  let totalFiles = 0;
  let totalBytes = 0;
  for (const e of manifest.entries()) {
    if (e.ref !== undefined) continue;
    if (!isMd5B64(e.digest)) throw new ValidationError(l10n.t('Entry {0} has a digest that is not a base64 MD5: {1}', e.path, e.digest));
    const key = blobKey(e.digest);
    const blob = blobs.get(key);
    if (!blob) blobs.set(key, { e, files: 1, bytes: e.size ?? 0 });
    else {
      if (blob.e.localPath === undefined) blob.e = e;
      blob.files += 1;
      blob.bytes += e.size ?? 0;
    }
    totalFiles += 1;
    totalBytes += e.size ?? 0;
  }
  return { blobs, totalFiles, totalBytes };
}

export async function storeBlobs(
  store: ObjectStore,
  pins: Pins,
  artifact: Artifact,
  { blobs, totalFiles, totalBytes }: BlobsOf,
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (p: BlobProgress) => void } = {},
): Promise<void> {
  const staging = artifact[INTERNAL].staging;
  const progress: BlobProgress = { files: 0, totalFiles, bytes: 0, totalBytes };
  const count = (key: string) => {
    progress.files += blobs.get(key)!.files;
    progress.bytes += blobs.get(key)!.bytes;
  };
  // Keys a deletion announced before our pin may have taken: checked after that batch is done.
  const suspect = await pins.settle(new Set(blobs.keys()), { signal });
  // A copy this draft wrote into the store under its staging pin is there: gc skipped it, or put it
  // back (deleteIfUnchanged); only a batch announced before the pin can have taken it.
  const inStore = (key: string, e: ManifestEntry) => store.local !== undefined && e.localPath === store.local.pathOf(key);
  const unsure: string[] = [];
  for (const [key, { e }] of blobs) {
    if (inStore(key, e) && staging?.wrote(e.localPath!) === true && !suspect.has(key)) count(key);
    else unsure.push(key);
  }
  // The rest are looked up all at once (blob-presence.ts): a stat each in a folder, a listing in a bucket.
  const present = await presentBlobs(store, unsure, { signal });
  const missing = unsure.filter((key) => {
    if (present.has(key)) count(key);
    return !present.has(key);
  });
  onProgress?.(progress);
  const ownStaging = staging?.ownsFolder ? `${staging.dir}${path.sep}` : undefined;
  const limit = pLimit(BLOB_CONCURRENCY);
  await Promise.all(
    missing.map((key) =>
      limit(async () => {
        throwIfAborted(signal);
        const { e } = blobs.get(key)!;
        const stored = inStore(key, e);
        if (stored && !suspect.has(key)) {
          warn(
            e.sourcePath
              ? l10n.t('The staged copy of {0} was removed from {1} before this log pinned it; storing it again from {2}', e.path, store.location, e.sourcePath)
              : l10n.t('The staged copy of {0} was removed from {1} before this log pinned it; storing it again from its source', e.path, store.location),
          );
        }
        if (e.localPath && ownStaging && e.localPath.startsWith(ownStaging)) {
          await store.putFile(key, e.localPath, { move: true, md5: e.digest, signal }); // hashed when it was staged
        } else if (e.localPath && !stored) {
          await storeChecked(store, key, e, e.localPath, signal);
        } else if (e.sourcePath) {
          await storeChecked(store, key, e, e.sourcePath, signal);
        } else {
          throw new NotFoundError(l10n.t('The contents of {0} ({1}) are no longer in {2} (removed by gc?): add the file to the draft again', e.path, e.digest, store.location));
        }
        count(key);
        onProgress?.(progress);
      }),
    ),
  );
}
