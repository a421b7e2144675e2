import type { Command } from 'commander';
import { NotFoundError, ValidationError } from '../../core/errors';
import { parseListTarget } from '../../registry/refs';
import { addGlobalOptions, makeContext } from '../context';
import { artifactJson, artifactText, formatBytes, table } from '../format';

function count(text: string, what: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new ValidationError(`${what} takes a whole number from ${min} (got '${text}')`);
  return Number(text);
}

function positiveInt(text: string, what: string): number {
  return count(text, what, 1);
}

export function registerBrowse(program: Command): void {
  addGlobalOptions(
    program
      .command('ls')
      .description("list an entity's projects, a project's collections, or a collection's versions")
      .argument('[path]', 'project, entity/project or entity/project/collection (default: the projects of the entity, or the collections of --project)')
      .option('--limit <n>', "versions: show at most N (newest first)")
      .option('--offset <n>', 'versions: skip the N newest', '0'),
  ).action(async (arg: string | undefined, opts: { limit?: string; offset: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const reg = ctx.registry;
    const target = parseListTarget(arg ?? (ctx.projectGiven ? reg.project : undefined), { entity: reg.entity, project: reg.project });
    if ('collection' in target) {
      const listing = await reg.versionListing(target);
      const offset = count(opts.offset, '--offset', 0);
      const versions = await listing.slice(offset, opts.limit === undefined ? listing.total : offset + count(opts.limit, '--limit', 1));
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
    if (!('project' in target)) {
      const projects = await reg.listProjects(target.entity);
      ctx.print(
        projects.map((project) => ({ entity: target.entity, project })),
        () => (projects.length ? ['PROJECT', ...projects].join('\n') : `No projects of ${target.entity} in ${reg.location}.\nLog one with: artifacts log PATH --name NAME --type TYPE`),
      );
      return;
    }
    const { entity, project } = target;
    const collections = await reg.listCollections(entity, project);
    if (collections.length === 0 && arg !== undefined && !arg.includes('/')) {
      // `ls NAME` where NAME is a collection of the default project, not a project.
      const asCollection = { entity: reg.entity, project: reg.project, collection: arg };
      if (await reg.collection(asCollection).catch(() => undefined)) {
        throw new NotFoundError(`'${arg}' is not a project of ${entity} but a collection of ${reg.entity}/${reg.project}: list its versions with artifacts ls ${reg.entity}/${reg.project}/${arg}`);
      }
    }
    ctx.print(collections, () => {
      if (collections.length === 0) {
        return `No collections in ${entity}/${project} (registry ${reg.location}).\nLog one with: artifacts log PATH --name NAME --type TYPE`;
      }
      return table(
        ['COLLECTION', 'TYPE', 'KIND', 'VERSIONS', 'LATEST', 'UPDATED'],
        collections.map((c) =>
          c.error
            ? [c.collection, '?', '?', '?', '?', 'DAMAGED (see the warning)']
            : [c.collection, c.type, c.kind === 'portfolio' ? 'links' : 'source', String(c.versionCount), c.latest === undefined ? '-' : `v${c.latest}`, c.updatedAt.replace('T', ' ').slice(0, 19)],
        ),
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

  addGlobalOptions(
    program
      .command('files')
      .description("list a version's files (path, size, digest), page by page")
      .argument('<ref>')
      .option('--page <n>', 'only page N (from 1)')
      .option('--per-page <n>', 'files per page', '1000'),
  ).action(async (ref: string, opts: { page?: string; perPage: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const perPage = positiveInt(opts.perPage, '--per-page');
    const page = opts.page === undefined ? undefined : positiveInt(opts.page, '--page');
    const a = await ctx.registry.get(ref);
    const files = await a.files({ perPage });
    const pages = page === undefined ? [...Array(files.pageCount).keys()] : [page - 1];
    if (ctx.json) {
      const list = pages.flatMap((i) => files.page(i)).map(({ name, size, digest, ref: uri }) => ({ name, size, digest, ...(uri ? { ref: uri } : {}) }));
      ctx.print({ ref: a.qualifiedName, total: files.length, perPage, ...(page ? { page } : {}), files: list }, () => '');
      return;
    }
    for (const i of pages) {
      const rows = files.page(i).map((f) => [f.name, f.size === null ? '-' : formatBytes(f.size), f.ref ? `→ ${f.ref}` : f.digest]);
      ctx.print(null, () => (i === pages[0] ? table(['PATH', 'SIZE', 'DIGEST'], rows) : table(['PATH', 'SIZE', 'DIGEST'], rows).split('\n').slice(1).join('\n')));
    }
  });

  addGlobalOptions(program.command('manifest').description("print a version's manifest (wandb-artifact-manifest-v1 JSON)").argument('<ref>')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref);
      process.stdout.write(`${JSON.stringify(a.manifest.toJSON(), null, 2)}\n`);
    },
  );
}
