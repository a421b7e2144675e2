/**
 * Small adapters between the library and VS Code's UI: running a command with errors shown as plain
 * messages, progress with cancellation mapped to an AbortSignal, and input boxes that validate with
 * the library's own rules as you type.
 */
import * as vscode from 'vscode';
import { CancelledError, isUserError } from '../core/errors';
import { formatBytes as formatSize } from '../core/units';

let output: vscode.LogOutputChannel | undefined;

export function setOutput(channel: vscode.LogOutputChannel): void {
  output = channel;
}

export function log(message: string): void {
  output?.info(message);
}

/** Shows what went wrong in words a person understands; details of bugs go to the output channel. */
export async function reportError(e: unknown, doing: string): Promise<void> {
  if (e instanceof CancelledError) {
    log(`${doing}: cancelled`);
    return;
  }
  if (isUserError(e)) {
    output?.warn(`${doing}: ${e.message}`);
    void vscode.window.showErrorMessage(e.message);
    return;
  }
  const err = e as Error;
  output?.error(`${doing}: ${err?.stack ?? String(e)}`);
  const choice = await vscode.window.showErrorMessage(`Could not ${doing}: ${err?.message ?? String(e)}`, 'Show Log');
  if (choice === 'Show Log') output?.show();
}

/** Registers a command whose failures become messages instead of unhandled rejections. */
export function command(id: string, doing: string, run: (...args: any[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      await reportError(e, doing);
      return undefined;
    }
  });
}

export interface Counts {
  files: number;
  totalFiles?: number;
  bytes: number;
  totalBytes?: number;
}

export function describeCounts(verb: string, c: Counts): string {
  const files = c.totalFiles !== undefined ? `${c.files}/${c.totalFiles} files` : `${c.files} files`;
  const bytes = c.totalBytes !== undefined ? `${formatSize(c.bytes)} of ${formatSize(c.totalBytes)}` : formatSize(c.bytes);
  return `${verb} ${files}, ${bytes}`;
}

/**
 * Runs long work under a cancellable notification. `work` gets an AbortSignal (cancel → abort) and a
 * `report(text, fraction?)` that is throttled so a fast loop does not flood the UI.
 */
export function withProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: (text: string, fraction?: number) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    let last = 0;
    let done = 0;
    const report = (text: string, fraction?: number) => {
      const now = Date.now();
      if (now - last < 150 && fraction !== 1) return;
      last = now;
      let increment: number | undefined;
      if (fraction !== undefined) {
        const pct = Math.max(0, Math.min(100, fraction * 100));
        increment = pct - done;
        done = pct;
      }
      progress.report({ message: text, increment });
    };
    try {
      return await work(controller.signal, report);
    } finally {
      sub.dispose();
    }
  });
}

/** An input box whose value is checked by `validate` (which throws the library's errors) as you type. */
export async function askValidated<T>(
  options: vscode.InputBoxOptions & { prompt: string },
  validate: (value: string) => T,
): Promise<T | undefined> {
  const value = await vscode.window.showInputBox({
    ...options,
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        validate(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return value === undefined ? undefined : validate(value);
}

/** `a, b ,c` → ['a', 'b', 'c'] (empty parts dropped). */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
