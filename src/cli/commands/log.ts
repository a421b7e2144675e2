import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import { parsePlacement, parseReferenceArg } from '../../app/sources';
import { logVersion } from '../../app/log-version';
import { describeProgress } from '../../app/progress-text';
import type { Policy } from '../../core/artifact';
import { parseTtl } from '../../core/ttl';
import { validateMetadata } from '../../core/validate';
import { addGlobalOptions, makeContext } from '../context';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface LogOpts {
  name: string;
  type: string;
  alias?: string[];
  tag?: string[];
  description?: string;
  metadata?: string;
  ttl?: string;
  incremental?: boolean;
  reference?: string[];
  policy: string;
  checksum: boolean;
  overwrite?: boolean;
  merge?: boolean;
  skipCache?: boolean;
}

export function registerLog(program: Command): void {
  addGlobalOptions(
    program
      .command('log')
      .description(l10n.t('log files, folders and references as a new version of a collection'))
      .argument('[paths...]', l10n.t('files or folders, each optionally PATH=NAME to place it at NAME in the artifact'))
      .requiredOption('--name <collection>', l10n.t('collection (artifact) name'))
      .requiredOption('--type <type>', l10n.t('artifact type, e.g. dataset or model'))
      .option('--alias <alias>', l10n.t('alias to give the new version (repeatable)'), collect)
      .option('--tag <tag>', l10n.t('tag to give the new version (repeatable)'), collect)
      .option('--description <text>', l10n.t('description (markdown)'))
      .option('--metadata <json>', l10n.t('metadata as a JSON object'))
      .option('--ttl <duration>', l10n.t('time to live: 30d, 12h, none or inherit'))
      .option('--incremental', l10n.t('merge onto the latest version instead of replacing its contents'))
      .option('--reference <uri>', l10n.t('add a reference URI[=NAME] (file://, http(s)://, other schemes tracked by URI; repeatable)'), collect)
      .option('--policy <policy>', l10n.t("'mutable' copies files while hashing (safe if they change later); 'immutable' reads them once more when storing"), 'mutable')
      .option('--no-checksum', l10n.t('references: record the URI instead of checksumming the content'))
      .option('--overwrite', l10n.t('a later PATH may replace a file an earlier one added at the same place'))
      .option('--merge', l10n.t("a folder's changed files may replace files added before at the same place"))
      .option('--skip-cache', l10n.t('do not keep the stored files in the local cache (remote registries)')),
  ).action(async (paths: string[], opts: LogOpts, cmd: Command) => {
    const ctx = makeContext(cmd);
    const { artifact: logged, deduplicated } = await logVersion(
      ctx.registry,
      {
        name: opts.name,
        type: opts.type,
        paths: paths.map(parsePlacement),
        references: (opts.reference ?? []).map(parseReferenceArg),
        description: opts.description ?? null,
        metadata: opts.metadata === undefined ? undefined : validateMetadata(opts.metadata),
        ttl: opts.ttl === undefined ? undefined : parseTtl(opts.ttl),
        incremental: opts.incremental,
        aliases: opts.alias,
        tags: opts.tag,
      },
      { policy: opts.policy as Policy, checksum: opts.checksum, overwrite: opts.overwrite, merge: opts.merge, skipCache: opts.skipCache, signal: ctx.signal, onProgress: (p) => ctx.progress(() => describeProgress(p)) },
    );
    ctx.progress('\n');
    ctx.print(
      {
        ref: logged.qualifiedName,
        name: logged.name,
        collection: logged.collectionName,
        version: logged.version,
        digest: logged.digest,
        size: logged.size,
        fileCount: logged.fileCount,
        aliases: logged.aliases,
        tags: logged.tags,
        deduplicated,
      },
      () => logged.qualifiedName,
    );
  });
}
