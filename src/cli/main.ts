/**
 * `artifacts`: the command-line face of the registry.
 * Exit codes: 0 success, 1 a check found a difference, 2 bad usage or invalid input (one line, no
 * stack trace), 3 an unexpected failure (details with ARTIFACTS_DEBUG=1).
 */
import * as l10n from '@vscode/l10n';
import { Command, CommanderError } from 'commander';
import { CancelledError, isUserError } from '../core/errors';
import { setWarningHandler } from '../core/warnings';
import { StoreUnavailableError } from '../store/store-errors';
import { formatCommand, setRunCommand } from '../registry/lineage';
import { registerBrowse } from './commands/browse';
import { registerLineage } from './commands/lineage';
import { registerLog } from './commands/log';
import { registerMaintenance } from './commands/maintenance';
import { registerManage } from './commands/manage';
import { registerPushPull } from './commands/push-pull';
import { registerTracked } from './commands/tracked';
import { addGlobalOptions, cancelWork } from './context';
import { enablePhaseCollection } from '../core/memory';
import { useLanguageFromEnv } from './locale';
import { oneLine } from './format';
import { EXIT_CANCELLED, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes';
import { registerFiles } from './commands/files';
import { commanderErrorText, localizeCommander } from './commander-l10n';

declare const PACKAGE_VERSION: string;


/** Call after the language is chosen (main): the descriptions are made here, in that language. */
export function buildProgram(): Command {
  const program = addGlobalOptions(
    localizeCommander(new Command('artifacts'))
      .description(l10n.t('Versioned datasets and models (the W&B Artifact model) on storage you own.'))
      .version(typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'dev', '-V, --version', l10n.t('output the version number')),
  );
  program.exitOverride();
  program.addHelpText(
    'after',
    [
      '',
      l10n.t("A REF is [entity/][project/]collection[:alias|vN]; without ':…' it means ':latest'."),
      l10n.t('Exit codes: 0 success, 1 a check found a difference (verify, diff, status), 2 bad usage or invalid input,\n3 an unexpected failure (ARTIFACTS_DEBUG=1 prints details).'),
    ].join('\n'),
  );
  registerLog(program);
  registerBrowse(program);
  registerManage(program);
  registerFiles(program);
  registerMaintenance(program);
  registerPushPull(program);
  registerLineage(program);
  registerTracked(program);
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/**
 * Ctrl+C (SIGINT) and SIGTERM abort the work in progress through the one AbortSignal every command
 * passes down, so temp files are removed by the code that made them and nothing half-written is
 * left visible; a second signal ends the process at once.
 */
function abortOnSignals(): void {
  let received = 0;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      received += 1;
      if (received > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
      const line = sig === 'SIGINT' ? l10n.t('artifacts: interrupted: stopping (send it again to stop at once)') : l10n.t('artifacts: terminated: stopping (send it again to stop at once)');
      process.stderr.write(`\n${line}\n`);
      cancelWork.abort();
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  // The AWS SDK (loaded only for an s3:// registry) warns on every run about Node versions it will
  // drop next year: noise on stderr of every command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  useLanguageFromEnv(); // before the first message: the program's descriptions are made below
  abortOnSignals();
  enablePhaseCollection(); // this process owns its heap: large jobs keep their peak memory down
  setRunCommand(formatCommand(['artifacts', ...argv]));
  setWarningHandler((message) => process.stderr.write(`${l10n.t('artifacts: warning: {0}', oneLine(message))}\n`));
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (process.exitCode as number | undefined) ?? EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander printed nothing (see localizeCommander): its usage errors are said here, translated.
      const text = commanderErrorText(e);
      if (text === undefined) return EXIT_OK;
      process.stderr.write(`${l10n.t('artifacts: error: {0}', text)}\n${l10n.t('(run with --help for usage)')}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof CancelledError || cancelWork.signal.aborted) {
      process.stderr.write(`${l10n.t('artifacts: cancelled; nothing was left half-written')}\n`);
      return EXIT_CANCELLED;
    }
    if (isUserError(e)) {
      process.stderr.write(`${l10n.t('artifacts: error: {0}', oneLine(e.message))}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof StoreUnavailableError) {
      // Not a bug to debug: a server that is down or failing. Its one line names the registry.
      process.stderr.write(`${l10n.t('artifacts: error: {0}', oneLine(e.message))}\n`);
      return EXIT_FAILURE;
    }
    const err = e as Error;
    process.stderr.write(`${l10n.t('artifacts: unexpected error: {0}', oneLine(err?.message ?? String(e)))}\n`);
    if (process.env.ARTIFACTS_DEBUG) process.stderr.write(`${err?.stack}\n`);
    else process.stderr.write(`${l10n.t('artifacts: run with ARTIFACTS_DEBUG=1 for details')}\n`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
