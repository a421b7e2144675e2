import { promises as fsp } from 'node:fs';
import type { Command } from 'commander';
import { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import { addGlobalOptions, makeContext } from '../context';
import { plural } from '../../core/units';
import { formatBytes } from '../format';

export function registerMaintenance(program: Command): void {
  addGlobalOptions(
    program.command('gc').description('expire versions whose TTL passed and remove stored files no live version needs'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.gc();
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
    const st = await fsp.stat(target).catch(() => undefined);
    if (!st) throw new ValidationError(`No such file or folder: ${target}`);
    const draft = new Artifact('digest', 'digest');
    if (st.isDirectory()) await draft.addDir(target, { policy: 'immutable', onProgress: (p) => ctx.progress(`hashing ${p.files}/${p.totalFiles} files`) });
    else await draft.addFile(target, { policy: 'immutable' });
    ctx.progress('');
    const m = draft.manifest;
    ctx.print({ digest: m.digest, size: m.size, fileCount: m.fileCount }, () => m.digest);
  });
}
