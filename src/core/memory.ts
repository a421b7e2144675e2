/**
 * Collecting garbage between the phases of a large job (hashing, the cache, the manifest).
 *
 * V8 lets the heap grow to about twice what is live before it collects, and a log of 100,000 files
 * makes its garbage in bursts: the peak resident size was ~390 MB where ~100 MB was live. A full
 * collection where one phase's garbage is done with and the next burst begins keeps the peak near
 * the live size (~300 MB for 100,000 files, see the README's benchmarks) for ~50-100 ms per call.
 *
 * Only a process that owns its heap asks for it (the CLI: `enablePhaseCollection()`); in a library
 * user's process or VS Code's extension host this does nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this many files a job's heap is small and a collection would only cost time. */
const LARGE_JOB_FILES = 20_000;

let collect: (() => void) | undefined;

/** For a process that owns its heap (the CLI): large jobs collect garbage between their phases. */
export function enablePhaseCollection(): void {
  if (collect) return;
  // Node's documented way to reach gc() without starting node with --expose-gc.
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
}

/** Between two phases of a job over `files` files: a full collection when the job is large and it was enabled. */
export function betweenPhases(files: number): void {
  if (collect && files >= LARGE_JOB_FILES) collect();
}
