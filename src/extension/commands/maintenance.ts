/** Registry-wide maintenance: the integrity check (fsck) with progress, its report, and repair. */
import * as vscode from 'vscode';
import { formatNumber } from '../../core/l10n';
import type { FsckProgress, FsckReport } from '../../registry/registry';
import { integrityMarkdown } from '../model/integrity-report';
import { COMMANDS } from './ids';
import { registerCommand } from './register';
import type { Services } from './services';

/** `manifests 12/40`: one message per phase, with or without the total. */
function describeFsckProgress(p: FsckProgress): string {
  const done = formatNumber(p.done);
  if (p.total === undefined) {
    switch (p.phase) {
      case 'collections':
        return vscode.l10n.t('collections {0}', done);
      case 'manifests':
        return vscode.l10n.t('manifests {0}', done);
      case 'blobs':
        return vscode.l10n.t('blobs {0}', done);
    }
  }
  const total = formatNumber(p.total);
  switch (p.phase) {
    case 'collections':
      return vscode.l10n.t('collections {0}/{1}', done, total);
    case 'manifests':
      return vscode.l10n.t('manifests {0}/{1}', done, total);
    case 'blobs':
      return vscode.l10n.t('blobs {0}/{1}', done, total);
  }
}

function check(s: Services, repair: boolean): Thenable<FsckReport> {
  const title = repair ? vscode.l10n.t('Repairing the registry') : vscode.l10n.t('Checking the registry');
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    let last = 0;
    try {
      return await s.registry.current.fsck({
        repair,
        signal: controller.signal,
        onProgress: (p: FsckProgress) => {
          if (Date.now() - last < 150) return;
          last = Date.now();
          progress.report({ message: describeFsckProgress(p) });
        },
      });
    } finally {
      sub.dispose();
    }
  });
}

export function maintenanceCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.checkIntegrity, (m) => vscode.l10n.t('Could not check the registry: {0}', m), async () => {
      const location = s.registry.current.location;
      const report = await check(s, false);
      if (report.problems.length === 0) {
        void vscode.window.showInformationMessage(
          report.blobs === 1
            ? vscode.l10n.t('{0}: no problem found (1 stored file hashed again).', location)
            : vscode.l10n.t('{0}: no problem found ({1} stored files hashed again).', location, formatNumber(report.blobs)),
        );
        return;
      }
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: integrityMarkdown(location, report, false) }), { preview: true });
      const repairButton = vscode.l10n.t('Repair');
      const problems = report.problems.length;
      const choice = await vscode.window.showWarningMessage(
        problems === 1 ? vscode.l10n.t('{0}: 1 problem found.', location) : vscode.l10n.t('{0}: {1} problems found.', location, formatNumber(problems)),
        { modal: true, detail: vscode.l10n.t('Repair removes aliases that lead nowhere and moves damaged objects to quarantine/. It never deletes a file a version needs.') },
        repairButton,
      );
      if (choice !== repairButton) return;
      const after = await check(s, true);
      s.tree.refresh();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: integrityMarkdown(location, after, true) }), { preview: true });
    }),
  ];
}
