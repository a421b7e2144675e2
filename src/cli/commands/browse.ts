import type { Command } from 'commander';
import { ValidationError } from '../../core/errors';
import { validateExistingName, validateProjectName } from '../../core/validate';
import { addGlobalOptions, makeContext } from '../context';
import { artifactJson, artifactText, formatBytes, table } from '../format';

export function registerBrowse(program: Command): void {
  addGlobalOptions(
    program
      .command('ls')
      .description('list collections of a project, or versions of a collection')
      .argument('[path]', 'project, entity/project or entity/project/collection (default: the current entity/project)'),
  ).action(async (target: string | undefined, _opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const reg = ctx.registry;
    const parts = target ? target.replace(/\/+$/, '').split('/') : [];
    if (parts.length > 3 || parts.some((p) => p === '')) {
      throw new ValidationError(`Invalid path '${target}': expected [entity/]project[/collection]`);
    }
    if (parts.length === 3) {
      const [entity, project, collection] = parts as [string, string, string];
      const c = { entity: validateProjectName(entity, 'Entity name'), project: validateProjectName(project), collection: validateExistingName(collection) };
      const versions = await reg.listVersions(c);
      ctx.print(
        versions.map((v) => ({ ref: v.qualifiedName, version: v.version, aliases: v.aliases, tags: v.tags, fileCount: v.fileCount, size: v.size, digest: v.digest, createdAt: v.createdAt, isLink: v.isLink, source: v.sourceQualifiedName })),
        () =>
          table(
            ['VERSION', 'ALIASES', 'TAGS', 'FILES', 'SIZE', 'CREATED', 'DIGEST'],
            versions.map((v) => [v.version, v.aliases.join(',') || '-', v.tags.join(',') || '-', String(v.fileCount), formatBytes(v.size), v.createdAt.replace('T', ' ').slice(0, 19), v.digest]),
          ),
      );
      return;
    }
    const entity = validateProjectName(parts.length === 2 ? parts[0]! : reg.entity, 'Entity name');
    const project = validateProjectName(parts.length === 2 ? parts[1]! : (parts[0] ?? reg.project));
    const collections = await reg.listCollections(entity, project);
    ctx.print(collections, () => {
      if (collections.length === 0) {
        return `No collections in ${entity}/${project} (registry ${reg.location}).\nLog one with: artifacts log PATH --name NAME --type TYPE`;
      }
      return table(
        ['COLLECTION', 'TYPE', 'KIND', 'VERSIONS', 'LATEST', 'UPDATED'],
        collections.map((c) => [c.collection, c.type, c.kind === 'portfolio' ? 'links' : 'source', String(c.versionCount), c.latest === undefined ? '-' : `v${c.latest}`, c.updatedAt.replace('T', ' ').slice(0, 19)]),
      );
    });
  });

  addGlobalOptions(program.command('show').description('show one version').argument('<ref>', '[entity/][project/]collection[:alias|vN]')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref, { manifest: false });
      const [loggedBy, usedBy] = await Promise.all([a.loggedBy(), a.usedBy()]);
      ctx.print({ ...artifactJson(a), loggedBy, usedBy }, () => {
        const lines = [artifactText(a)];
        if (loggedBy) lines.push(`logged by   ${loggedBy.command} (${loggedBy.user}@${loggedBy.host}, ${loggedBy.startedAt}${loggedBy.gitCommit ? `, git ${loggedBy.gitCommit.slice(0, 12)}` : ''})`);
        for (const u of usedBy) lines.push(`used by     ${u.command} (${u.user}@${u.host}, ${u.startedAt})`);
        return lines.join('\n');
      });
    },
  );

  addGlobalOptions(program.command('manifest').description("print a version's manifest (wandb-artifact-manifest-v1 JSON)").argument('<ref>')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref);
      process.stdout.write(`${JSON.stringify(a.manifest.toJSON(), null, 2)}\n`);
    },
  );
}
