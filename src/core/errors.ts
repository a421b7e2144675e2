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
  constructor(what: string, artifactName: string) {
    super(`Can't modify finalized artifact ${artifactName}: ${what} is not allowed once an artifact is finalized or logged`);
  }
}

/** Reading data that exists only once an artifact has been logged. */
export class ArtifactNotLoggedError extends ArtifactsError {
  constructor(what: string, artifactName: string) {
    super(`'${what}' is not available on the draft artifact ${artifactName}: log it first`);
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
    super(`Corrupted object ${key}${where ? ` (${where})` : ''}: expected digest ${expected}, found ${actual}. Nothing was written for it`);
  }
}

/** The user cancelled long work (VS Code cancellation, Ctrl+C). */
export class CancelledError extends ArtifactsError {
  constructor() {
    super('Cancelled');
  }
}

export function isUserError(error: unknown): error is ArtifactsError {
  return error instanceof Error && (error as ArtifactsError).userError === true;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
