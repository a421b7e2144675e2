import type { Command } from 'commander';
import { digestOf } from '../../app/log-version';
import { describeProgress } from '../../app/progress-text';
import { minAgeMs } from './files';
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
