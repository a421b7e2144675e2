/**
 * The two sides of a compare panel as local files the content diff worker can read: a version's
 * entry from `Registry.entryFile` (the stored object in a local registry, else a temp copy, digest
 * checked); a folder's file is itself. The versions are loaded once, on the first file shown.
 */
import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import type { Artifact } from '../../core/artifact';
import { NotFoundError } from '../../core/errors';
import type { FileSpec } from '../../content/worker-protocol';
import type { Registry } from '../../registry/registry';
import type { CompareFiles } from './compare-files';

export type CompareTarget = { version: string } | { folder: string };
export type SideName = 'before' | 'after';

export class ComparedSides {
  private artifacts: Promise<[Artifact, Artifact | null]> | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly before: string,
    private readonly after: CompareTarget,
    private readonly files: CompareFiles,
  ) {}

  /** The two versions (the second null for a folder), with their manifests. */
  versions(): Promise<[Artifact, Artifact | null]> {
    this.artifacts ??= Promise.all([this.registry.get(this.before), 'version' in this.after ? this.registry.get(this.after.version) : Promise.resolve(null)]);
    this.artifacts.catch(() => (this.artifacts = undefined));
    return this.artifacts;
  }

  /** The local file holding `logical` on one side, named by its path in the artifact; null when that side has no such file. */
  async file(side: SideName, logical: string, signal?: AbortSignal): Promise<FileSpec | null> {
    const [a, b] = await this.versions();
    if (side === 'after' && 'folder' in this.after) {
      const file = path.join(this.after.folder, ...logical.split('/'));
      const st = await fsp.stat(file).catch(() => undefined);
      return st?.isFile() ? { path: file, name: logical } : null;
    }
    const artifact = side === 'before' ? a : b!;
    const file = await this.registry.entryFile(artifact, logical, (stream, name) => this.files.spoolStream(stream, name), { signal });
    return file === undefined ? null : { path: file, name: logical };
  }

  /** Both sides of a path; at least one must exist. */
  async pair(logical: string, signal?: AbortSignal): Promise<{ before: FileSpec | null; after: FileSpec | null }> {
    const [before, after] = await Promise.all([this.file('before', logical, signal), this.file('after', logical, signal)]);
    if (!before && !after) throw new NotFoundError(l10n.t('Neither side has a file {0}', logical));
    return { before, after };
  }
}
