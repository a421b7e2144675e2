/** Registering a command by its id in the table, with failures shown as messages, never unhandled. */
import * as vscode from 'vscode';
import { reportError } from '../ui/errors';
import type { CommandId } from './ids';

/** `doing` completes "Could not …" in an error message: 'verify', 'add an alias'. */
export function registerCommand(id: CommandId, doing: string, run: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      await reportError(e, doing);
      return undefined;
    }
  });
}
