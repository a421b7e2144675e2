/**
 * A named run as the library hands it to `registry.run(name, async (run) => …)`. Everything the
 * callback does with any Registry — downloads, checkouts and new drafts (inputs), logs (outputs) —
 * belongs to this run, across awaits (lineage.ts); `use` and `log` are here for W&B's
 * `run.use_artifact` and `run.log_artifact`.
 */
import * as l10n from '@vscode/l10n';
import type { Artifact } from '../core/artifact';
import type { RunEnd, RunInfo } from '../core/artifact-backend';
import { warn } from '../core/warnings';
import type { LogOptions } from './commit';
import { describeNewRun, withinRun, type RunLog } from './lineage';

export interface RunOptions {
  /** W&B's job type (`train`, `eval`…). */
  type?: string;
  /** What the run records as its command line (default: this process's). */
  command?: string;
  /** The folder whose git commit is recorded (default: the current directory). */
  cwd?: string;
}

/** What a Run needs of its registry. */
export interface RunHost {
  get(ref: string): Promise<Artifact>;
  recordUse(artifact: Artifact): Promise<void>;
  log(draft: Artifact, opts?: LogOptions): Promise<{ artifact: Artifact; deduplicated: boolean }>;
}

export class Run {
  constructor(
    readonly info: RunInfo,
    private readonly host: RunHost,
  ) {}

  get id(): string {
    return this.info.id;
  }

  get name(): string {
    return this.info.name ?? this.info.id;
  }

  /** A version this run uses (an input), recorded now, as W&B's `use_artifact` does, without downloading it. */
  use(ref: string): Promise<Artifact> {
    return withinRun(this.info, async () => {
      const a = await this.host.get(ref);
      await this.host.recordUse(a);
      return a;
    });
  }

  /** Logs a draft as an output of this run (what `registry.log` does inside the run's callback). */
  log(draft: Artifact, opts?: LogOptions): Promise<{ artifact: Artifact; deduplicated: boolean }> {
    return withinRun(this.info, () => this.host.log(draft, opts));
  }
}

export interface StartedRun {
  info: RunInfo;
  run: Run;
  /** Records the run's end (best effort: a warning when the store refuses it). */
  end(end: RunEnd): Promise<void>;
}

/** Writes the record of a new named run in `runs` (a store that refuses it fails here) and returns it. */
export async function startRun(runs: RunLog, location: string, host: RunHost, name: string, opts: RunOptions = {}): Promise<StartedRun> {
  const info = describeNewRun(name, opts);
  await runs.start(info);
  return {
    info,
    run: new Run(info, host),
    end: async (end) => {
      await runs.end(info.id, end).catch((e) => warn(l10n.t('Could not record the end of run {0} in {1}: {2}', info.id, location, (e as NodeJS.ErrnoException).code ?? (e as Error).message)));
    },
  };
}

/** Runs `fn` inside the started run, then records its end: exit code 0, or 1 and the error when `fn` throws. */
export async function completeRun<T>(started: StartedRun, fn: (run: Run) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await withinRun(started.info, () => fn(started.run));
  } catch (e) {
    await started.end({ endedAt: new Date().toISOString(), exitCode: 1, error: (e as Error)?.message ?? String(e) });
    throw e;
  }
  await started.end({ endedAt: new Date().toISOString(), exitCode: 0 });
  return result;
}
