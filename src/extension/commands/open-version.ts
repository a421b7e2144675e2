/**
 * `artifact.url` opens here: `vscode://artifacts-dev.artifacts/open?ref=…&registry=…` reveals the
 * version in the Registry view (and says so when the URL names another registry than the one the
 * window shows).
 */
import * as vscode from 'vscode';
import { parseVersionUrl } from '../../core/version-url';
import { reportError } from '../ui/errors';
import type { Services } from './services';

export function openVersionHandler(s: Services): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri: async (uri: vscode.Uri) => {
      try {
        const target = uri.path === '/open' ? parseVersionUrl(uri.query) : undefined;
        if (!target) throw new Error(vscode.l10n.t('Not an Artifacts link: {0}', uri.toString(true)));
        const current = s.registry.current;
        if (target.registry && target.registry !== current.location) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t('{0} is in the registry {1}, but this window shows {2}: change the setting artifacts.registry to open it.', target.ref, target.registry, current.location),
          );
          return;
        }
        const a = await current.get(target.ref, { manifest: false });
        const node = await s.tree.findVersion(a.qualifiedName);
        if (!node) throw new Error(vscode.l10n.t('{0} is not in the Registry view', a.qualifiedName));
        await s.treeView.reveal(node, { select: true, focus: true, expand: false });
      } catch (e) {
        await reportError(e, (m) => vscode.l10n.t('Could not open the link: {0}', m));
      }
    },
  });
}
