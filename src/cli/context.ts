/** What every command gets: the registry chosen by the global options, and output helpers. */
import * as l10n from '@vscode/l10n';
import { Command, Option } from 'commander';
import { Registry } from '../registry/registry';
import { printable } from './format';

export interface GlobalOptions {
  registry?: string;
  entity?: string;
  project?: string;
  json?: boolean;
}

/** Aborted by Ctrl+C or SIGTERM (see main.ts); every long operation takes its signal. */
export const cancelWork = new AbortController();

export interface Context {
  /** Aborts when the user interrupts the command. */
  signal: AbortSignal;
  registry: Registry;
  json: boolean;
  /** True when --project was given (else the project is the default). */
  projectGiven: boolean;
  /** Prints `data` as JSON with --json, else the text `render` gives. */
  print(data: unknown, render: () => string): void;
  /** Human progress on stderr (only on a terminal, never with --json), at most every 100 ms: a function is called only when its line is shown ('\n' ends the line). */
  progress(text: string | (() => string)): void;
}

/** The global options, accepted before or after the command name (called while the program is built: main chose the language). */
export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--registry <location>', l10n.t('registry: a folder, s3://bucket/prefix or azure://account/container/prefix (default: $ARTIFACTS_REGISTRY or ~/.artifacts)')))
    .addOption(new Option('--entity <entity>', l10n.t('entity (default: your OS user name)')))
    .addOption(new Option('--project <project>', l10n.t('project (default: uncategorized)')))
    .addOption(new Option('--json', l10n.t('print machine-readable JSON')));
}

export function makeContext(cmd: Command): Context {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const json = Boolean(opts.json);
  const registry = new Registry({ root: opts.registry, entity: opts.entity, project: opts.project });
  const tty = process.stderr.isTTY && !json;
  let lastProgress = 0;
  return {
    signal: cancelWork.signal,
    registry,
    json,
    projectGiven: opts.project !== undefined,
    print(data, render) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${printable(render())}\n`);
    },
    progress(text) {
      if (!tty) return;
      const t = Date.now();
      if (t - lastProgress < 100 && text !== '\n') return;
      lastProgress = t;
      process.stderr.write(`\r\x1b[2K${typeof text === 'function' ? text() : text}`);
    },
  };
}
