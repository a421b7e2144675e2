/**
 * `artifacts run --name NAME [--type T] -- COMMAND…`: runs a command as a named run (its inputs and
 * outputs recorded by every `artifacts` and library call under it, through ARTIFACTS_RUN), and
 * `artifacts lineage REF [--depth N] [--json | --dot]`: the lineage graph of a version.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import type { RunRecord } from '../../core/artifact-backend';
import { ValidationError } from '../../core/errors';
import { formatDate } from '../../core/l10n';
import { formatCommand, RUN_ENV } from '../../registry/lineage';
import { DEFAULT_LINEAGE_DEPTH, lineageToDot, MAX_LINEAGE_DEPTH, runLabel, type LineageGraph, type LineageNode, type LineageRunNode, type LineageVersionNode } from '../../registry/lineage-graph';
import { addGlobalOptions, makeContext, type GlobalOptions } from '../context';
import { printable } from '../format';

/** Signals `artifacts run` passes on to its command. */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
type Forwarded = (typeof FORWARDED)[number];

/**
 * Ctrl+C and Ctrl+\ at a terminal reach the whole foreground process group, the command included:
 * passing them on as well would make it see each twice. Without a terminal they are passed on.
 */
function terminalDelivers(sig: Forwarded): boolean {
  return (sig === 'SIGINT' || sig === 'SIGQUIT') && Boolean(process.stdin.isTTY);
}

/** Runs the command with stdio inherited and signals forwarded; resolves with how it ended. */
function runCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const saved = new Map(FORWARDED.map((s) => [s, process.listeners(s)] as const));
    for (const s of FORWARDED) process.removeAllListeners(s); // main's "stop the work" handlers: here the command decides
    const forward = (sig: Forwarded) => {
      if (!terminalDelivers(sig)) child.kill(sig);
    };
    const handlers = FORWARDED.map((s) => [s, () => forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const restore = () => {
      for (const [s, h] of handlers) process.off(s, h);
      for (const [s, ls] of saved) for (const l of ls) process.on(s, l as () => void);
    };
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env });
    child.once('error', (error: NodeJS.ErrnoException) => {
      restore();
      resolve({ code: null, signal: null, error });
    });
    child.once('exit', (code, signal) => {
      restore();
      resolve({ code, signal });
    });
  });
}

function depthOption(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_LINEAGE_DEPTH) throw new ValidationError(l10n.t("--depth takes a whole number from 0 to {0} (got '{1}')", MAX_LINEAGE_DEPTH, text));
  return Number(text);
}

/** How a run ended, in a few words. */
export function runStatus(run: RunRecord | null): string {
  if (!run) return l10n.t('no record of this run');
  const started = formatDate(run.startedAt);
  // A process's own run (no name) records no end: its uses and logs are all it did.
  if (!run.end) return run.name ? l10n.t('started {0}, no end recorded', started) : l10n.t('started {0}', started);
  if (run.end.exitCode === null) return l10n.t('started {0}, ended by {1}', started, run.end.signal ?? '?');
  return l10n.t('started {0}, exit code {1}', started, run.end.exitCode);
}

function versionText(n: LineageVersionNode): string {
  const facts = [n.type, n.aliases.join(', ')].filter(Boolean).join(' · ');
  if (n.state === 'MISSING') return l10n.t('{0} (not in this registry)', n.ref);
  if (n.state === 'DELETED') return l10n.t('{0} (deleted)', n.ref);
  return facts ? `${n.ref}  [${facts}]` : n.ref;
}

function runText(n: LineageRunNode): string {
  return `${runLabel(n)} (${runStatus(n.run)})`;
}

/** The graph as two trees from the version: what it was made from, and what was made from it. */
export function lineageText(g: LineageGraph): string {
  const byId = new Map<string, LineageNode>(g.nodes.map((n) => [n.id, n]));
  const producedBy = new Map<string, string[]>(); // version → runs that logged it
  const inputsOf = new Map<string, string[]>(); // run → versions it used
  const usedBy = new Map<string, string[]>(); // version → runs that used it
  const outputsOf = new Map<string, string[]>(); // run → versions it logged
  const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const e of g.edges) {
    if (e.kind === 'produced') {
      push(producedBy, e.to, e.from);
      push(outputsOf, e.from, e.to);
    } else {
      push(usedBy, e.from, e.to);
      push(inputsOf, e.to, e.from);
    }
  }
  const root = byId.get(g.root) as LineageVersionNode;
  const lines = [versionText(root)];
  const tree = (title: string, runsOf: Map<string, string[]>, versionsOf: Map<string, string[]>, runLine: (r: string) => string, versionLine: (v: string) => string) => {
    lines.push('', title);
    const shown = new Set<string>([root.id]);
    const walk = (versionId: string, indent: string) => {
      const runs = runsOf.get(versionId) ?? [];
      runs.forEach((runId, i) => {
        const lastRun = i === runs.length - 1;
        const run = byId.get(runId) as LineageRunNode;
        const again = shown.has(runId);
        shown.add(runId);
        lines.push(`${indent}${lastRun ? '└─ ' : '├─ '}${again ? l10n.t('{0} (shown above)', runLine(runText(run))) : runLine(runText(run))}`);
        if (again) return;
        const inner = indent + (lastRun ? '   ' : '│  ');
        const versions = versionsOf.get(runId) ?? [];
        versions.forEach((vId, j) => {
          const lastV = j === versions.length - 1;
          const v = byId.get(vId) as LineageVersionNode;
          const seen = shown.has(vId);
          shown.add(vId);
          lines.push(`${inner}${lastV ? '└─ ' : '├─ '}${seen ? l10n.t('{0} (shown above)', versionLine(versionText(v))) : versionLine(versionText(v))}`);
          if (!seen) walk(vId, inner + (lastV ? '   ' : '│  '));
        });
      });
    };
    walk(root.id, '');
    if (!(runsOf.get(root.id) ?? []).length) lines.push(`   ${l10n.t('nothing recorded')}`);
  };
  tree(
    l10n.t('Upstream (what it was made from):'),
    producedBy,
    inputsOf,
    (r) => l10n.t('logged by run {0}', r),
    (v) => l10n.t('which used {0}', v),
  );
  tree(
    l10n.t('Downstream (what was made from it):'),
    usedBy,
    outputsOf,
    (r) => l10n.t('used by run {0}', r),
    (v) => l10n.t('which logged {0}', v),
  );
  if (g.truncated) lines.push('', l10n.t('The graph is larger than this: only its first {0} nodes were read.', g.nodes.length));
  return lines.join('\n');
}

export function registerLineage(program: Command): void {
  addGlobalOptions(
    program
      .command('run')
      .description(l10n.t('run a command as a named run: the versions it downloads or uses become its inputs, the versions it logs its outputs'))
      .requiredOption('--name <name>', l10n.t('the name of the run'))
      .option('--type <type>', l10n.t('the kind of run (train, eval…)'))
      .argument('<command...>', l10n.t('the command and its arguments, after --')),
  ).action(async (argv: string[], opts: { name: string; type?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    if (!opts.name.trim()) throw new ValidationError(l10n.t('--name must not be empty'));
    const started = await ctx.registry.startRun(opts.name, { type: opts.type, command: formatCommand(argv) });
    const env: NodeJS.ProcessEnv = { ...process.env, [RUN_ENV]: started.info.id };
    // The command's own `artifacts` calls and library code use the same registry.
    if (globals.registry) env.ARTIFACTS_REGISTRY = globals.registry;
    const { code, signal, error } = await runCommand(argv, env);
    const endedAt = new Date().toISOString();
    if (error) {
      // The shell's codes: 127 not found, 126 found but not runnable.
      const exitCode = error.code === 'ENOENT' ? 127 : 126;
      await started.end({ endedAt, exitCode, error: error.code ?? error.message });
      process.stderr.write(`${l10n.t('artifacts: error: {0}', printable(l10n.t('could not start {0}: {1}', argv[0]!, error.code ?? error.message)))}\n`);
      process.exitCode = exitCode;
      return;
    }
    await started.end({ endedAt, exitCode: code, ...(signal ? { signal } : {}) });
    // A command killed by a signal: 128 + its number, as a shell reports it.
    process.exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
  });

  addGlobalOptions(
    program
      .command('lineage')
      .description(l10n.t('show the lineage of a version: the runs that logged and used it, and the versions they used and logged'))
      .argument('<ref>', '[entity/][project/]collection[:alias|vN]')
      .option('--depth <n>', l10n.t('how many runs to follow upstream and downstream'), String(DEFAULT_LINEAGE_DEPTH))
      .option('--dot', l10n.t('print the graph in Graphviz DOT')),
  ).action(async (ref: string, opts: { depth: string; dot?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    if (opts.dot && ctx.json) throw new ValidationError(l10n.t('--json and --dot cannot be used together'));
    const graph = await ctx.registry.lineage(ref, { depth: depthOption(opts.depth) });
    if (opts.dot) {
      process.stdout.write(lineageToDot(graph));
      return;
    }
    ctx.print(graph, () => lineageText(graph));
  });
}
