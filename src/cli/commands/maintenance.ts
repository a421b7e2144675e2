import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import { digestOf } from '../../app/log-version';
import { describeProgress } from '../../app/progress-text';
import { formatNumber } from '../../core/l10n';
import type { FsckProgress } from '../../registry/fsck';
import { minAgeMs } from './files';
import { EXIT_DIFFERENCE } from '../exit-codes';
import { addGlobalOptions, makeContext } from '../context';
import { formatBytes } from '../format';

const storedFiles = (n: number) => (n === 1 ? l10n.t('1 stored file') : l10n.t('{0} stored files', formatNumber(n)));
const manifests = (n: number) => (n === 1 ? l10n.t('1 manifest') : l10n.t('{0} manifests', formatNumber(n)));
const tempFiles = (n: number) => (n === 1 ? l10n.t('1 temp file') : l10n.t('{0} temp files', formatNumber(n)));
const collections = (n: number) => (n === 1 ? l10n.t('1 collection') : l10n.t('{0} collections', formatNumber(n)));

/** `checking manifests 10/200`, one message per phase. */
function fsckProgress(p: FsckProgress): string {
  const done = formatNumber(p.done);
  if (p.total === undefined) {
    switch (p.phase) {
      case 'collections':
        return l10n.t('checking collections {0}', done);
      case 'manifests':
        return l10n.t('checking manifests {0}', done);
      case 'blobs':
        return l10n.t('checking stored files {0}', done);
    }
  }
  const total = formatNumber(p.total);
  switch (p.phase) {
    case 'collections':
      return l10n.t('checking collections {0}/{1}', done, total);
    case 'manifests':
      return l10n.t('checking manifests {0}/{1}', done, total);
    case 'blobs':
      return l10n.t('checking stored files {0}/{1}', done, total);
  }
}

export function registerMaintenance(program: Command): void {
  addGlobalOptions(
    program
      .command('gc')
      .description(l10n.t('expire versions whose TTL passed and remove stored files no live version needs'))
      .option('--min-age <duration>', l10n.t('keep unreferenced files younger than this (default 1h: an in-flight log may need them; lower is unsafe while logs run)')),
  ).action(async (opts: { minAge?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.gc({ graceMs: minAgeMs(opts.minAge) });
    ctx.print(r, () =>
      [
        ...r.expired.map((ref) => l10n.t('expired {0}', ref)),
        l10n.t('removed {0} ({1}), {2}, {3}', storedFiles(r.deletedBlobs), formatBytes(r.freedBytes), manifests(r.deletedManifests), tempFiles(r.removedTemp)),
      ].join('\n'),
    );
  });

  addGlobalOptions(
    program
      .command('fsck')
      .description(l10n.t('check every collection, manifest and stored file (re-hashed); exit 1 when something is wrong'))
      .option('--repair', l10n.t('remove dangling aliases and move damaged objects to quarantine/ (never deletes a file a version needs)')),
  ).action(async (opts: { repair?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.fsck({
      repair: Boolean(opts.repair),
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(() => fsckProgress(p)),
    });
    ctx.progress('\n');
    ctx.print(r, () =>
      [
        // The kind is a code (dangling-alias), as in --json; the subject and detail are the registry's.
        ...r.problems.map((p) => (p.repaired ? l10n.t('{0} {1}: {2} [repaired: {3}]', p.kind.padEnd(18), p.subject, p.detail, p.repaired) : `${p.kind.padEnd(18)} ${p.subject}: ${p.detail}`)),
        r.problems.length === 0
          ? l10n.t('OK: checked {0}, {1}, {2}', collections(r.collections), manifests(r.manifests), storedFiles(r.blobs))
          : r.problems.length === 1
            ? l10n.t('1 problem: checked {0}, {1}, {2}', collections(r.collections), manifests(r.manifests), storedFiles(r.blobs))
            : l10n.t('{0} problems: checked {1}, {2}, {3}', formatNumber(r.problems.length), collections(r.collections), manifests(r.manifests), storedFiles(r.blobs)),
      ].join('\n'),
    );
    if (r.problems.some((p) => !p.repaired)) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    program
      .command('digest')
      .description(l10n.t('print the artifact digest a file or folder would get, without logging it'))
      .argument('<path>'),
  ).action(async (target: string, _opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const m = await digestOf([{ localPath: target }], { signal: ctx.signal, onProgress: (p) => ctx.progress(() => describeProgress(p)) });
    ctx.progress('');
    ctx.print({ digest: m.digest, size: m.size, fileCount: m.fileCount }, () => m.digest);
  });
}
