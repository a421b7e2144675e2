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
      .description('log files, folders and references as a new version of a collection')
      .argument('[paths...]', 'files or folders, each optionally PATH=NAME to place it at NAME in the artifact')
      .requiredOption('--name <collection>', 'collection (artifact) name')
      .requiredOption('--type <type>', 'artifact type, e.g. dataset or model')
      .option('--alias <alias>', 'alias to give the new version (repeatable)', collect)
      .option('--tag <tag>', 'tag to give the new version (repeatable)', collect)
      .option('--description <text>', 'description (markdown)')
      .option('--metadata <json>', 'metadata as a JSON object')
      .option('--ttl <duration>', 'time to live: 30d, 12h, none or inherit')
      .option('--incremental', 'merge onto the latest version instead of replacing its contents')
      .option('--reference <uri>', 'add a reference URI[=NAME] (file://, http(s)://, other schemes tracked by URI; repeatable)', collect)
      .option('--policy <policy>', "'mutable' copies files while hashing (safe if they change later); 'immutable' reads them once more when storing", 'mutable')
      .option('--no-checksum', 'references: record the URI instead of checksumming the content')
      .option('--overwrite', 'a later PATH may replace a file an earlier one added at the same place')
      .option('--merge', "a folder's changed files may replace files added before at the same place")
      .option('--skip-cache', 'do not keep the stored files in the local cache (remote registries)'),
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
      { policy: opts.policy as Policy, checksum: opts.checksum, overwrite: opts.overwrite, merge: opts.merge, skipCache: opts.skipCache, signal: ctx.signal, onProgress: (p) => ctx.progress(describeProgress(p)) },
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
