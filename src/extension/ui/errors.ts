/** Failures as a person reads them: one message for what they can fix, the log for the rest. */
import * as vscode from 'vscode';
import { CancelledError, isUserError } from '../../core/errors';
import { output } from './output';

/**
 * The whole message of a failed action, with the reason in it:
 * `(reason) => vscode.l10n.t('Could not verify: {0}', reason)`. One sentence per action, so that
 * each language words it its own way.
 */
export type Failure = (reason: string) => string;

/** Shows what went wrong in words a person understands; details of bugs go to the output channel. */
export async function reportError(e: unknown, failed: Failure): Promise<void> {
  if (e instanceof CancelledError) {
    output.info(failed(vscode.l10n.t('cancelled')));
    return;
  }
  if (isUserError(e)) {
    output.warn(failed(e.message));
    void vscode.window.showErrorMessage(e.message);
    return;
  }
  const err = e as Error;
  output.error(failed(err?.stack ?? String(e)));
  const showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(failed(err?.message ?? String(e)), showLog);
  if (choice === showLog) output.show();
}
