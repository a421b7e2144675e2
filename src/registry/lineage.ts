/**
 * Runs: each process (a CLI invocation, a script using the library, a VS Code window) that logs or
 * uses a version is recorded once, the first time it does so.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { RunInfo, VersionRef } from '../core/artifact-backend';
import { defaultEntity } from '../core/config';
import { listAll, type ObjectStore } from '../store/object-store';
import type { ImmutableCache } from './document-cache';
import { runKey, usesPrefix } from './layout';

let commandOverride: string | undefined;

/** The CLI and the extension describe themselves better than process.argv does. */
export function setRunCommand(command: string): void {
  commandOverride = command;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function gitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 });
    const sha = out.toString().trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

const startedAt = new Date().toISOString();

export function describeThisProcess(): RunInfo {
  const cwd = process.cwd();
  const argv = process.argv.slice(1).map((a, i) => (i === 0 ? path.basename(a) : a));
  return {
    id: randomBytes(8).toString('hex'),
    command: commandOverride ?? ['node', ...argv].map(quote).join(' '),
    user: defaultEntity(),
    host: hostname(),
    cwd,
    gitCommit: gitCommit(cwd),
    startedAt,
  };
}

export function formatCommand(args: readonly string[]): string {
  return args.map(quote).join(' ');
}

/** One record per process and store: the run is written the first time it logs or uses a version. */
let thisRun: RunInfo | undefined;
function currentRun(): RunInfo {
  thisRun ??= describeThisProcess();
  return thisRun;
}

/** The runs of one store: `runs/<id>.json`, and `uses/<source version>/<run id>.json` per use. */
export class RunLog {
  private recorded: Promise<string> | undefined;
  private readonly usesRecorded = new Set<string>();

  constructor(
    private readonly store: ObjectStore,
    /** For a remote store: run records (written once) kept on this machine once read. */
    private readonly cache?: ImmutableCache,
  ) {}

  /** Writes this process's run record once and returns its id. */
  record(): Promise<string> {
    this.recorded ??= (async () => {
      const run = currentRun();
      await this.store.putIfAbsent(runKey(run.id), JSON.stringify(run));
      return run.id;
    })();
    return this.recorded;
  }

  async read(id: string): Promise<RunInfo | null> {
    const body = this.cache ? await this.cache.read(runKey(id)) : (await this.store.get(runKey(id)))?.body;
    return body ? (JSON.parse(body.toString('utf8')) as RunInfo) : null;
  }

  /** Records, once per process, that this run used a source version. */
  async recordUse(src: VersionRef): Promise<void> {
    const runId = await this.record();
    const key = `${usesPrefix(src, src.index)}${runId}.json`;
    if (this.usesRecorded.has(key)) return;
    await this.store.put(key, JSON.stringify({ run: runId, at: new Date().toISOString() }));
    this.usesRecorded.add(key);
  }

  /** The runs that used a source version, oldest first. */
  async usedBy(src: VersionRef): Promise<RunInfo[]> {
    const runs: RunInfo[] = [];
    for await (const o of listAll(this.store, usesPrefix(src, src.index))) {
      const run = await this.read(o.key.slice(o.key.lastIndexOf('/') + 1, -'.json'.length));
      if (run) runs.push(run);
    }
    return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}
