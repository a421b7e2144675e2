/** Registering a command by its id in the table, with failures shown as messages, never unhandled. */
import * as vscode from 'vscode';
import { reportError, type Failure } from '../ui/errors';
import type { CommandId } from './ids';

/** `failed` words the error message: `(reason) => vscode.l10n.t('Could not verify: {0}', reason)`. */
export function registerCommand(id: CommandId, failed: Failure, run: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      await reportError(e, failed);
      return undefined;
    }
  });
}
