/**
 * W&B's `artifact.files()`: a version's files, in pages, each with its name, size and digest and a
 * `download()` of its own. The manifest is read once; pages are slices of it in path order.
 */
import { sortPaths } from './digest';
import type { Manifest } from './manifest';

export interface ArtifactFile {
  /** The path inside the artifact. */
  name: string;
  size: number | null;
  digest: string;
  /** For a reference: its URI. */
  ref?: string;
  /** Downloads this one file (under the version's default folder, or `root`) and returns its path. */
  download(root?: string): Promise<string>;
}

export class ArtifactFiles implements AsyncIterable<ArtifactFile> {
  private readonly names: string[];

  constructor(
    private readonly manifest: Manifest,
    names: readonly string[] | undefined,
    readonly perPage: number,
    private readonly downloadOne: (name: string, root?: string) => Promise<string>,
  ) {
    this.names = sortPaths(names ? names.filter((n) => manifest.has(n)) : [...manifest.paths()]);
  }

  /** How many files there are. */
  get length(): number {
    return this.names.length;
  }

  get pageCount(): number {
    return Math.ceil(this.names.length / this.perPage);
  }

  /** Page `index` (from 0). */
  page(index: number): ArtifactFile[] {
    return this.names.slice(index * this.perPage, (index + 1) * this.perPage).map((name) => {
      const e = this.manifest.get(name)!;
      const file: ArtifactFile = { name, size: e.size ?? null, digest: e.digest, download: (root) => this.downloadOne(name, root) };
      if (e.ref !== undefined) file.ref = e.ref;
      return file;
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ArtifactFile> {
    for (let i = 0; i < this.pageCount; i++) yield* this.page(i);
  }
}
