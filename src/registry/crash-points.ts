/**
 * Named points in the commit protocol where a test can kill the process (ARTIFACTS_CRASH_AT=name),
 * to prove that a crash anywhere leaves either the whole new version or none visible.
 */
export type CrashPoint = 'after-manifest' | 'after-blobs' | 'before-commit' | 'after-commit';

export function crashPoint(name: CrashPoint): void {
  if (process.env.ARTIFACTS_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}

/**
 * Named points where a test can freeze the process (ARTIFACTS_PAUSE_AT=name sends it SIGSTOP) to
 * show that a writer stalled in the middle of a change cannot undo another process's work.
 */
export type PausePoint = 'before-swap';

const paused = new Set<PausePoint>();

export function pausePoint(name: PausePoint): void {
  if (process.env.ARTIFACTS_PAUSE_AT !== name || paused.has(name)) return;
  paused.add(name); // once: after SIGCONT the process goes on like any slow writer
  process.kill(process.pid, 'SIGSTOP');
}
