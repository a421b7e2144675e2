import * as l10n from '@vscode/l10n';

/**
 * Errors a user can cause carry `userError = true`: the CLI prints their one-line message and exits
 * with 2, the extension shows it as a plain message. Anything else is a bug or an I/O failure.
 */
export class ArtifactsError extends Error {
  readonly userError: boolean = true;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value broke one of W&B's validation rules (names, aliases, tags, metadata, TTL, paths). */
export class ValidationError extends ArtifactsError {}

/** A path, entry, ref or version that does not exist. */
export class NotFoundError extends ArtifactsError {}

/** An operation that conflicts with the state of the registry (type mismatch, aliases on delete…). */
export class ConflictError extends ArtifactsError {}

/** Mutating an artifact after `finalize()` or on a logged version (W&B: "Can't modify finalized artifact"). */
export class ArtifactFinalizedError extends ArtifactsError {
  /** `what`: the method refused (`addFile`), as code. */
  constructor(what: string, artifactName: string) {
    super(l10n.t("Can't modify finalized artifact {0}: {1} is not allowed once an artifact is finalized or logged", artifactName, what));
  }
}

/** Reading data that exists only once an artifact has been logged. */
export class ArtifactNotLoggedError extends ArtifactsError {
  /** `what`: the property or method asked for (`id`), as code; `message` replaces the usual one. */
  constructor(what: string, artifactName: string, message?: string) {
    super(message ?? l10n.t("'{0}' is not available on the draft artifact {1}: log it first", what, artifactName));
  }
}

/** A blob whose bytes no longer match its digest. Never copied anywhere. */
export class CorruptObjectError extends ArtifactsError {
  constructor(
    readonly key: string,
    expected: string,
    actual: string,
    /** Where it was needed: `version path`, when known. */
    readonly where?: string,
  ) {
    super(
      where
        ? l10n.t('Corrupted object {0} ({1}): expected digest {2}, found {3}. Nothing was written for it', key, where, expected, actual)
        : l10n.t('Corrupted object {0}: expected digest {1}, found {2}. Nothing was written for it', key, expected, actual),
    );
  }
}

/** The user cancelled long work (VS Code cancellation, Ctrl+C). */
export class CancelledError extends ArtifactsError {
  constructor() {
    super(l10n.t('Cancelled'));
  }
}

export function isUserError(error: unknown): error is ArtifactsError {
  return error instanceof Error && (error as ArtifactsError).userError === true;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
