/**
 * The seal of a stored blob, kept in its own timestamps so that checking it costs nothing but the
 * stat a copy needs anyway. When this tool writes a blob or verifies its bytes, it sets the blob's
 * mtime to SEAL_OFFSET_MS before the moment it does so; the kernel sets ctime to that moment. Any
 * later change to the file moves ctime, which no program can set: a write makes mtime and ctime
 * equal, a touch or chmod or rename pushes ctime past the window. So a blob whose ctime - mtime is
 * still the offset holds the bytes that were verified, and is copied without being hashed again;
 * any other blob is hashed while it is copied. The seal's atime doubles as the blob's last use.
 */
export const SEAL_OFFSET_MS = 3000;
/** Kernel timestamps are coarse (a few ms) and the syscall follows Date.now() closely. */
const SLACK_BEFORE_MS = 50;
const SLACK_AFTER_MS = 1000;

/** The atime and mtime (in seconds, for utimes) that seal a blob now. */
export function sealTimes(now = Date.now()): { atime: number; mtime: number } {
  return { atime: now / 1000, mtime: (now - SEAL_OFFSET_MS) / 1000 };
}

export function isSealed(st: { ctimeMs: number; mtimeMs: number }): boolean {
  const gap = st.ctimeMs - st.mtimeMs;
  return gap >= SEAL_OFFSET_MS - SLACK_BEFORE_MS && gap <= SEAL_OFFSET_MS + SLACK_AFTER_MS;
}
