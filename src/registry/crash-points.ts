/**
 * Named points in the commit protocol where a test can kill the process (ARTIFACTS_CRASH_AT=name),
 * to prove that a crash anywhere leaves either the whole new version or none visible.
 */
export type CrashPoint = 'after-manifest' | 'after-blobs' | 'before-commit' | 'after-commit';

export function crashPoint(name: CrashPoint): void {
  if (process.env.ARTIFACTS_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
