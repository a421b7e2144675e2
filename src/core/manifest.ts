/**
 * The `wandb-artifact-manifest-v1` format (ArtifactManifestV1 in W&B): logical path → entry.
 * Written exactly as W&B's Python writer does (client-only fields left out, defaults omitted);
 * read tolerantly (Go core also writes `local_path`, `skip_cache` and may omit `size`).
 */
import * as l10n from '@vscode/l10n';
import { artifactDigest, sortPaths } from './digest';
import { ValidationError } from './errors';
import { MAX_NAME_BYTES, MAX_PATH_BYTES, MAX_PATH_DEPTH, pathLimitProblem } from './validate';

export const STORAGE_POLICY = 'wandb-storage-policy-v1';

export interface ManifestEntry {
  /** Logical POSIX path inside the artifact (the manifest key). */
  path: string;
  /** base64 MD5 for stored files; scheme-specific for references. */
  digest: string;
  size?: number | null;
  /** Present only for references: the URI. */
  ref?: string;
  extra?: Record<string, unknown>;
  birthArtifactID?: string;
  /** Client-only: where the bytes are on this machine until they are stored. Never serialised. */
  localPath?: string;
  /** Client-only: the file the user added, when `localPath` is a staged copy of it. */
  sourcePath?: string;
  /** Client-only: do not keep the bytes in the local cache after storing them. */
  skipCache?: boolean;
}

export interface ManifestJson {
  version: 1;
  storagePolicy: string;
  storagePolicyConfig: Record<string, unknown>;
  contents: Record<string, Record<string, unknown>>;
}

export class Manifest {
  private readonly map = new Map<string, ManifestEntry>();
  private cachedDigest: string | undefined;
  storagePolicyConfig: Record<string, unknown> = { storageLayout: 'V2' };

  constructor(entries: Iterable<ManifestEntry> = []) {
    for (const e of entries) this.map.set(e.path, e);
  }

  get size(): number {
    let total = 0;
    for (const e of this.map.values()) if (e.size) total += e.size;
    return total;
  }

  get fileCount(): number {
    return this.map.size;
  }

  get digest(): string {
    this.cachedDigest ??= artifactDigest(this.map.values());
    return this.cachedDigest;
  }

  entries(): IterableIterator<ManifestEntry> {
    return this.map.values();
  }

  paths(): IterableIterator<string> {
    return this.map.keys();
  }

  get(path: string): ManifestEntry | undefined {
    return this.map.get(path);
  }

  /** The entry at `path`, or W&B's media-object form `path.<type>.json`. */
  lookup(path: string): ManifestEntry | undefined {
    const exact = this.map.get(path);
    if (exact) return exact;
    const suffixed = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[a-z0-9-]+\\.json$`);
    for (const candidate of this.map.keys()) if (suffixed.test(candidate)) return this.map.get(candidate);
    return undefined;
  }

  has(path: string): boolean {
    return this.map.has(path);
  }

  /**
   * W&B's `add_entry`: the same path with another digest is an error unless `overwrite`; the same
   * digest replaces the entry silently.
   */
  add(entry: ManifestEntry, { overwrite = false } = {}): void {
    const existing = this.map.get(entry.path);
    if (existing && existing.digest !== entry.digest && !overwrite) {
      throw new ValidationError(l10n.t('Cannot add the same path twice: {0} (pass overwrite/merge to replace it, or remove it first)', entry.path));
    }
    this.map.set(entry.path, entry);
    this.cachedDigest = undefined;
  }

  delete(path: string): boolean {
    this.cachedDigest = undefined;
    return this.map.delete(path);
  }

  /** Entries whose path is `dir` or lies under `dir/` (W&B's plain string test). */
  entriesUnder(dir: string): ManifestEntry[] {
    const prefix = `${dir}/`;
    return [...this.map.values()].filter((e) => e.path.startsWith(prefix));
  }

  /** A deep copy; without `clientFields`, entries lose where their bytes were on this machine. */
  clone({ clientFields = true } = {}): Manifest {
    const copy = new Manifest(
      [...this.map.values()].map((e) => {
        const c: ManifestEntry = { ...e, extra: e.extra && { ...e.extra } };
        if (!clientFields) {
          delete c.localPath;
          delete c.sourcePath;
          delete c.skipCache;
        }
        return c;
      }),
    );
    copy.storagePolicyConfig = { ...this.storagePolicyConfig };
    return copy;
  }

  toJSON(): ManifestJson {
    const contents: Record<string, Record<string, unknown>> = {};
    for (const path of sortPaths([...this.map.keys()])) {
      const e = this.map.get(path)!;
      const out: Record<string, unknown> = { digest: e.digest };
      if (e.ref !== undefined) out.ref = e.ref;
      if (e.birthArtifactID !== undefined) out.birthArtifactID = e.birthArtifactID;
      if (e.size !== undefined && e.size !== null) out.size = e.size;
      if (e.extra && Object.keys(e.extra).length > 0) out.extra = e.extra;
      contents[path] = out;
    }
    return { version: 1, storagePolicy: STORAGE_POLICY, storagePolicyConfig: this.storagePolicyConfig, contents };
  }

  /**
   * The manifest's bytes: toJSON() as JSON, written entry by entry (no object of 100,000 keys made
   * first, and paths stay in sorted order even when they look like numbers, which an object's keys
   * would not).
   */
  serialize(): string {
    // l10n-ignore: JSON, not prose
    const chunks = [`{"version":1,"storagePolicy":${JSON.stringify(STORAGE_POLICY)},"storagePolicyConfig":${JSON.stringify(this.storagePolicyConfig)},"contents":{`];
    let chunk = '';
    let n = 0;
    for (const path of sortPaths([...this.map.keys()])) {
      const e = this.map.get(path)!;
      chunk += `${n++ === 0 ? '' : ','}${JSON.stringify(path)}:{"digest":${JSON.stringify(e.digest)}`;
      if (e.ref !== undefined) chunk += `,"ref":${JSON.stringify(e.ref)}`;
      if (e.birthArtifactID !== undefined) chunk += `,"birthArtifactID":${JSON.stringify(e.birthArtifactID)}`;
      if (e.size !== undefined && e.size !== null) chunk += `,"size":${JSON.stringify(e.size)}`;
      if (e.extra && Object.keys(e.extra).length > 0) chunk += `,"extra":${JSON.stringify(e.extra)}`;
      chunk += '}';
      if (chunk.length > 1 << 16) {
        chunks.push(chunk);
        chunk = '';
      }
    }
    chunks.push(`${chunk}}}`);
    return chunks.join('');
  }

  static parse(text: string | Buffer): Manifest {
    let json: unknown;
    try {
      json = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
    } catch (e) {
      throw new ValidationError(l10n.t('Invalid manifest: not JSON ({0})', (e as Error).message));
    }
    return Manifest.fromJSON(json);
  }

  static fromJSON(json: unknown): Manifest {
    if (typeof json !== 'object' || json === null) throw new ValidationError(l10n.t('Invalid manifest: not an object'));
    const j = json as Record<string, unknown>;
    if (!('version' in j)) throw new ValidationError(l10n.t('Invalid manifest format. Must contain version field.'));
    if (j.version !== 1) throw new ValidationError(l10n.t('Invalid manifest version: {0}', String(j.version)));
    if (j.storagePolicy !== undefined && j.storagePolicy !== STORAGE_POLICY) {
      throw new ValidationError(l10n.t("Failed to find storage policy '{0}'", String(j.storagePolicy)));
    }
    const contents = j.contents;
    if (typeof contents !== 'object' || contents === null) throw new ValidationError(l10n.t('Invalid manifest: contents is not an object'));
    const manifest = new Manifest();
    if (typeof j.storagePolicyConfig === 'object' && j.storagePolicyConfig !== null) {
      manifest.storagePolicyConfig = j.storagePolicyConfig as Record<string, unknown>;
    }
    const byPath = contents as Record<string, unknown>;
    // for…in over JSON.parse's own keys: no [key, value] pair made per entry (100,000 of them).
    for (const path in byPath) {
      const r = byPath[path] as Record<string, unknown>;
      if (typeof r !== 'object' || r === null || typeof r.digest !== 'string' || r.digest === '') {
        throw new ValidationError(l10n.t('Invalid manifest entry for {0}: it has no digest', JSON.stringify(path.slice(0, 200))));
      }
      const tooLong = pathLimitProblem(path);
      if (tooLong) {
        const shown = JSON.stringify(`${path.slice(0, 60)}…`);
        throw new ValidationError(
          tooLong.kind === 'length'
            ? l10n.t('Invalid manifest: the path {0} cannot exist on disk: it is longer than {1} bytes', shown, MAX_PATH_BYTES)
            : tooLong.kind === 'depth'
              ? l10n.t('Invalid manifest: the path {0} cannot exist on disk: it is more than {1} folders deep', shown, MAX_PATH_DEPTH)
              : l10n.t('Invalid manifest: the path {0} cannot exist on disk: its part {1}… is longer than {2} bytes', shown, tooLong.part, MAX_NAME_BYTES),
        );
      }
      if (r.size !== undefined && r.size !== null && (typeof r.size !== 'number' || !Number.isSafeInteger(r.size) || r.size < 0)) {
        throw new ValidationError(l10n.t('Invalid manifest entry for {0}: size {1} is not a byte count', JSON.stringify(path.slice(0, 200)), JSON.stringify(r.size)));
      }
      // Extra keys (Go core's local_path, skip_cache…) are ignored on purpose.
      const entry: ManifestEntry = { path, digest: r.digest };
      if (typeof r.size === 'number') entry.size = r.size;
      if (typeof r.ref === 'string') entry.ref = r.ref;
      if (typeof r.birthArtifactID === 'string') entry.birthArtifactID = r.birthArtifactID;
      if (typeof r.extra === 'object' && r.extra !== null) entry.extra = r.extra as Record<string, unknown>;
      manifest.map.set(path, entry);
    }
    return manifest;
  }
}
