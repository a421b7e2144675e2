/**
 * What a logged artifact of a registry calls (core's ArtifactBackend): download, checkout, verify,
 * edits, collections, lineage and newDraft, over the registry's modules. Not part of the Registry's
 * public surface: core defines what it needs, the registry implements it here.
 */
import * as l10n from '@vscode/l10n';
import type { Artifact, ArtifactOptions } from '../core/artifact';
import { refText, type ArtifactBackend, type LoggedState } from '../core/artifact-backend';
import { ChecksumRecords } from '../core/checksum-records';
import { defaultDownloadRoot } from '../core/download-folder';
import { verifyFolder } from '../core/folder';
import type { Manifest } from '../core/manifest';
import { TRACKING_FILE, trackingState, writeTracking } from '../core/tracking';
import { warn } from '../core/warnings';
import type { ObjectStore } from '../store/object-store';
import { CollectionApi } from './collection-api';
import type { CollectionStore } from './collections';
import type { VersionEditor } from './edits';
import type { RunLog } from './lineage';
import type { ManifestStore } from './manifests';
import { downloadManifest, planCheckout, recordsDir, type TransferContext } from './transfer';
import type { VersionReader } from './versions';

export interface BackendParts {
  store: ObjectStore;
  collections: CollectionStore;
  versions: VersionReader;
  editor: VersionEditor;
  manifests: ManifestStore;
  runs: RunLog;
  transfer: TransferContext;
  /** The registry's newArtifact, for newDraft. */
  newArtifact(name: string, type: string, opts: ArtifactOptions, base: { manifest: Manifest; id: string; entity: string; project: string }): Artifact;
}

/** Records that this process (or its run) used a version; best effort: a read-only registry still downloads, with a warning. */
export async function recordUse(runs: RunLog, location: string, s: LoggedState): Promise<void> {
  await runs
    .recordUse(s.source)
    .catch((e) => warn(l10n.t('Could not record the use of {0} in {1}: {2}', refText(s, true), location, (e as NodeJS.ErrnoException).code ?? (e as Error).message)));
}

/**
 * Makes `root` track the version (its source, for a link). A version that holds a file named like
 * the tracking file at its root cannot be tracked: its own file stays, with a warning.
 */
async function track(store: ObjectStore, s: LoggedState, manifest: Manifest, root: string): Promise<void> {
  if (manifest.has(TRACKING_FILE)) {
    warn(l10n.t('{0} holds a file named {1} at its root, so {2} cannot track it', refText(s, true), TRACKING_FILE, root));
    return;
  }
  await writeTracking(root, trackingState({ ...s.source, digest: s.digest }, store.location));
}

export function artifactBackend(p: BackendParts): ArtifactBackend {
  const root = (s: LoggedState, r: string | undefined) => r ?? defaultDownloadRoot(s.source);
  const used = (s: LoggedState) => recordUse(p.runs, p.store.location, s);
  const api = new CollectionApi(p.collections, p.versions, p.editor, () => backend);
  const backend: ArtifactBackend = {
    location: p.store.location,
    linkedArtifacts: (s) => api.linkedArtifacts(s),
    sourceArtifact: (s) => api.sourceArtifact(s),
    collectionInfo: (c) => api.collectionInfo(c),
    collectionVersions: (c) => api.collectionVersions(c),
    saveCollection: (c, changes) => api.saveCollection(c, changes),
    deleteCollection: (c) => api.deleteCollection(c),
    loadManifest: (s) => p.manifests.read(s.manifestKey),
    download: async (s, r, opts) => {
      const manifest = await p.manifests.read(s.manifestKey);
      const result = await downloadManifest(p.transfer, manifest, root(s, r), opts, refText(s, true));
      if (opts.track && !opts.pathPrefix) await track(p.store, s, manifest, result.root);
      await used(s);
      return result;
    },
    planCheckout: async (s, r) => {
      const manifest = await p.manifests.read(s.manifestKey);
      const plan = await planCheckout(p.transfer, manifest, root(s, r), refText(s, true));
      return {
        ...plan,
        execute: async (opts = {}) => {
          const result = await plan.execute(opts);
          if (opts.track) await track(p.store, s, manifest, result.root);
          await used(s);
          return result;
        },
      };
    },
    verify: async (s, r, { fast, ...opts }) => {
      const folder = root(s, r);
      const records = fast ? await ChecksumRecords.load(recordsDir(p.transfer), folder) : undefined;
      return verifyFolder(await p.manifests.read(s.manifestKey), folder, { ...opts, records });
    },
    update: (s, changes) => p.editor.update(s, changes),
    delete: (s, opts) => p.editor.delete(s, opts),
    link: (s, target, aliases) => p.editor.link(s, target, aliases),
    unlink: (s) => p.editor.unlink(s),
    loggedBy: async (s) => {
      const run = await p.versions.loggedBy(s.source);
      return run ? p.runs.read(run) : null;
    },
    usedBy: (s) => p.runs.usedBy(s.source),
    recordUse: used,
    newDraft: (s, base) =>
      p.newArtifact(s.source.collection, s.type, { description: base.description, metadata: base.metadata }, { manifest: base.manifest, id: s.id, entity: s.source.entity, project: s.source.project }),
  };
  return backend;
}
