/**
 * Any other scheme (W&B's TrackingHandler): the URI is recorded as it is, its digest is the URI
 * itself, and nothing can be checked or downloaded.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { validateLogicalPath } from '../core/validate';
import { warn } from '../core/warnings';
import { uriScheme, type ReferenceHandler } from './handler';

export const trackedReferences: ReferenceHandler = {
  name: 'tracked',

  canHandle: (uri) => uriScheme(uri) !== undefined,

  async entries(uri, { name }) {
    if (!name) {
      throw new ValidationError(l10n.t("A reference with the unsupported scheme '{0}://' needs a name (--reference URI=NAME)", uriScheme(uri) ?? ''));
    }
    warn(l10n.t('Artifact references with unsupported schemes cannot be checksummed: {0}', uri));
    return [{ path: validateLogicalPath(name), digest: uri, ref: uri }];
  },

  async fetch(e) {
    return { status: 'missing', why: l10n.t("uses the scheme '{0}', which cannot be downloaded", uriScheme(e.ref!) ?? '') };
  },
};
