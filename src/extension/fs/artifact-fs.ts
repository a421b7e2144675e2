/**
 * A read-only file system over logged versions, so that their files open in VS Code's own editors
 * (text, images, the diff editor) straight from the store. Bytes are read through the registry
 * (Registry.openEntry, via fs/entry-bytes.ts): streamed into a single buffer and checked against the entry's digest, with
 * files above a size limit refused with a message instead of read into memory.
 */
import * as vscode from 'vscode';
import type { Artifact } from '../../core/artifact';
import { NotFoundError } from '../../core/errors';
import { buildFolderIndex } from '../model/tree-model';
import type { Registry } from '../../registry/registry';
import type { ConfiguredRegistry } from '../services/configured-registry';
import { parseArtifactUri, type ArtifactFileRef } from './artifact-uri';
import { EntryTooLargeError, readEntry } from './entry-bytes';

const MAX_CACHED_VERSIONS = 20;

const readOnly = () => vscode.FileSystemError.NoPermissions(vscode.l10n.t('Versions are read-only'));

export class ArtifactFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly versions = new Map<string, Promise<{ artifact: Artifact; registry: Registry; index: ReturnType<typeof buildFolderIndex> }>>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ConfiguredRegistry) {
    // Versions never change, but a delete or another registry in the settings must not serve old ones.
    this.subscription = registry.onDidChange(() => this.versions.clear());
  }

  private refOf(uri: vscode.Uri): ArtifactFileRef {
    const ref = parseArtifactUri(uri);
    if (!ref) throw vscode.FileSystemError.FileNotFound(uri);
    return ref;
  }

  /** The registry a URI's version is in: its authority names a registry row (none: the default one). */
  private async registryOf(ref: ArtifactFileRef): Promise<Registry> {
    const registry = await this.registry.registryOf(ref.registry);
    if (!registry) throw new NotFoundError(vscode.l10n.t('No registry in the settings has the key {0}', ref.registry ?? ''));
    return registry;
  }

  private load(ref: ArtifactFileRef) {
    const id = `${ref.registry ?? ''}\0${ref.version}`;
    let p = this.versions.get(id);
    if (!p) {
      p = (async () => {
        const registry = await this.registryOf(ref);
        const artifact = await registry.get(ref.version);
        return { artifact, registry, index: buildFolderIndex(artifact.manifest.entries()) };
      })();
      p.catch(() => this.versions.delete(id));
      if (this.versions.size >= MAX_CACHED_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
      this.versions.set(id, p);
    }
    return p;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const ref = this.refOf(uri);
    const { artifact, index } = await this.load(ref).catch(() => {
      throw vscode.FileSystemError.FileNotFound(uri);
    });
    const mtime = Date.parse(artifact.createdAt);
    const entry = ref.path ? artifact.manifest.get(ref.path) : undefined;
    if (entry) return { type: vscode.FileType.File, ctime: mtime, mtime, size: entry.size ?? 0, permissions: vscode.FilePermission.Readonly };
    if (ref.path === '' || index.folders.has(ref.path) || index.files.has(ref.path)) {
      return { type: vscode.FileType.Directory, ctime: mtime, mtime, size: 0, permissions: vscode.FilePermission.Readonly };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const ref = this.refOf(uri);
    const { index } = await this.load(ref);
    const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    return [
      ...[...(index.folders.get(ref.path) ?? [])].map((p) => [name(p), vscode.FileType.Directory] as [string, vscode.FileType]),
      ...(index.files.get(ref.path) ?? []).map((e) => [name(e.path), vscode.FileType.File] as [string, vscode.FileType]),
    ];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const ref = this.refOf(uri);
    const { artifact, registry } = await this.load(ref);
    const entry = artifact.manifest.get(ref.path);
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      return await readEntry(registry, artifact, entry);
    } catch (e) {
      if (e instanceof EntryTooLargeError) throw vscode.FileSystemError.Unavailable(e.message);
      // A reference that cannot be fetched here (another scheme, a server that is gone): say where it is.
      if (entry.ref !== undefined && e instanceof NotFoundError) return new TextEncoder().encode(`${vscode.l10n.t('This entry is a reference: its bytes live at\n{0}\n({1})', entry.ref, e.message)}\n`);
      throw e;
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(): void {
    throw readOnly();
  }
  writeFile(): void {
    throw readOnly();
  }
  delete(): void {
    throw readOnly();
  }
  rename(): void {
    throw readOnly();
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
