/**
 * Runs: each process (a CLI invocation, a script using the library, a VS Code window) that logs or
 * uses a version is recorded once, the first time it does so.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { RunInfo } from '../core/artifact';
import { defaultEntity } from '../core/config';

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
