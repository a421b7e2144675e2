/** Failures as a person reads them: one message for what they can fix, the log for the rest. */
import * as vscode from 'vscode';
import { CancelledError, isUserError } from '../../core/errors';
import { output } from './output';

/** Shows what went wrong in words a person understands; details of bugs go to the output channel. */
export async function reportError(e: unknown, doing: string): Promise<void> {
  if (e instanceof CancelledError) {
    output.info(`${doing}: cancelled`);
    return;
  }
  if (isUserError(e)) {
    output.warn(`${doing}: ${e.message}`);
    void vscode.window.showErrorMessage(e.message);
    return;
  }
  const err = e as Error;
  output.error(`${doing}: ${err?.stack ?? String(e)}`);
  const choice = await vscode.window.showErrorMessage(`Could not ${doing}: ${err?.message ?? String(e)}`, 'Show Log');
  if (choice === 'Show Log') output.show();
}
