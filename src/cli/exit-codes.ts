/** The CLI's exit codes (scripts depend on them). */
export const EXIT_OK = 0;
/** A check found a difference (verify, diff). */
export const EXIT_DIFFERENCE = 1;
/** Bad usage or invalid input: one line naming the rule broken, no stack trace. */
export const EXIT_USAGE = 2;
/** An unexpected failure (details with ARTIFACTS_DEBUG=1). */
export const EXIT_FAILURE = 3;
/** Interrupted (Ctrl+C, SIGTERM): the work was stopped cleanly. */
export const EXIT_CANCELLED = 130;
