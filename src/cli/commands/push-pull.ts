/** `artifacts push REF --to REGISTRY` and `artifacts pull REF --from REGISTRY`: versions between registries. */
import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import { describeCopy, pullVersion, pushVersion } from '../../app/copy-version';
import { describeProgress } from '../../app/progress-text';
import type { TransferProgress } from '../../core/artifact-backend';
import { addGlobalOptions, makeContext, type Context } from '../context';

interface CopyFlags {
  alias?: string[];
  as?: string;
  to?: string;
  from?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function copyOptions(cmd: Command): Command {
  return cmd
    .argument('<ref>', '[entity/][project/]collection[:alias|vN]')
    .option('--alias <alias>', l10n.t('an alias the version gets in the target registry (repeatable)'), collect)
    .option('--as <path>', l10n.t('[entity/][project/]collection in the target (default: the same as in the source)'));
}

function progress(ctx: Context) {
  return (p: TransferProgress) => ctx.progress(() => describeProgress({ phase: 'copying', ...p }));
}

export function registerPushPull(program: Command): void {
  addGlobalOptions(
    copyOptions(
      program
        .command('push')
        .description(l10n.t('copy a version into another registry (a folder, s3://… or azure://…): same digest, only the files it lacks move'))
        .requiredOption('--to <registry>', l10n.t('the registry to copy into')),
    ),
  ).action(async (ref: string, opts: CopyFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await pushVersion(ctx.registry, ref, opts.to!, { aliases: opts.alias, as: opts.as, signal: ctx.signal, onProgress: progress(ctx) });
    ctx.progress('');
    ctx.print({ ...r, targetRegistry: opts.to }, () => describeCopy(r, opts.to!));
  });

  addGlobalOptions(
    copyOptions(
      program
        .command('pull')
        .description(l10n.t('copy a version from another registry into this one (--registry, default ~/.artifacts)'))
        .requiredOption('--from <registry>', l10n.t('the registry to copy from')),
    ),
  ).action(async (ref: string, opts: CopyFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await pullVersion(ctx.registry, ref, opts.from!, { aliases: opts.alias, as: opts.as, signal: ctx.signal, onProgress: progress(ctx) });
    ctx.progress('');
    ctx.print({ ...r, sourceRegistry: opts.from }, () => describeCopy(r, ctx.registry.location));
  });
}
