import { existsSync, promises as fsp } from 'node:fs';
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors';
import { parseTtl } from '../../core/ttl';
import { validateMetadata } from '../../core/validate';
import type { Policy } from '../../core/artifact';
import { addGlobalOptions, makeContext } from '../context';
import { formatBytes } from '../format';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `PATH=NAME` → [PATH, NAME]; a PATH that exists as written (even with `=`) has no NAME. */
export function splitPlacement(arg: string): { source: string; name?: string } {
  const eq = arg.lastIndexOf('=');
  if (eq <= 0 || existsSync(arg)) return { source: arg };
  return { source: arg.slice(0, eq), name: arg.slice(eq + 1) };
}

/**
 * `URI=NAME`. In a URI with a query string the query's own `k=v` pairs stay intact: NAME is split off
 * only when the last parameter holds a second `=` (`https://h/p?x=1=data.csv`).
 */
export function splitReference(arg: string): { uri: string; name?: string } {
  const q = arg.indexOf('?');
  const lastSegment = q < 0 ? arg : arg.slice(Math.max(arg.lastIndexOf('&'), q) + 1);
  const needed = q < 0 ? 1 : 2;
  if ((lastSegment.match(/=/g) ?? []).length < needed) return { uri: arg };
  const eq = arg.lastIndexOf('=');
  return { uri: arg.slice(0, eq), name: arg.slice(eq + 1) };
}

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
      .option('--no-checksum', 'references: record the URI instead of checksumming the content'),
  ).action(async (paths: string[], opts: LogOpts, cmd: Command) => {
    const ctx = makeContext(cmd);
    if (paths.length === 0 && !opts.reference?.length) {
      throw new ValidationError('Nothing to log: give at least one PATH or --reference');
    }
    const metadata = opts.metadata === undefined ? undefined : validateMetadata(opts.metadata);
    const ttl = opts.ttl === undefined ? undefined : parseTtl(opts.ttl);
    const artifact = ctx.registry.newArtifact(opts.name, opts.type, {
      description: opts.description ?? null,
      metadata,
      incremental: opts.incremental,
    });
    if (ttl !== undefined) artifact.ttl = ttl;
    const policy = opts.policy as Policy;
    try {
      for (const arg of paths) {
        const { source, name } = splitPlacement(arg);
        const st = await fsp.stat(source).catch(() => undefined);
        if (!st) throw new ValidationError(`No such file or folder: ${source}`);
        if (st.isDirectory()) {
          await artifact.addDir(source, {
            name,
            policy,
            onProgress: (p) => ctx.progress(`hashing ${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)}`),
          });
        } else {
          await artifact.addFile(source, { name, policy });
        }
      }
      for (const arg of opts.reference ?? []) {
        const { uri, name } = splitReference(arg);
        await artifact.addReference(uri, { name, checksum: opts.checksum });
      }
      const { artifact: logged, deduplicated } = await ctx.registry.log(artifact, {
        aliases: opts.alias,
        tags: opts.tag,
        onProgress: (p) => ctx.progress(`storing ${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)}/${formatBytes(p.totalBytes)}`),
      });
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
    } finally {
      if (artifact.isDraft()) await artifact.discardStaging();
    }
  });
}
