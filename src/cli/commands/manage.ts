import * as l10n from '@vscode/l10n';
import { Command } from 'commander';
import type { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import { displayLocale } from '../../core/l10n';
import { parseTtl } from '../../core/ttl';
import { validateMetadata } from '../../core/validate';
import { editVersion, type VersionEdit } from '../../app/edit-version';
import { addGlobalOptions, makeContext, type Context } from '../context';
import { artifactJson, artifactText } from '../format';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A command group run without one of its subcommands is a usage error (exit 2), not help. */
export function requireSubcommand(group: Command): void {
  group.allowExcessArguments(true).action(() => {
    const subcommands = group.commands.map((c) => c.name());
    const names = subcommands.length === 2 ? l10n.t('{0} or {1}', subcommands[0]!, subcommands[1]!) : new Intl.ListFormat(displayLocale(), { type: 'disjunction' }).format(subcommands);
    const given = group.args[0];
    throw new ValidationError(
      given === undefined
        ? l10n.t('{0} needs a subcommand: {0} {1} (see artifacts {0} --help)', group.name(), names)
        : l10n.t("unknown subcommand '{0}': {1} {2} (see artifacts {1} --help)", given, group.name(), names),
    );
  });
}

function printArtifact(ctx: Context, a: Artifact): void {
  ctx.print(artifactJson(a), () => artifactText(a));
}

async function edit(ctx: Context, ref: string, change: VersionEdit): Promise<void> {
  printArtifact(ctx, await editVersion(await ctx.registry.get(ref, { manifest: false }), change));
}

/** `alias add|rm REF ALIAS…` and `tag add|rm REF TAG…`. */
function addRemoveCommand(program: Command, noun: 'alias' | 'tag'): void {
  const group = program.command(noun).description(noun === 'alias' ? l10n.t('add or remove aliases of a version') : l10n.t('add or remove tags of a version'));
  requireSubcommand(group);
  const descriptions = {
    add: noun === 'alias' ? l10n.t('add aliases') : l10n.t('add tags'),
    rm: noun === 'alias' ? l10n.t('remove aliases') : l10n.t('remove tags'),
  };
  for (const verb of ['add', 'rm'] as const) {
    addGlobalOptions(
      group
        .command(verb)
        .description(descriptions[verb])
        .argument('<ref>', '[entity/][project/]collection[:alias|vN]')
        .argument(`<${noun}...>`),
    ).action(async (ref: string, values: string[], _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const key = `${verb === 'add' ? 'add' : 'remove'}${noun === 'alias' ? 'Aliases' : 'Tags'}` as const; // l10n-ignore: a property name of VersionEdit
      await edit(ctx, ref, { [key]: values });
    });
  }
}

export function registerManage(program: Command): void {
  addRemoveCommand(program, 'alias');
  addRemoveCommand(program, 'tag');

  addGlobalOptions(
    program.command('ttl').description(l10n.t('set the time to live of a version')).argument('<ref>').argument('<duration>', l10n.t('30d, 12h, 1d12h, none or inherit')),
  ).action(async (ref: string, duration: string, _opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    await edit(ctx, ref, { ttl: parseTtl(duration) });
  });

  addGlobalOptions(
    program
      .command('describe')
      .description(l10n.t('set the description or metadata of a version'))
      .argument('<ref>')
      .option('--description <text>', l10n.t('new description ("" to clear)'))
      .option('--metadata <json>', l10n.t('new metadata (a JSON object, replaces the old one)')),
  ).action(async (ref: string, opts: { description?: string; metadata?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    if (opts.description === undefined && opts.metadata === undefined) throw new ValidationError(l10n.t('Nothing to change: give --description and/or --metadata'));
    await edit(ctx, ref, {
      ...(opts.description !== undefined ? { description: opts.description || null } : {}),
      ...(opts.metadata !== undefined ? { metadata: validateMetadata(opts.metadata) } : {}),
    });
  });

  addGlobalOptions(
    program
      .command('link')
      .description(l10n.t('link a version into a portfolio collection (it gets its own version number there)'))
      .argument('<ref>')
      .argument('<target>', '[entity/][project/]collection')
      .option('--alias <alias>', l10n.t('alias in the target collection (repeatable)'), collect),
  ).action(async (ref: string, target: string, opts: { alias?: string[] }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref, { manifest: false });
    const linked = await a.link(target, opts.alias ?? []);
    ctx.print(artifactJson(linked), () => linked.qualifiedName);
  });

  addGlobalOptions(program.command('unlink').description(l10n.t('remove a linked version from its portfolio collection')).argument('<ref>')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref, { manifest: false });
      await a.unlink();
      ctx.print({ unlinked: a.qualifiedName }, () => l10n.t('unlinked {0}', a.qualifiedName));
    },
  );

  addGlobalOptions(
    program
      .command('delete')
      .description(l10n.t('delete a version (refused while it has aliases unless --delete-aliases)'))
      .argument('<ref>')
      .option('--delete-aliases', l10n.t('also remove its aliases')),
  ).action(async (ref: string, opts: { deleteAliases?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref, { manifest: false });
    await a.delete({ deleteAliases: Boolean(opts.deleteAliases) });
    ctx.print({ deleted: a.qualifiedName, unlinkedOnly: a.isLink }, () => (a.isLink ? l10n.t('unlinked {0}', a.qualifiedName) : l10n.t('deleted {0}', a.qualifiedName)));
  });
}
