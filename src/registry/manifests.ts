/**
 * Manifests in the store, keyed by the MD5 of their bytes: written once, read with that key
 * checked, so a changed manifest is caught without recomputing the artifact digest.
 */
import { createHash } from 'node:crypto';
import { CorruptObjectError, NotFoundError } from '../core/errors';
import { Manifest } from '../core/manifest';
import type { ObjectStore } from '../store/object-store';
import { manifestKey } from './layout';

export class ManifestStore {
  constructor(private readonly store: ObjectStore) {}

  async read(key: string): Promise<Manifest> {
    const obj = await this.store.get(key);
    if (!obj) throw new NotFoundError(`The manifest ${key} is missing from ${this.store.location}`);
    const bytesMd5 = createHash('md5').update(obj.body).digest('hex');
    if (key !== manifestKey(bytesMd5)) throw new CorruptObjectError(key, key, manifestKey(bytesMd5));
    return Manifest.parse(obj.body);
  }

  /** The key a manifest is stored under (the MD5 of its bytes). */
  keyOf(manifest: Manifest): string {
    return manifestKey(createHash('md5').update(manifest.serialize()).digest('hex'));
  }

  /** Stores the manifest (again, if it exists: that refreshes its age for gc) and returns its key. */
  async write(manifest: Manifest): Promise<string> {
    const bytes = manifest.serialize();
    const key = manifestKey(createHash('md5').update(bytes).digest('hex'));
    await this.store.put(key, bytes);
    return key;
  }
}
