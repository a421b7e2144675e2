/**
 * The registry side of an Artifact: how a draft is tied to the registry that made it, how a logged
 * artifact is built, and the calls only a registry makes during a log. Kept behind a symbol that
 * src/index.ts does not export, so none of it is part of the library's surface.
 */
import type { Artifact } from './artifact';
import type { ArtifactBackend, LoggedState } from './artifact-backend';
import type { Manifest } from './manifest';
import type { Staging } from './staging';

/** Registry-only: where a draft comes from and where it goes. */
export const INTERNAL = Symbol('artifacts.internal');

/** The registry a draft was made by: `save()` on the draft logs it there. */
export interface DraftHome {
  log(draft: Artifact): Promise<unknown>;
}

export interface InternalOptions {
  [INTERNAL]?: {
    /** A shared content-addressed folder to stage copies into (a local registry's objects/). */
    blobDir?: string;
    /** Keeps gc away from copies staged into blobDir until the draft is logged (see Staging). */
    stagingGuard?: () => Promise<{ release(): Promise<void> }>;
    /** The registry's persistent hash cache folder. */
    hashCacheDir?: string;
    home?: DraftHome;
    /** newDraft(): the version the draft starts from. */
    base?: { manifest: Manifest; id: string; entity: string; project: string };
    /** A logged version (the registry's constructor path for logged artifacts). */
    logged?: { state: LoggedState; backend: ArtifactBackend; manifest?: Manifest };
  };
}

/** What the registry reads and calls on an artifact. */
export interface ArtifactInternals {
  readonly logged: LoggedState | undefined;
  readonly staging: Staging | undefined;
  readonly home: DraftHome | undefined;
  /** newDraft(): the base version's id and the project it is logged into. */
  readonly base: { id: string; entity: string; project: string } | undefined;
  /** Checks aliases, tags and metadata again (they may have been edited in place) and finalizes. */
  prepareLog(): void;
  markLogged(state: LoggedState, backend: ArtifactBackend): void;
  /** A log that failed before its commit leaves the draft editable and loggable again. */
  reopenAfterFailedLog(): void;
}

