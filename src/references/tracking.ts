/**
 * Any other scheme (W&B's TrackingHandler): the URI is recorded as it is, its digest is the URI
 * itself, and nothing can be checked or downloaded.
 */
import { ValidationError } from '../core/errors';
import { validateLogicalPath } from '../core/validate';
import { warn } from '../core/warnings';
import { uriScheme, type ReferenceHandler } from './handler';

export const trackedReferences: ReferenceHandler = {
  name: 'tracked',

  canHandle: (uri) => uriScheme(uri) !== undefined,

  async entries(uri, { name }) {
    if (!name) {
      throw new ValidationError(`A reference with the unsupported scheme '${uriScheme(uri)}://' needs a name (--reference URI=NAME)`);
    }
    warn(`Artifact references with unsupported schemes cannot be checksummed: ${uri}`);
    return [{ path: validateLogicalPath(name), digest: uri, ref: uri }];
  },

  async fetch(e) {
    return { status: 'missing', why: `uses the scheme '${uriScheme(e.ref!)}', which cannot be downloaded` };
  },
};
