/** The Artifacts output channel: where details go that a message to the user leaves out. */
import type * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** Set once by activate(); until then (and in tests) messages are dropped. */
export function useOutputChannel(next: vscode.LogOutputChannel | undefined): void {
  channel = next;
}

export const output = {
  info: (message: string): void => channel?.info(message),
  warn: (message: string): void => channel?.warn(message),
  error: (message: string): void => channel?.error(message),
  show: (): void => channel?.show(),
};
