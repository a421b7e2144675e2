/** Long work under a cancellable notification, with progress in the words the CLI uses too. */
import * as vscode from 'vscode';
import { describeProgress, progressFraction, type WorkPhase, type WorkProgress } from '../../app/progress-text';

export type ReportProgress = (p: WorkProgress) => void;

/**
 * Runs `work` under a cancellable notification. It gets an AbortSignal (cancel → abort) and a
 * `report` for WorkProgress, throttled so that a fast loop does not flood the UI.
 */
export function withProgress<T>(title: string, work: (signal: AbortSignal, report: ReportProgress) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    let last = 0;
    let done = 0;
    const report = (p: WorkProgress) => {
      const fraction = progressFraction(p);
      const now = Date.now();
      if (now - last < 150 && fraction !== 1) return;
      last = now;
      let increment: number | undefined;
      if (fraction !== undefined) {
        const pct = Math.max(0, Math.min(100, fraction * 100));
        increment = pct - done;
        done = pct;
      }
      progress.report({ message: describeProgress(p), increment });
    };
    try {
      return await work(controller.signal, report);
    } finally {
      sub.dispose();
    }
  });
}

/** A transfer's progress (download, checkout) as WorkProgress of `phase`. */
export function inPhase(phase: WorkPhase, report: ReportProgress) {
  return (p: { files: number; bytes: number; totalFiles?: number; totalBytes?: number }): void => report({ phase, ...p });
}
