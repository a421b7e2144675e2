/**
 * Failures of a remote registry store, each a one-line message naming the store's location (which
 * never holds a credential). The server's own error text is never copied in: an S3
 * SignatureDoesNotMatch or an Azure AuthenticationFailed answer can echo the signature, and a
 * request URL can carry a SAS token. Only the status and the error code are kept.
 */
import * as l10n from '@vscode/l10n';
import { ArtifactsError } from '../core/errors';

/** What the server or the network said, reduced to what is safe to show. */
export interface StoreFailure {
  /** HTTP status, when there was an answer. */
  status?: number;
  /** The server's error code (`NoSuchBucket`, `AuthenticationFailed`) or a network code (`ECONNREFUSED`). */
  code?: string;
}

/** The error code and HTTP status as they are (`NoSuchBucket, HTTP 404`), or undefined when there are none. */
function detail({ status, code }: StoreFailure): string | undefined {
  const parts = [code, status ? `HTTP ${status}` : undefined].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * The store refused us in a way a person can fix: wrong or missing credentials, permission denied,
 * the bucket or container does not exist, a malformed request setting such as a wrong region.
 */
export class StoreAccessError extends ArtifactsError {
  readonly status?: number;
  readonly code?: string;
  /** Why, without the location (for a view that names the location itself). */
  readonly reason: string;
  /** The error code and status (`NoSuchBucket, HTTP 404`), as they are. */
  readonly detail?: string;
  /** `reason`: a translated clause (`the bucket does not exist`). */
  constructor(location: string, reason: string, failure: StoreFailure = {}) {
    const d = detail(failure);
    super(d ? l10n.t('Cannot access the registry at {0}: {1} ({2})', location, reason, d) : l10n.t('Cannot access the registry at {0}: {1}', location, reason));
    this.reason = reason;
    this.detail = d;
    this.status = failure.status;
    this.code = failure.code;
  }
}

/** The store did not answer usefully after the retries: down, unreachable, timing out, failing with 5xx. */
export class StoreUnavailableError extends ArtifactsError {
  override readonly userError: boolean = false;
  readonly status?: number;
  readonly code?: string;
  /** Why, without the location (for a view that names the location itself). */
  readonly reason: string;
  /** The error code and status (`ECONNREFUSED`, `HTTP 503`), as they are. */
  readonly detail?: string;
  /** `reason`: a translated clause (`GET x got no answer after 6 tries`). */
  constructor(location: string, reason: string, failure: StoreFailure = {}) {
    const d = detail(failure);
    super(d ? l10n.t('The registry at {0} is unavailable: {1} ({2})', location, reason, d) : l10n.t('The registry at {0} is unavailable: {1}', location, reason));
    this.reason = reason;
    this.detail = d;
    this.status = failure.status;
    this.code = failure.code;
  }
}

/** Any other refusal of a request (a bug on our side or an unsupported server feature). */
export class StoreRequestError extends ArtifactsError {
  override readonly userError: boolean = false;
  readonly status?: number;
  readonly code?: string;
  /** `what`: the request (`GET key`) or a translated description of it. */
  constructor(location: string, what: string, failure: StoreFailure = {}) {
    const d = detail(failure);
    super(d ? l10n.t('The registry at {0} refused {1} ({2})', location, what, d) : l10n.t('The registry at {0} refused {1}', location, what));
    this.status = failure.status;
    this.code = failure.code;
  }
}

export function isStoreError(e: unknown): e is StoreAccessError | StoreUnavailableError | StoreRequestError {
  return e instanceof StoreAccessError || e instanceof StoreUnavailableError || e instanceof StoreRequestError;
}
