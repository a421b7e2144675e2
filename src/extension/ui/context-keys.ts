/** The one place that sets context keys for `when` clauses; the keys are listed in CONTEXT_KEYS. */
import * as vscode from 'vscode';
import type { ContextKey } from '../commands/ids';

export function setContextKey(key: ContextKey, value: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
