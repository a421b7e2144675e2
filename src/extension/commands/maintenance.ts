/** Registry-wide maintenance: the integrity check (fsck) with progress, its report, and repair. */
import * as vscode from 'vscode';
import type { FsckProgress, FsckReport } from '../../registry/registry';
import { integrityMarkdown } from '../model/integrity-report';
import { COMMANDS } from './ids';
import { registerCommand } from './register';
import type { Services } from './services';

function check(s: Services, repair: boolean): Thenable<FsckReport> {
  const title = repair ? 'Repairing the registry' : 'Checking the registry';
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
          progress.report({ message: `${p.phase} ${p.done}${p.total !== undefined ? `/${p.total}` : ''}` });
        },
      });
    } finally {
      sub.dispose();
    }
  });
}

export function maintenanceCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.checkIntegrity, 'check the registry', async () => {
      const location = s.registry.current.location;
      const report = await check(s, false);
      if (report.problems.length === 0) {
        void vscode.window.showInformationMessage(`${location}: no problem found (${report.blobs} stored files hashed again).`);
        return;
      }
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: integrityMarkdown(location, report, false) }), { preview: true });
      const choice = await vscode.window.showWarningMessage(
        `${location}: ${report.problems.length} problem(s) found.`,
        { modal: true, detail: 'Repair removes aliases that lead nowhere and moves damaged objects to quarantine/. It never deletes a file a version needs.' },
        'Repair',
      );
      if (choice !== 'Repair') return;
      const after = await check(s, true);
      s.tree.refresh();
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: integrityMarkdown(location, after, true) }), { preview: true });
    }),
  ];
}
