/**
 * `artifacts`: the command-line face of the registry.
 * Exit codes: 0 success, 1 a check found a difference, 2 bad usage or invalid input (one line, no
 * stack trace), 3 an unexpected failure (details with ARTIFACTS_DEBUG=1).
 */
import { Command, CommanderError } from 'commander';
import { isUserError } from '../core/errors';
import { setWarningHandler } from '../core/warnings';
import { formatCommand, setRunCommand } from '../registry/lineage';
import { registerBrowse } from './commands/browse';
import { registerLog } from './commands/log';
import { registerMaintenance } from './commands/maintenance';
import { registerManage } from './commands/manage';
import { addGlobalOptions } from './context';
import { oneLine } from './format';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes';
import { registerFiles } from './commands/files';

declare const PACKAGE_VERSION: string;


export function buildProgram(): Command {
  const program = addGlobalOptions(
    new Command('artifacts')
      .description('Versioned datasets and models (the W&B Artifact model) on storage you own.')
      .version(typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'dev'),
  );
  program.exitOverride().showHelpAfterError('(run with --help for usage)');
  program.addHelpText(
    'after',
    `
A REF is [entity/][project/]collection[:alias|vN]; without ':…' it means ':latest'.
Exit codes: 0 success, 1 a check found a difference (verify, diff), 2 bad usage or invalid input,
3 an unexpected failure (ARTIFACTS_DEBUG=1 prints details).`,
  );
  program.configureOutput({ outputError: (str, write) => write(`artifacts: ${str.replace(/^error: /, 'error: ')}`) });
  registerLog(program);
  registerBrowse(program);
  registerManage(program);
  registerFiles(program);
  registerMaintenance(program);
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  setRunCommand(formatCommand(['artifacts', ...argv]));
  setWarningHandler((message) => process.stderr.write(`artifacts: warning: ${oneLine(message)}\n`));
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (process.exitCode as number | undefined) ?? EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (isUserError(e)) {
      process.stderr.write(`artifacts: error: ${oneLine(e.message)}\n`);
      return EXIT_USAGE;
    }
    const err = e as Error;
    process.stderr.write(`artifacts: unexpected error: ${oneLine(err?.message ?? String(e))}\n`);
    if (process.env.ARTIFACTS_DEBUG) process.stderr.write(`${err?.stack}\n`);
    else process.stderr.write('artifacts: run with ARTIFACTS_DEBUG=1 for details\n');
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
