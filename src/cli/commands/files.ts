import { promises as fsp } from 'node:fs';
import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import type { ManifestDiff } from '../../core/diff';
import { ValidationError } from '../../core/errors';
import { formatNumber } from '../../core/l10n';
import { parseTtl } from '../../core/ttl';
import { parseSize } from '../../registry/cache';
import { EXIT_DIFFERENCE } from '../exit-codes';
import { addGlobalOptions, makeContext, type Context } from '../context';
import { requireSubcommand } from './manage';
import { contentDiff, contentDiffOptions, metadataDiffText, type ContentDiffFlags } from './content-diff';
import { describeProgress, type WorkPhase } from '../../app/progress-text';
import type { TransferProgress } from '../../core/artifact-backend';
import { formatBytesChange } from '../../core/units';
import { formatBytes, labelled, oneLine } from '../format';

interface DownloadFlags {
  root?: string;
  pathPrefix?: string;
  skipCache?: boolean;
  allowMissingReferences?: boolean;
}

const fileCount = (n: number) => (n === 1 ? l10n.t('1 file') : l10n.t('{0} files', formatNumber(n)));

function progress(ctx: Context, phase: WorkPhase) {
  return (p: TransferProgress) => ctx.progress(() => describeProgress({ phase, ...p }));
}

export function diffText(d: ManifestDiff & { before: string; after: string }): string {
  const size = (n: number | null) => (n === null ? '?' : formatBytes(n));
  const lines = [`--- ${d.before}`, `+++ ${d.after}`];
  for (const e of d.added) lines.push(`A  ${oneLine(e.path)} (${size(e.size)})`);
  for (const e of d.removed) lines.push(`D  ${oneLine(e.path)} (${size(e.size)})`);
  for (const e of d.modified) lines.push(`M  ${oneLine(e.path)} (${size(e.before.size)} → ${size(e.after.size)})`);
  const n = formatNumber;
  lines.push(l10n.t('{0} added, {1} removed, {2} modified, {3} unchanged; size {4}', n(d.added.length), n(d.removed.length), n(d.modified.length), n(d.unchangedCount), formatBytesChange(d.sizeChange)));
  return lines.join('\n');
}

/** `--min-age 0`, `30m`, `2h`… in milliseconds (undefined: the default). */
export function minAgeMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === '0') return 0;
  let seconds: ReturnType<typeof parseTtl> = null;
  try {
    seconds = parseTtl(text);
  } catch {
    // reported below
  }
  if (typeof seconds !== 'number') throw new ValidationError(l10n.t("Invalid --min-age '{0}': use a duration like 0, 30m, 2h or 1d", text));
  return seconds * 1000;
}

export function registerFiles(program: Command): void {
  const downloadOptions = (cmd: Command) =>
    cmd
      .option('--path-prefix <prefix>', l10n.t('only paths starting with this string'))
      .option('--skip-cache', l10n.t('do not keep fetched bytes in the local cache'))
      .option('--allow-missing-references', l10n.t('skip references whose target is gone instead of failing'));

  addGlobalOptions(
    downloadOptions(
      program
        .command('download')
        .description(l10n.t("write a version's files into a folder (only missing or changed files are written)"))
        .argument('<ref>')
        .option('--root <dir>', l10n.t('destination (default ./artifacts/<collection>-vN)')),
    ),
  ).action(async (ref: string, opts: DownloadFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    // The folder then tracks the version (.artifact.json: `status`, `commit`), unless only part of it was asked for.
    const r = await a.download(opts.root, { ...opts, track: true, signal: ctx.signal, onProgress: progress(ctx, 'downloading') });
    ctx.progress('\n');
    ctx.print({ ref: a.qualifiedName, ...r }, () =>
      r.skipped.length
        ? l10n.t('{0} → {1}: {2} written ({3}), {4} unchanged, {5} skipped', a.qualifiedName, r.root, formatNumber(r.written.length), formatBytes(r.bytesWritten), formatNumber(r.unchanged), formatNumber(r.skipped.length))
        : l10n.t('{0} → {1}: {2} written ({3}), {4} unchanged', a.qualifiedName, r.root, formatNumber(r.written.length), formatBytes(r.bytesWritten), formatNumber(r.unchanged)),
    );
  });

  addGlobalOptions(
    program
      .command('checkout')
      .description(l10n.t('make a folder equal to a version: download, and delete files the version does not have'))
      .argument('<ref>')
      .requiredOption('--root <dir>', l10n.t('the folder to make equal to the version'))
      .option('--yes', l10n.t('delete the listed files without asking'))
      .option('--dry-run', l10n.t('only list what would be deleted')),
  ).action(async (ref: string, opts: { root: string; yes?: boolean; dryRun?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const plan = await a.planCheckout(opts.root);
    const doomed = plan.deletions;
    const root = plan.root;
    if (opts.dryRun) {
      ctx.print({ ref: a.qualifiedName, root, delete: doomed, dryRun: true }, () =>
        doomed.length
          ? [
              doomed.length === 1
                ? l10n.t('checkout of {0} would delete 1 file in {1}:', a.qualifiedName, root)
                : l10n.t('checkout of {0} would delete {1} files in {2}:', a.qualifiedName, formatNumber(doomed.length), root),
              ...doomed.map((p) => `  ${p}`),
            ].join('\n')
          : l10n.t('checkout of {0} would delete nothing in {1}', a.qualifiedName, root),
      );
      return;
    }
    if (doomed.length > 0 && !opts.yes) {
      const heading = doomed.length === 1 ? l10n.t('checkout would delete 1 file in {0}:', root) : l10n.t('checkout would delete {0} files in {1}:', formatNumber(doomed.length), root);
      process.stderr.write([heading, ...doomed.map((p) => `  ${p}`), ''].join('\n'));
      throw new ValidationError(
        doomed.length === 1
          ? l10n.t('Refusing to delete 1 file without --yes (use --dry-run to only list it)')
          : l10n.t('Refusing to delete {0} files without --yes (use --dry-run to only list them)', formatNumber(doomed.length)),
      );
    }
    const r = await plan.execute({ track: true, signal: ctx.signal, onProgress: progress(ctx, 'checking out') }); // l10n-ignore: a WorkPhase value
    ctx.progress('\n');
    ctx.print({ ref: a.qualifiedName, ...r }, () =>
      [
        ...r.deleted.map((p) => l10n.t('deleted {0}', p)),
        ...r.keptUnplanned.map((p) => l10n.t('kept    {0} (appeared after the plan was made)', p)),
        l10n.t('{0} → {1}: {2} written, {3} unchanged, {4} deleted', a.qualifiedName, r.root, formatNumber(r.written.length), formatNumber(r.unchanged), formatNumber(r.deleted.length)),
      ].join('\n'),
    );
    if (r.keptUnplanned.length > 0) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    program
      .command('verify')
      .description(l10n.t('compare a folder with a version by content (exit 1 when they differ)'))
      .argument('<ref>')
      .option('--root <dir>', l10n.t('the folder (default ./artifacts/<collection>-vN)'))
      .option('--fast', l10n.t('trust files whose size, times and inode still match what a download by this tool recorded (default: hash every file)')),
  ).action(async (ref: string, opts: { root?: string; fast?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const r = await a.verify(opts.root, { signal: ctx.signal, fast: opts.fast });
    const root = r.root;
    ctx.print({ ref: a.qualifiedName, ...r }, () => {
      const lines = [
        ...r.missing.map((p) => l10n.t('missing   {0}', p)),
        ...r.modified.map((p) => l10n.t('modified  {0}', p)),
        ...r.extra.map((p) => l10n.t('extra     {0}', p)),
      ];
      const skipped = r.referencesSkipped;
      if (r.ok) {
        const files = fileCount(r.matched);
        lines.push(
          skipped === 0
            ? l10n.t('OK: {0} matches {1}, {2}', root, a.qualifiedName, files)
            : skipped === 1
              ? l10n.t('OK: {0} matches {1}, {2} (1 reference not checked)', root, a.qualifiedName, files)
              : l10n.t('OK: {0} matches {1}, {2} ({3} references not checked)', root, a.qualifiedName, files, formatNumber(skipped)),
        );
      } else {
        const [missing, modified, extra] = [r.missing.length, r.modified.length, r.extra.length].map(formatNumber);
        lines.push(
          skipped === 0
            ? l10n.t('DIFFERENT: {0} does not match {1}: {2} missing, {3} modified, {4} extra', root, a.qualifiedName, missing, modified, extra)
            : skipped === 1
              ? l10n.t('DIFFERENT: {0} does not match {1}: {2} missing, {3} modified, {4} extra (1 reference not checked)', root, a.qualifiedName, missing, modified, extra)
              : l10n.t('DIFFERENT: {0} does not match {1}: {2} missing, {3} modified, {4} extra ({5} references not checked)', root, a.qualifiedName, missing, modified, extra, formatNumber(skipped)),
        );
      }
      return lines.join('\n');
    });
    if (!r.ok) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    contentDiffOptions(program
      .command('diff')
      .description(l10n.t('compare two versions, or a version with a folder (exit 1 when they differ, like diff)'))
      .argument('<ref-a>')
      .argument('<ref-b-or-dir>', l10n.t('another version, or a folder (an existing folder wins; write name:latest to force a version)'))),
  ).action(async (a: string, b: string, opts: ContentDiffFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const isFolder = !b.includes(':') && (await fsp.stat(b).then((s) => s.isDirectory(), () => false));
    if (await contentDiff(ctx, a, b, isFolder, opts)) return;
    const d = await ctx.registry.diff(a, isFolder ? { folder: b } : b);
    const metadata = await metadataDiffText(ctx.registry, a, b, isFolder);
    ctx.print(d, () => diffText(d) + metadata);
    if (d.added.length + d.removed.length + d.modified.length > 0) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    downloadOptions(program.command('file').description(l10n.t('download a single-file version and print its path')).argument('<ref>').option('--root <dir>', l10n.t('destination folder'))),
  ).action(async (ref: string, opts: DownloadFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const file = await a.file(opts.root);
    ctx.print({ ref: a.qualifiedName, path: file }, () => file);
  });

  const cache = program.command('cache').description(l10n.t('the local cache of stored files'));
  requireSubcommand(cache);
  addGlobalOptions(cache.command('info').description(l10n.t('size and file count of the local cache'))).action(async (_opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const i = await ctx.registry.cacheInfo();
    ctx.print(i, () =>
      labelled([
        [l10n.t('location'), i.location],
        [l10n.t('files'), `${formatNumber(i.files)} (${formatBytes(i.bytes)})`],
        [l10n.t('references'), `${formatNumber(i.referenceFiles)} (${formatBytes(i.referenceBytes)})`],
        [l10n.t('live'), l10n.t('{0} ({1}) needed by versions of the local registry, never cleaned up', formatNumber(i.liveFiles), formatBytes(i.liveBytes))],
      ]),
    );
  });
  addGlobalOptions(
    cache
      .command('cleanup')
      .description(l10n.t("shrink the cache to SIZE, least recently used first (never a live version's file)"))
      .argument('<size>', l10n.t('e.g. 10GB, 500MiB, 0'))
      .option('--min-age <duration>', l10n.t('keep files younger than this (default 1h: an in-flight log may need them; lower is unsafe while logs run)')),
  ).action(async (size: string, opts: { minAge?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.cacheCleanup(parseSize(size), { graceMs: minAgeMs(opts.minAge) });
    ctx.print(r, () =>
      r.reachedTarget
        ? l10n.t('removed {0} ({1}); the cache now holds {2}', fileCount(r.removedFiles), formatBytes(r.freedBytes), formatBytes(r.remainingBytes))
        : l10n.t('removed {0} ({1}); the cache now holds {2} — still above {3}: the rest is needed by live versions', fileCount(r.removedFiles), formatBytes(r.freedBytes), formatBytes(r.remainingBytes), size),
    );
  });
}
