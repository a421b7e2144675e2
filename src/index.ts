/** The library: `import { Artifact, Registry } from 'artifacts'`. No VS Code needed. */
export { Artifact } from './core/artifact';
export type { ArtifactOptions, ArtifactState, RunInfo, AddFileOptions, AddDirOptions, AddReferenceOptions, NewFileHandle, Policy, DownloadOptions, DownloadResult, TransferProgress, CheckoutPlan, CheckoutResult } from './core/artifact';
export type { VerifyResult } from './core/folder';
export { Manifest, type ManifestEntry } from './core/manifest';
export { artifactDigest, md5B64, b64ToHex, hexToB64, EMPTY_ARTIFACT_DIGEST } from './core/digest';
export * from './core/errors';
export { parseTtl, formatTtl, TTL_INHERIT, type Ttl } from './core/ttl';
export * from './core/validate';
export { setWarningHandler } from './core/warnings';
export type { CopyVersionOptions, CopyVersionResult, VersionListing } from './registry/registry';
export { Registry, type RegistryOptions, type LogOptions, type LogProgress, type LogResult, type CollectionSummary, type GcReport } from './registry/registry';
export { parseRef, type ArtifactRef } from './registry/refs';
export type { ObjectStore, ObjectInfo, StoredObject, ListPage, LocalCapabilities, TransferOptions } from './store/object-store';
export { LocalObjectStore } from './store/local-store';
