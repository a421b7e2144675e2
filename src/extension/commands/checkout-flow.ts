/**
 * Checking out with the user's consent, shared by Check Out…, Discard All Changes and Switch
 * Version… of a tracked folder: the plan lists what it deletes, a modal shows it (and, when asked,
 * that changed files are replaced), executing it deletes exactly that; the folder then tracks the
 * version (.artifact.json) and a message says what was done.
 */
import * as vscode from 'vscode';
import type { Artifact, CheckoutResult } from '../../core/artifact';
import { formatNumber } from '../../core/l10n';
import { inPhase, withProgress } from '../ui/progress';

const LIST_IN_MODAL = 15;

export interface CheckoutConsent {
  /** The modal's question (default: Check out {version} into {folder}?). */
  question?: string;
  /** Ask even when nothing is deleted (changed files will be replaced). */
  always?: boolean;
}

/** Checks `a` out into `root` once the user agreed; undefined when they did not. */
export async function checkoutWithConsent(a: Artifact, root: string, consent: CheckoutConsent = {}): Promise<CheckoutResult | undefined> {
  // The plan lists what it deletes; executing it deletes exactly that, nothing that appears later.
  const plan = await a.planCheckout(root);
  const doomed = plan.deletions;
  const question = consent.question ?? vscode.l10n.t('Check out {0} into {1}?', a.qualifiedName, vscode.workspace.asRelativePath(root));
  if (doomed.length > 0) {
    const shown = doomed.slice(0, LIST_IN_MODAL).map((p) => `• ${p}`);
    if (doomed.length > LIST_IN_MODAL) shown.push(vscode.l10n.t('… and {0} more', formatNumber(doomed.length - LIST_IN_MODAL)));
    const one = doomed.length === 1;
    const count = formatNumber(doomed.length);
    const ok = await vscode.window.showWarningMessage(
      question,
      {
        modal: true,
        detail: one
          ? vscode.l10n.t('This file is not in the version and will be deleted:\n{0}', shown.join('\n'))
          : vscode.l10n.t('These {0} files are not in the version and will be deleted:\n{1}', count, shown.join('\n')),
      },
      one ? vscode.l10n.t('Delete 1 File and Check Out') : vscode.l10n.t('Delete {0} Files and Check Out', count),
    );
    if (!ok) return undefined;
  } else if (consent.always) {
    const ok = await vscode.window.showWarningMessage(question, { modal: true, detail: vscode.l10n.t("Files that differ from the version are replaced by the version's.") }, vscode.l10n.t('Check Out'));
    if (!ok) return undefined;
  }
  // l10n-ignore: 'checking out' is a WorkPhase value, not text
  const r = await withProgress(vscode.l10n.t('Checking out {0}', a.name), (signal, report) => plan.execute({ track: true, signal, onProgress: inPhase('checking out', report) }));
  const summary = vscode.l10n.t(
    '{0} is now {1}: {2} written, {3} deleted, {4} unchanged.',
    vscode.workspace.asRelativePath(r.root),
    a.qualifiedName,
    formatNumber(r.written.length),
    formatNumber(r.deleted.length),
    formatNumber(r.unchanged),
  );
  if (r.keptUnplanned.length === 0) {
    void vscode.window.showInformationMessage(summary);
  } else {
    const kept = r.keptUnplanned;
    const names = kept.length > 3 ? vscode.l10n.t('{0}, …', kept.slice(0, 3).join(', ')) : kept.join(', ');
    void vscode.window.showWarningMessage(
      kept.length === 1
        ? vscode.l10n.t('{0} 1 file that appeared after you confirmed was kept: {1}.', summary, names)
        : vscode.l10n.t('{0} {1} files that appeared after you confirmed were kept: {2}.', summary, formatNumber(kept.length), names),
    );
  }
  return r;
}
