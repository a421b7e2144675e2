import type { Command } from 'commander';
import { digestOf } from '../../app/log-version';
import { describeProgress } from '../../app/progress-text';
import { minAgeMs } from './files';
import { EXIT_DIFFERENCE } from '../exit-codes';
import { addGlobalOptions, makeContext } from '../context';
import { plural } from '../../core/units';
import { formatBytes } from '../format';

export function registerMaintenance(program: Command): void {
  addGlobalOptions(
    program
      .command('gc')
      .description('expire versions whose TTL passed and remove stored files no live version needs')
      .option('--min-age <duration>', 'keep unreferenced files younger than this (default 1h: an in-flight log may need them; lower is unsafe while logs run)'),
  ).action(async (opts: { minAge?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.gc({ graceMs: minAgeMs(opts.minAge) });
    ctx.print(r, () =>
      [
        ...r.expired.map((ref) => `expired ${ref}`),
        `removed ${plural(r.deletedBlobs, 'stored file')} (${formatBytes(r.freedBytes)}), ${plural(r.deletedManifests, 'manifest')}, ${plural(r.removedTemp, 'temp file')}`,
      ].join('\n'),
    );
  });

  addGlobalOptions(
    program
      .command('fsck')
      .description('check every collection, manifest and stored file (re-hashed); exit 1 when something is wrong')
      .option('--repair', 'remove dangling aliases and move damaged objects to quarantine/ (never deletes a file a version needs)'),
  ).action(async (opts: { repair?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.fsck({
      repair: Boolean(opts.repair),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(`checking ${p.phase} ${p.done}${p.total !== undefined ? `/${p.total}` : ''}`),
    });
    ctx.progress('\n');
    ctx.print(r, () =>
      [
        ...r.problems.map((p) => `${p.kind.padEnd(18)} ${p.subject}: ${p.detail}${p.repaired ? ` [repaired: ${p.repaired}]` : ''}`),
        `${r.problems.length === 0 ? 'OK' : `${plural(r.problems.length, 'problem')}`}: checked ${plural(r.collections, 'collection')}, ${plural(r.manifests, 'manifest')}, ${plural(r.blobs, 'stored file')}`,
      ].join('\n'),
    );
    if (r.problems.some((p) => !p.repaired)) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    program
      .command('digest')
      .description('print the artifact digest a file or folder would get, without logging it')
      .argument('<path>'),
  ).action(async (target: string, _opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const m = await digestOf([{ localPath: target }], { signal: ctx.signal, onProgress: (p) => ctx.progress(describeProgress(p)) });
    ctx.progress('');
    ctx.print({ digest: m.digest, size: m.size, fileCount: m.fileCount }, () => m.digest);
  });
}
