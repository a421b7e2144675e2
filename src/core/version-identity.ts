/**
 * Who a version is: its names and coordinates as W&B's Artifact exposes them (entity, project,
 * version, source…, collection objects, url). The Artifact class extends it; what is read here
 * comes from the LoggedState a registry gave, so none of it touches storage.
 */
import * as l10n from '@vscode/l10n';
import { ArtifactCollection } from './artifact-collection';
import { refText, type ArtifactBackend, type ArtifactState, type LoggedState } from './artifact-backend';
import { ArtifactNotLoggedError } from './errors';
import { versionUrl } from './version-url';
import { warn } from './warnings';

export abstract class VersionIdentity {
  protected _name = '';
  protected logged: LoggedState | undefined;
  protected backend: ArtifactBackend | undefined;
  abstract readonly type: string;

  /** Draft: the collection name. Logged: `collection:vN` of the collection it was fetched from. */
  get name(): string { return this._name; }

  get state(): ArtifactState { return this.logged?.state ?? 'PENDING'; }

  isDraft(): boolean { return this.state === 'PENDING'; }

  protected loggedState(what: string): LoggedState {
    if (!this.logged) throw new ArtifactNotLoggedError(what, this._name);
    return this.logged;
  }

  get id(): string { return this.loggedState('id').id; }
  get entity(): string { return this.loggedState('entity').entity; }
  get project(): string { return this.loggedState('project').project; }
  /** The collection this artifact was fetched from (a portfolio for links). */
  get collectionName(): string { return this.logged?.collection ?? this._name; }
  get version(): string { return `v${this.loggedState('version').index}`; }
  get qualifiedName(): string { return refText(this.loggedState('qualifiedName'), true); }
  get isLink(): boolean { return this.loggedState('isLink').isLink; }
  get sourceEntity(): string { return this.loggedState('sourceEntity').source.entity; }
  get sourceProject(): string { return this.loggedState('sourceProject').source.project; }
  get sourceCollectionName(): string { return this.loggedState('sourceCollectionName').source.collection; }
  get sourceName(): string { return this.logged ? refText(this.logged.source, false) : this._name; }
  get sourceVersion(): string { return `v${this.loggedState('sourceVersion').source.index}`; }
  get sourceQualifiedName(): string { return refText(this.loggedState('sourceQualifiedName').source, true); }
  get createdAt(): string { return this.loggedState('createdAt').createdAt; }
  get updatedAt(): string { return this.loggedState('updatedAt').updatedAt; }
  /** The collection it was fetched from (W&B's ArtifactCollection; `await load()` for its description, tags, aliases). */
  get collection(): ArtifactCollection { const s = this.loggedState('collection'); return new ArtifactCollection(s, s.type, s.isLink ? 'portfolio' : 'sequence', this.backend!); }
  /** The source collection (a sequence), also for a link. */
  get sourceCollection(): ArtifactCollection { const s = this.loggedState('sourceCollection').source; return new ArtifactCollection(s, this.type, 'sequence', this.backend!); }
  /** A URI that opens this version in VS Code's Artifacts view (the extension handles `vscode://artifacts-dev.artifacts/open`). */
  get url(): string { return versionUrl(this.qualifiedName, this.backend!.location); }
  /** W&B: the run's history step at log time. A local registry has no run steps: always null. */
  get historyStep(): number | null { this.loggedState('historyStep'); return null; }
  /** W&B: the hash the server returned at commit. Here: the version's id, assigned at its commit point. */
  get commitHash(): string { return this.loggedState('commitHash').id; }
  /** Deprecated in W&B and without effect there; accepted (with a warning) so ported code runs. */
  get useAs(): string | null { return null; }
  set useAs(_value: string | null) { warn(l10n.t('useAs is deprecated in W&B and has no effect; it is ignored')); }

}
