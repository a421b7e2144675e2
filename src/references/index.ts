/**
 * The reference handlers, tried in W&B's order (the specific schemes first, then the tracking
 * fallback), and the two things the rest of the code asks of them.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import type { ManifestEntry } from '../core/manifest';
import { azureReferences } from './azure';
import { fileReferences } from './file';
import { gcsReferences } from './gcs';
import type { FetchContext, FetchOutcome, ReferenceHandler, ReferenceOptions } from './handler';
import { uriScheme } from './handler';
import { httpReferences } from './http';
import { s3References } from './s3';
import { trackedReferences } from './tracking';

export type { FetchContext, FetchOutcome, ReferenceHandler, ReferenceOptions } from './handler';
export { uriScheme } from './handler';
export { DEFAULT_MAX_OBJECTS, fileUriToPath, pythonFileUri } from './file';
export { unquoteEtag } from './http';

/** W&B's order: the cloud stores first (Azure before plain https), then http(s), file, and the fallback. */
const HANDLERS: readonly ReferenceHandler[] = [s3References, gcsReferences, azureReferences, httpReferences, fileReferences, trackedReferences];

export function handlerFor(uri: string): ReferenceHandler {
  if (!uriScheme(uri)) throw new ValidationError(l10n.t("References must be URIs. To reference a local file, use file:// (got '{0}')", uri));
  return HANDLERS.find((h) => h.canHandle(uri))!;
}

/** The manifest entries of a reference. */
export function referenceEntries(uri: string, opts: ReferenceOptions = {}): Promise<ManifestEntry[]> {
  return handlerFor(uri).entries(uri, opts);
}

/** Writes a reference entry's bytes to `dest`. */
export function fetchReference(entry: ManifestEntry, dest: string, ctx: FetchContext): Promise<FetchOutcome> {
  return handlerFor(entry.ref!).fetch(entry, dest, ctx);
}
