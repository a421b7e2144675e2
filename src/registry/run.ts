/**
 * A named run as the library hands it to `registry.run(name, async (run) => …)`. Everything the
 * callback does with any Registry — downloads, checkouts and new drafts (inputs), logs (outputs) —
 * belongs to this run, across awaits (lineage.ts); `use` and `log` are here for W&B's
 * `run.use_artifact` and `run.log_artifact`.
 */
import type { Artifact } from '../core/artifact';
import type { RunInfo } from '../core/artifact-backend';
import type { LogOptions } from './commit';
import { withinRun } from './lineage';

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
