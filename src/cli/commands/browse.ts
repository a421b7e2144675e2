import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import { NotFoundError, ValidationError } from '../../core/errors';
import { formatDate, formatNumber } from '../../core/l10n';
import { parseListTarget } from '../../registry/refs';
import { addGlobalOptions, makeContext } from '../context';
import { artifactJson, artifactRows, formatBytes, labelled, table } from '../format';

function count(text: string, what: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new ValidationError(l10n.t("{0} takes a whole number from {1} (got '{2}')", what, min, text));
  return Number(text);
}

function positiveInt(text: string, what: string): number {
  return count(text, what, 1);
}

export function registerBrowse(program: Command): void {
  addGlobalOptions(
    program
      .command('ls')
      .description(l10n.t("list an entity's projects, a project's collections, or a collection's versions"))
      .argument('[path]', l10n.t('project, entity/project or entity/project/collection (default: the projects of the entity, or the collections of --project)'))
      .option('--limit <n>', l10n.t('versions: show at most N (newest first)'))
      .option('--offset <n>', l10n.t('versions: skip the N newest'), '0'),
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
            [l10n.t('VERSION'), l10n.t('ALIASES'), l10n.t('TAGS'), l10n.t('FILES'), l10n.t('SIZE'), l10n.t('CREATED'), l10n.t('DIGEST')],
            versions.map((v) => [v.version, v.aliases.join(',') || '-', v.tags.join(',') || '-', formatNumber(v.fileCount), formatBytes(v.size), formatDate(v.createdAt), v.digest]),
          ),
      );
      return;
    }
    if (!('project' in target)) {
      const projects = await reg.listProjects(target.entity);
      ctx.print(
        projects.map((project) => ({ entity: target.entity, project })),
        () => (projects.length ? [l10n.t('PROJECT'), ...projects].join('\n') : l10n.t('No projects of {0} in {1}.\nLog one with: artifacts log PATH --name NAME --type TYPE', target.entity, reg.location)),
      );
      return;
    }
    const { entity, project } = target;
    const collections = await reg.listCollections(entity, project);
    if (collections.length === 0 && arg !== undefined && !arg.includes('/')) {
      // `ls NAME` where NAME is a collection of the default project, not a project.
      const asCollection = { entity: reg.entity, project: reg.project, collection: arg };
      if (await reg.collection(asCollection).catch(() => undefined)) {
        throw new NotFoundError(l10n.t("'{0}' is not a project of {1} but a collection of {2}/{3}: list its versions with artifacts ls {2}/{3}/{0}", arg, entity, reg.entity, reg.project));
      }
    }
    ctx.print(collections, () => {
      if (collections.length === 0) {
        return l10n.t('No collections in {0}/{1} (registry {2}).\nLog one with: artifacts log PATH --name NAME --type TYPE', entity, project, reg.location);
      }
      return table(
        [l10n.t('COLLECTION'), l10n.t('TYPE'), l10n.t('KIND'), l10n.t('VERSIONS'), l10n.t('LATEST'), l10n.t('UPDATED')],
        collections.map((c) =>
          c.error
            ? [c.collection, '?', '?', '?', '?', l10n.t('DAMAGED (see the warning)')]
            : [c.collection, c.type, c.kind === 'portfolio' ? l10n.t('links') : l10n.t('source'), formatNumber(c.versionCount), c.latest === undefined ? '-' : `v${c.latest}`, formatDate(c.updatedAt)],
        ),
      );
    });
  });

  addGlobalOptions(program.command('show').description(l10n.t('show one version')).argument('<ref>', '[entity/][project/]collection[:alias|vN]')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref, { manifest: false });
      const [loggedBy, usedBy] = await Promise.all([a.loggedBy(), a.usedBy()]);
      ctx.print({ ...artifactJson(a), loggedBy, usedBy }, () => {
        const rows = artifactRows(a);
        if (loggedBy) {
          const when = formatDate(loggedBy.startedAt);
          const git = loggedBy.gitCommit ? `, git ${loggedBy.gitCommit.slice(0, 12)}` : '';
          rows.push([l10n.t('logged by'), `${loggedBy.command} (${loggedBy.user}@${loggedBy.host}, ${when}${git})`]);
        }
        for (const u of usedBy) rows.push([l10n.t('used by'), `${u.command} (${u.user}@${u.host}, ${formatDate(u.startedAt)})`]);
        return labelled(rows);
      });
    },
  );

  addGlobalOptions(
    program
      .command('files')
      .description(l10n.t("list a version's files (path, size, digest), page by page"))
      .argument('<ref>')
      .option('--page <n>', l10n.t('only page N (from 1)'))
      .option('--per-page <n>', l10n.t('files per page'), '1000'),
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
    const header = [l10n.t('PATH'), l10n.t('SIZE'), l10n.t('DIGEST')];
    for (const i of pages) {
      const rows = files.page(i).map((f) => [f.name, f.size === null ? '-' : formatBytes(f.size), f.ref ? `→ ${f.ref}` : f.digest]);
      ctx.print(null, () => (i === pages[0] ? table(header, rows) : table(header, rows).split('\n').slice(1).join('\n')));
    }
  });

  addGlobalOptions(program.command('manifest').description(l10n.t("print a version's manifest (wandb-artifact-manifest-v1 JSON)")).argument('<ref>')).action(
    async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = makeContext(cmd);
      const a = await ctx.registry.get(ref);
      process.stdout.write(`${JSON.stringify(a.manifest.toJSON(), null, 2)}\n`);
    },
  );
}
