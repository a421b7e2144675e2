/**
 * Runs and their records. A run is the unit of work lineage is about: the versions it used (inputs)
 * and the versions it logged (outputs). Which run a use or a log belongs to, innermost first:
 *
 *   1. `registry.run(name, fn)`: everything `fn` does, across awaits, belongs to that run
 *      (AsyncLocalStorage, so two runs working at once in one process never mix);
 *   2. `ARTIFACTS_RUN=<id>` in the environment (set by `artifacts run` for its command and every
 *      process under it): that run;
 *   3. otherwise the process is a run of its own, recorded the first time it logs or uses a version.
 *
 * Storage follows the registry's rule that every new state is a new immutable object created
 * exclusively (no renames, no locks, nothing read-modify-written):
 *
 *   runs/<id>.json                          the run (putIfAbsent: the first writer's description stays)
 *   runs/<id>.end.json                      its end: end time, exit code (putIfAbsent, once)
 *   runs/<id>/inputs/<E>/<P>/<C>/v<N>.json  a version it used (putIfAbsent)
 *   runs/<id>/outputs/<E>/<P>/<C>/v<N>.json a version it logged (putIfAbsent)
 *   uses/<E>/<P>/<C>/v<N>/<id>.json         the same use, by version (who used vN)
 *
 * The version's own `loggedBy` (in its collection document, written by the commit) is the record of
 * which run made it; the outputs index is written just after the commit, so a run killed between the
 * two lacks that one edge downstream (its version still names the run upstream). Lineage is best
 * effort throughout: a registry that refuses the writes still logs and downloads, with a warning.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { RunEnd, RunInfo, RunRecord, VersionRef } from '../core/artifact-backend';
import { defaultEntity } from '../core/config';
import { ValidationError } from '../core/errors';
import { listAll, type ObjectStore } from '../store/object-store';
import type { ImmutableCache } from './document-cache';
import { runEdgeKey, runEdgesPrefix, runEndKey, runKey, usesPrefix, versionOfRunEdgeKey, type RunEdge } from './layout';
import type { CollectionPath } from './refs';

/** The environment variable that names the run a process works in (`artifacts run` sets it). */
export const RUN_ENV = 'ARTIFACTS_RUN';

let commandOverride: string | undefined;

/** The CLI and the extension describe themselves better than process.argv does. */
export function setRunCommand(command: string): void {
  commandOverride = command;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function gitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 });
    const sha = out.toString().trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

const startedAt = new Date().toISOString();

export function newRunId(): string {
  return randomBytes(8).toString('hex');
}

/** Run ids are store key segments: letters, digits, `_` and `-` (no `.`: `<id>.end.json` is the end). */
export function validateRunId(id: string, what = RUN_ENV): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new ValidationError(l10n.t("{0} must be a run id of 1 to 64 letters, digits, '_' or '-' (got '{1}')", what, id));
  }
  return id;
}

export function describeThisProcess(): RunInfo {
  const cwd = process.cwd();
  const argv = process.argv.slice(1).map((a, i) => (i === 0 ? path.basename(a) : a));
  return {
    id: newRunId(),
    command: commandOverride ?? ['node', ...argv].map(quote).join(' '),
    user: defaultEntity(),
    host: hostname(),
    cwd,
    gitCommit: gitCommit(cwd),
    startedAt,
  };
}

/** A new named run started now by this process (`registry.run`, `artifacts run`). */
export function describeNewRun(name: string, opts: { type?: string | null; command?: string; cwd?: string } = {}): RunInfo {
  const cwd = opts.cwd ?? process.cwd();
  const argv = process.argv.slice(1).map((a, i) => (i === 0 ? path.basename(a) : a));
  return {
    id: newRunId(),
    name,
    type: opts.type ?? null,
    command: opts.command ?? commandOverride ?? ['node', ...argv].map(quote).join(' '),
    user: defaultEntity(),
    host: hostname(),
    cwd,
    gitCommit: gitCommit(cwd),
    startedAt: new Date().toISOString(),
  };
}

export function formatCommand(args: readonly string[]): string {
  return args.map(quote).join(' ');
}

/** The process's own run, made on first use. */
let thisRun: RunInfo | undefined;
/** The run ARTIFACTS_RUN names, described by this process in case nobody recorded it yet. */
let envRun: RunInfo | undefined;
const activeRun = new AsyncLocalStorage<RunInfo>();

/** The run a use or a log made now belongs to (see the top of this file). */
export function currentRun(): RunInfo {
  const active = activeRun.getStore();
  if (active) return active;
  const fromEnv = process.env[RUN_ENV];
  if (fromEnv) {
    if (envRun?.id !== fromEnv) envRun = { ...describeThisProcess(), id: validateRunId(fromEnv) };
    return envRun;
  }
  thisRun ??= describeThisProcess();
  return thisRun;
}

/** Runs `fn` inside `run`: its uses and logs, across awaits, belong to that run. */
export function withinRun<T>(run: RunInfo, fn: () => T): T {
  return activeRun.run(run, fn);
}

export interface RunEdgeRecord {
  at: string;
  /** Outputs: the content equalled the collection's latest, so no new version was made (this one was logged again). */
  deduplicated?: boolean;
}

type VersionKey = CollectionPath & { index: number };

/** The runs of one store (see the layout above). */
export class RunLog {
  /** Run records this object has written (or found) in the store, by run id. */
  private readonly recorded = new Map<string, Promise<void>>();
  /** Index and use keys written by this object: each is written once. */
  private readonly edgesWritten = new Set<string>();

  constructor(
    private readonly store: ObjectStore,
    /** For a remote store: run records (written once) kept on this machine once read. */
    private readonly cache?: ImmutableCache,
  ) {}

  /** Makes sure the record of `run` is in the store (the first description written stays). */
  private ensure(run: RunInfo): Promise<void> {
    let p = this.recorded.get(run.id);
    if (!p) {
      p = this.store.putIfAbsent(runKey(run.id), JSON.stringify(run)).then(() => undefined);
      p.catch(() => this.recorded.delete(run.id)); // a later use tries again
      this.recorded.set(run.id, p);
    }
    return p;
  }

  /** Writes the current run's record once and returns its id. */
  async record(): Promise<string> {
    const run = currentRun();
    await this.ensure(run);
    return run.id;
  }

  /** Starts a named run: its record must be new (an id already taken is refused). */
  async start(run: RunInfo): Promise<void> {
    if (!(await this.store.putIfAbsent(runKey(run.id), JSON.stringify(run)))) {
      throw new ValidationError(l10n.t('A run with the id {0} already exists in {1}', run.id, this.store.location));
    }
    this.recorded.set(run.id, Promise.resolve());
  }

  /** Records how a run ended; false when an end was recorded before (the first one stays). */
  end(id: string, end: RunEnd): Promise<boolean> {
    return this.store.putIfAbsent(runEndKey(id), JSON.stringify(end));
  }

  private async readJson<T>(key: string): Promise<T | null> {
    const body = this.cache ? await this.cache.read(key) : (await this.store.get(key))?.body;
    return body ? (JSON.parse(body.toString('utf8')) as T) : null;
  }

  read(id: string): Promise<RunInfo | null> {
    return this.readJson<RunInfo>(runKey(id));
  }

  /** The run with its end (null: unknown run). */
  async readRecord(id: string): Promise<RunRecord | null> {
    const [info, end] = await Promise.all([this.read(id), this.readJson<RunEnd>(runEndKey(id))]);
    return info ? { ...info, end } : null;
  }

  private async writeEdge(key: string, body: RunEdgeRecord, exclusive: boolean): Promise<void> {
    if (this.edgesWritten.has(key)) return;
    if (exclusive) await this.store.putIfAbsent(key, JSON.stringify(body));
    else await this.store.put(key, JSON.stringify(body));
    this.edgesWritten.add(key);
  }

  /** Records, once per run, that the current run used a source version. */
  async recordUse(src: VersionRef): Promise<void> {
    const runId = await this.record();
    const at = new Date().toISOString();
    await Promise.all([
      this.writeEdge(runEdgeKey(runId, 'inputs', src), { at }, true),
      // By version: `put`, as it always was (older tools read these).
      this.writeEdge(`${usesPrefix(src, src.index)}${runId}.json`, { run: runId, at } as RunEdgeRecord, false),
    ]);
  }

  /** Records that run `runId` logged the source version `v` (just after the commit that made it). */
  async recordOutput(runId: string, v: VersionKey, opts: { deduplicated?: boolean } = {}): Promise<void> {
    await this.writeEdge(runEdgeKey(runId, 'outputs', v), { at: new Date().toISOString(), ...(opts.deduplicated ? { deduplicated: true } : {}) }, true);
  }

  /** The source versions a run used or logged, as recorded by run. */
  async edges(runId: string, edge: RunEdge): Promise<VersionKey[]> {
    const out: VersionKey[] = [];
    for await (const o of listAll(this.store, runEdgesPrefix(runId, edge))) {
      const v = versionOfRunEdgeKey(o.key);
      if (v) out.push(v);
    }
    return out;
  }

  /** The ids of the runs that used a source version. */
  async usedByIds(src: VersionKey): Promise<string[]> {
    const ids: string[] = [];
    for await (const o of listAll(this.store, usesPrefix(src, src.index))) {
      if (o.key.endsWith('.json')) ids.push(o.key.slice(o.key.lastIndexOf('/') + 1, -'.json'.length));
    }
    return ids;
  }

  /** The runs that used a source version, oldest first. */
  async usedBy(src: VersionRef): Promise<RunInfo[]> {
    const runs = await Promise.all((await this.usedByIds(src)).map((id) => this.read(id)));
    return runs.filter((r): r is RunInfo => r !== null).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}
