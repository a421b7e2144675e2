/** Runs the built `artifacts` binary (dist/cli.js) as a separate process. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ARTIFACTS_REGISTRY: undefined, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs the CLI against a registry folder and fails with its stderr when it does not exit 0. */
export function cliIn(registry: string, defaults: string[] = ['--entity', 'alice', '--project', 'demo']) {
  const run = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => runCli(['--registry', registry, ...defaults, ...args], opts);
  const ok = async (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
    const r = await run(args, opts);
    if (r.code !== 0) throw new Error(`artifacts ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r;
  };
  const json = async <T = Record<string, unknown>>(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
    const r = await ok([...args, '--json'], opts);
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new Error(`artifacts ${args.join(' ')} --json exited ${r.code} with stdout ${JSON.stringify(r.stdout.slice(0, 300))} and stderr ${JSON.stringify(r.stderr.slice(0, 1000))}`);
    }
  };
  return { run, ok, json };
}
