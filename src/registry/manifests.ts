/**
 * Manifests in the store, keyed by the MD5 of their bytes: written once, read with that key
 * checked, so a changed manifest is caught without recomputing the artifact digest.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { CorruptObjectError, NotFoundError } from '../core/errors';
import { Manifest } from '../core/manifest';
import type { ObjectStore } from '../store/object-store';
import type { ImmutableCache } from './document-cache';
import { manifestKey } from './layout';

const keyOfBytes = (bytes: Buffer | string) => manifestKey(createHash('md5').update(bytes).digest('hex'));

export class ManifestStore {
  constructor(
    private readonly store: ObjectStore,
    /** For a remote store: manifests kept on this machine once read or written. */
    private readonly cache?: ImmutableCache,
  ) {}

  async read(key: string): Promise<Manifest> {
    const body = this.cache ? await this.cache.read(key, (b) => keyOfBytes(b) === key) : (await this.store.get(key))?.body;
    if (!body) throw new NotFoundError(l10n.t('The manifest {0} is missing from {1}', key, this.store.location));
    if (key !== keyOfBytes(body)) throw new CorruptObjectError(key, key, keyOfBytes(body));
    return Manifest.parse(body);
  }

  /** The manifest's bytes and the key they are stored under (the MD5 of the bytes), made once. */
  prepare(manifest: Manifest): PreparedManifest {
    const bytes = manifest.serialize();
    return { key: keyOfBytes(bytes), bytes };
  }

  /** Stores the manifest (again, if it exists: that refreshes its age for gc) and returns its key. */
  async write(manifest: Manifest | PreparedManifest): Promise<string> {
    const { key, bytes } = manifest instanceof Manifest ? this.prepare(manifest) : manifest;
    await this.store.put(key, bytes);
    await this.cache?.keep(key, bytes);
    return key;
  }
}

export interface PreparedManifest {
  key: string;
  bytes: string;
}
