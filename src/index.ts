/** The library: `import { Artifact, Registry } from 'artifacts'`. No VS Code needed. */
export { Artifact } from './core/artifact';
export type { ArtifactBackend, ArtifactOptions, ArtifactState, ArtifactUpdate, LoggedState, RunInfo, VersionRef, AddFileOptions, AddDirOptions, AddReferenceOptions, NewFileHandle, Policy } from './core/artifact';
export { Manifest, type ManifestEntry } from './core/manifest';
export { artifactDigest, md5B64, b64ToHex, hexToB64, EMPTY_ARTIFACT_DIGEST } from './core/digest';
export * from './core/errors';
export { parseTtl, formatTtl, TTL_INHERIT, type Ttl } from './core/ttl';
export * from './core/validate';
export { setWarningHandler } from './core/warnings';
export { Registry, type RegistryOptions, type LogOptions, type LogResult, type CollectionSummary, type GcReport } from './registry/registry';
export { parseRef, type ArtifactRef } from './registry/refs';
export type { ObjectStore, ObjectInfo, StoredObject, ListPage } from './store/object-store';
export { LocalObjectStore } from './store/local-store';
