import { Command } from 'commander';
import type { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import { parseTtl } from '../../core/ttl';
import { validateMetadata } from '../../core/validate';
import { editVersion, type VersionEdit } from '../../app/edit-version';
import { addGlobalOptions, makeContext, type Context } from '../context';
import { artifactJson, artifactText } from '../format';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A command group run without one of its subcommands is a usage error (exit 2), not help. */
export function requireSubcommand(group: Command): void {
  group.allowExcessArguments(true).action(() => {
    const names = group.commands.map((c) => c.name()).join(' or ');
    const given = group.args[0];
    throw new ValidationError(`${given === undefined ? `${group.name()} needs a subcommand` : `unknown subcommand '${given}'`}: ${group.name()} ${names} (see artifacts ${group.name()} --help)`);
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
  const group = program.command(noun).description(`add or remove ${noun === 'alias' ? 'aliases' : 'tags'} of a version`);
  requireSubcommand(group);
  for (const verb of ['add', 'rm'] as const) {
    addGlobalOptions(
      group
        .command(verb)
        .description(`${verb === 'add' ? 'add' : 'remove'} ${noun === 'alias' ? 'aliases' : 'tags'}`)
        .argument('<ref>', '[entity/][project/]collection[:alias|vN]')
        .argument(`<${noun}...>`),
    ).action(async (ref: string, values: string[], _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const key = `${verb === 'add' ? 'add' : 'remove'}${noun === 'alias' ? 'Aliases' : 'Tags'}` as const;
      await edit(ctx, ref, { [key]: values });
    });
  }
}

export function registerManage(program: Command): void {
  addRemoveCommand(program, 'alias');
  addRemoveCommand(program, 'tag');

  addGlobalOptions(
    program.command('ttl').description('set the time to live of a version').argument('<ref>').argument('<duration>', '30d, 12h, 1d12h, none or inherit'),
  ).action(async (ref: string, duration: string, _opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    await edit(ctx, ref, { ttl: parseTtl(duration) });
  });

  addGlobalOptions(
    program
      .command('describe')
      .description('set the description or metadata of a version')
      .argument('<ref>')
      .option('--description <text>', 'new description ("" to clear)')
      .option('--metadata <json>', 'new metadata (a JSON object, replaces the old one)'),
  ).action(async (ref: string, opts: { description?: string; metadata?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    if (opts.description === undefined && opts.metadata === undefined) throw new ValidationError('Nothing to change: give --description and/or --metadata');
    await edit(ctx, ref, {
      ...(opts.description !== undefined ? { description: opts.description || null } : {}),
      ...(opts.metadata !== undefined ? { metadata: validateMetadata(opts.metadata) } : {}),
    });
  });

  addGlobalOptions(
    program
      .command('link')
      .description('link a version into a portfolio collection (it gets its own version number there)')
      .argument('<ref>')
      .argument('<target>', '[entity/][project/]collection')
      .option('--alias <alias>', 'alias in the target collection (repeatable)', collect),
  ).action(async (ref: string, target: string, opts: { alias?: string[] }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref, { manifest: false });
    const linked = await a.link(target, opts.alias ?? []);
    ctx.print(artifactJson(linked), () => linked.qualifiedName);
  });

  addGlobalOptions(program.command('unlink').description('remove a linked version from its portfolio collection').argument('<ref>')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref, { manifest: false });
      await a.unlink();
      ctx.print({ unlinked: a.qualifiedName }, () => `unlinked ${a.qualifiedName}`);
    },
  );

  addGlobalOptions(
    program
      .command('delete')
      .description('delete a version (refused while it has aliases unless --delete-aliases)')
      .argument('<ref>')
      .option('--delete-aliases', 'also remove its aliases'),
  ).action(async (ref: string, opts: { deleteAliases?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref, { manifest: false });
    await a.delete({ deleteAliases: Boolean(opts.deleteAliases) });
    ctx.print({ deleted: a.qualifiedName, unlinkedOnly: a.isLink }, () => `${a.isLink ? 'unlinked' : 'deleted'} ${a.qualifiedName}`);
  });
}
