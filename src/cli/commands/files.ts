import { promises as fsp } from 'node:fs';
import type { Command } from 'commander';
import type { ManifestDiff } from '../../core/diff';
import { ValidationError } from '../../core/errors';
import { parseTtl } from '../../core/ttl';
import { parseSize } from '../../registry/cache';
import { EXIT_DIFFERENCE } from '../exit-codes';
import { addGlobalOptions, makeContext, type Context } from '../context';
import { requireSubcommand } from './manage';
import { contentDiff, contentDiffOptions, metadataDiffText, type ContentDiffFlags } from './content-diff';
import { describeProgress, type WorkPhase } from '../../app/progress-text';
import type { TransferProgress } from '../../core/artifact-backend';
import { formatBytesChange, plural } from '../../core/units';
import { formatBytes, oneLine } from '../format';

interface DownloadFlags {
  root?: string;
  pathPrefix?: string;
  skipCache?: boolean;
  allowMissingReferences?: boolean;
}

function progress(ctx: Context, phase: WorkPhase) {
  return (p: TransferProgress) => ctx.progress(describeProgress({ phase, ...p }));
}

export function diffText(d: ManifestDiff & { before: string; after: string }): string {
  const size = (n: number | null) => (n === null ? '?' : formatBytes(n));
  const lines = [`--- ${d.before}`, `+++ ${d.after}`];
  for (const e of d.added) lines.push(`A  ${oneLine(e.path)} (${size(e.size)})`);
  for (const e of d.removed) lines.push(`D  ${oneLine(e.path)} (${size(e.size)})`);
  for (const e of d.modified) lines.push(`M  ${oneLine(e.path)} (${size(e.before.size)} → ${size(e.after.size)})`);
  lines.push(`${d.added.length} added, ${d.removed.length} removed, ${d.modified.length} modified, ${d.unchangedCount} unchanged; size ${formatBytesChange(d.sizeChange)}`);
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
  if (typeof seconds !== 'number') throw new ValidationError(`Invalid --min-age '${text}': use a duration like 0, 30m, 2h or 1d`);
  return seconds * 1000;
}

export function registerFiles(program: Command): void {
  const downloadOptions = (cmd: Command) =>
    cmd
      .option('--path-prefix <prefix>', 'only paths starting with this string')
      .option('--skip-cache', 'do not keep fetched bytes in the local cache')
      .option('--allow-missing-references', 'skip references whose target is gone instead of failing');

  addGlobalOptions(
    downloadOptions(
      program
        .command('download')
        .description("write a version's files into a folder (only missing or changed files are written)")
        .argument('<ref>')
        .option('--root <dir>', 'destination (default ./artifacts/<collection>-vN)'),
    ),
  ).action(async (ref: string, opts: DownloadFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const r = await a.download(opts.root, { ...opts, signal: ctx.signal, onProgress: progress(ctx, 'downloading') });
    ctx.progress('\n');
    ctx.print({ ref: a.qualifiedName, ...r }, () => `${a.qualifiedName} → ${r.root}: ${r.written.length} written (${formatBytes(r.bytesWritten)}), ${r.unchanged} unchanged${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}`);
  });

  addGlobalOptions(
    program
      .command('checkout')
      .description('make a folder equal to a version: download, and delete files the version does not have')
      .argument('<ref>')
      .requiredOption('--root <dir>', 'the folder to make equal to the version')
      .option('--yes', 'delete the listed files without asking')
      .option('--dry-run', 'only list what would be deleted'),
  ).action(async (ref: string, opts: { root: string; yes?: boolean; dryRun?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const plan = await a.planCheckout(opts.root);
    const doomed = plan.deletions;
    const root = plan.root;
    if (opts.dryRun) {
      ctx.print({ ref: a.qualifiedName, root, delete: doomed, dryRun: true }, () =>
        doomed.length ? [`checkout of ${a.qualifiedName} would delete ${plural(doomed.length, 'file')} in ${root}:`, ...doomed.map((p) => `  ${p}`)].join('\n') : `checkout of ${a.qualifiedName} would delete nothing in ${root}`,
      );
      return;
    }
    if (doomed.length > 0 && !opts.yes) {
      process.stderr.write([`checkout would delete ${plural(doomed.length, 'file')} in ${root}:`, ...doomed.map((p) => `  ${p}`), ''].join('\n'));
      throw new ValidationError(`Refusing to delete ${plural(doomed.length, 'file')} without --yes (use --dry-run to only list them)`);
    }
    const r = await plan.execute({ signal: ctx.signal, onProgress: progress(ctx, 'checking out') });
    ctx.progress('\n');
    ctx.print({ ref: a.qualifiedName, ...r }, () =>
      [
        ...r.deleted.map((p) => `deleted ${p}`),
        ...r.keptUnplanned.map((p) => `kept    ${p} (appeared after the plan was made)`),
        `${a.qualifiedName} → ${r.root}: ${r.written.length} written, ${r.unchanged} unchanged, ${r.deleted.length} deleted`,
      ].join('\n'),
    );
    if (r.keptUnplanned.length > 0) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    program
      .command('verify')
      .description('compare a folder with a version by content (exit 1 when they differ)')
      .argument('<ref>')
      .option('--root <dir>', 'the folder (default ./artifacts/<collection>-vN)')
      .option('--fast', 'trust files whose size, times and inode still match what a download by this tool recorded (default: hash every file)'),
  ).action(async (ref: string, opts: { root?: string; fast?: boolean }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const r = await a.verify(opts.root, { signal: ctx.signal, fast: opts.fast });
    const root = r.root;
    ctx.print({ ref: a.qualifiedName, ...r }, () => {
      const lines = [...r.missing.map((p) => `missing   ${p}`), ...r.modified.map((p) => `modified  ${p}`), ...r.extra.map((p) => `extra     ${p}`)];
      const refs = r.referencesSkipped ? ` (${r.referencesSkipped} references not checked)` : '';
      lines.push(r.ok ? `OK: ${root} matches ${a.qualifiedName}, ${plural(r.matched, 'file')}${refs}` : `DIFFERENT: ${root} does not match ${a.qualifiedName}: ${r.missing.length} missing, ${r.modified.length} modified, ${r.extra.length} extra${refs}`);
      return lines.join('\n');
    });
    if (!r.ok) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    contentDiffOptions(program
      .command('diff')
      .description('compare two versions, or a version with a folder (exit 1 when they differ, like diff)')
      .argument('<ref-a>')
      .argument('<ref-b-or-dir>', 'another version, or a folder (an existing folder wins; write name:latest to force a version)')),
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
    downloadOptions(program.command('file').description('download a single-file version and print its path').argument('<ref>').option('--root <dir>', 'destination folder')),
  ).action(async (ref: string, opts: DownloadFlags, cmd: Command) => {
    const ctx = makeContext(cmd);
    const a = await ctx.registry.get(ref);
    const file = await a.file(opts.root);
    ctx.print({ ref: a.qualifiedName, path: file }, () => file);
  });

  const cache = program.command('cache').description('the local cache of stored files');
  requireSubcommand(cache);
  addGlobalOptions(cache.command('info').description('size and file count of the local cache')).action(async (_opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const i = await ctx.registry.cacheInfo();
    ctx.print(i, () =>
      [
        `location    ${i.location}`,
        `files       ${i.files} (${formatBytes(i.bytes)})`,
        `references  ${i.referenceFiles} (${formatBytes(i.referenceBytes)})`,
        `live        ${i.liveFiles} (${formatBytes(i.liveBytes)}) needed by versions of the local registry, never cleaned up`,
      ].join('\n'),
    );
  });
  addGlobalOptions(
    cache
      .command('cleanup')
      .description("shrink the cache to SIZE, least recently used first (never a live version's file)")
      .argument('<size>', 'e.g. 10GB, 500MiB, 0')
      .option('--min-age <duration>', 'keep files younger than this (default 1h: an in-flight log may need them; lower is unsafe while logs run)'),
  ).action(async (size: string, opts: { minAge?: string }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const r = await ctx.registry.cacheCleanup(parseSize(size), { graceMs: minAgeMs(opts.minAge) });
    ctx.print(r, () =>
      `removed ${plural(r.removedFiles, 'file')} (${formatBytes(r.freedBytes)}); the cache now holds ${formatBytes(r.remainingBytes)}${r.reachedTarget ? '' : ` — still above ${size}: the rest is needed by live versions`}`,
    );
  });
}
