/** What download and checkout take and give back (implemented by src/registry/transfer.ts). */
export interface TransferProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface DownloadOptions {
  /** Plain string prefix of the paths to download (W&B's path_prefix). */
  pathPrefix?: string;
  /** Do not keep fetched bytes (remote blobs, references) in the local cache. */
  skipCache?: boolean;
  /** Warn about and skip references whose target is gone instead of failing. */
  allowMissingReferences?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
}

export interface DownloadResult {
  root: string;
  /** Paths written (new or changed). */
  written: string[];
  /** Entries already present with the right content. */
  unchanged: number;
  /** Entries not written: missing references, folder conflicts. */
  skipped: string[];
  bytesWritten: number;
}
