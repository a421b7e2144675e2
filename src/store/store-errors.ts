/**
 * Failures of a remote registry store, each a one-line message naming the store's location (which
 * never holds a credential). The server's own error text is never copied in: an S3
 * SignatureDoesNotMatch or an Azure AuthenticationFailed answer can echo the signature, and a
 * request URL can carry a SAS token. Only the status and the error code are kept.
 */
import { ArtifactsError } from '../core/errors';

/** What the server or the network said, reduced to what is safe to show. */
export interface StoreFailure {
  /** HTTP status, when there was an answer. */
  status?: number;
  /** The server's error code (`NoSuchBucket`, `AuthenticationFailed`) or a network code (`ECONNREFUSED`). */
  code?: string;
}

function detail({ status, code }: StoreFailure): string {
  const parts = [code, status ? `HTTP ${status}` : undefined].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * The store refused us in a way a person can fix: wrong or missing credentials, permission denied,
 * the bucket or container does not exist, a malformed request setting such as a wrong region.
 */
export class StoreAccessError extends ArtifactsError {
  readonly status?: number;
  readonly code?: string;
  constructor(location: string, reason: string, failure: StoreFailure = {}) {
    super(`Cannot access the registry at ${location}: ${reason}${detail(failure)}`);
    this.status = failure.status;
    this.code = failure.code;
  }
}

/** The store did not answer usefully after the retries: down, unreachable, timing out, failing with 5xx. */
export class StoreUnavailableError extends ArtifactsError {
  override readonly userError: boolean = false;
  readonly status?: number;
  readonly code?: string;
  constructor(location: string, reason: string, failure: StoreFailure = {}) {
    super(`The registry at ${location} is unavailable: ${reason}${detail(failure)}`);
    this.status = failure.status;
    this.code = failure.code;
  }
}

/** Any other refusal of a request (a bug on our side or an unsupported server feature). */
export class StoreRequestError extends ArtifactsError {
  override readonly userError: boolean = false;
  readonly status?: number;
  readonly code?: string;
  constructor(location: string, what: string, failure: StoreFailure = {}) {
    super(`The registry at ${location} refused ${what}${detail(failure)}`);
    this.status = failure.status;
    this.code = failure.code;
  }
}

export function isStoreError(e: unknown): e is StoreAccessError | StoreUnavailableError | StoreRequestError {
  return e instanceof StoreAccessError || e instanceof StoreUnavailableError || e instanceof StoreRequestError;
}
