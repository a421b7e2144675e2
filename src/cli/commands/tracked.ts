/**
 * `status [DIR]` and `commit [DIR]`: a tracked folder (one that `download` or `checkout` wrote its
 * `.artifact.json` into) against its version, like `git status --short`, and logged as the next
 * version of its collection. The use cases are app/tracked-folder.ts, shared with the extension.
 */
import * as l10n from '@vscode/l10n';
import type { Command } from 'commander';
import { commitTracked, folderStatus, registryOfTracked, trackedFolderOf, type FolderStatus } from '../../app/tracked-folder';
import { describeProgress } from '../../app/progress-text';
import { formatNumber } from '../../core/l10n';
import { trackedRef } from '../../core/tracking';
import { addGlobalOptions, makeContext, type GlobalOptions } from '../context';
import { EXIT_DIFFERENCE } from '../exit-codes';
import { oneLine } from '../format';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `M path`, `A path`, `D path` lines, in that order (each group sorted). */
export function statusLines(s: Pick<FolderStatus, 'modified' | 'added' | 'deleted'>): string[] {
  return [...s.modified.map((p) => `M  ${oneLine(p)}`), ...s.added.map((p) => `A  ${oneLine(p)}`), ...s.deleted.map((p) => `D  ${oneLine(p)}`)];
}

function statusJson(s: FolderStatus) {
  return {
    root: s.root,
    ref: s.ref,
    digest: s.tracking.digest,
    registry: s.tracking.registry ?? null,
    trackedAt: s.tracking.trackedAt,
    clean: s.clean,
    modified: s.modified,
    added: s.added,
    deleted: s.deleted,
    referencesSkipped: s.referencesSkipped,
  };
}

export function registerTracked(program: Command): void {
  addGlobalOptions(
    program
      .command('status')
      .description(l10n.t('what changed in a tracked folder since its version (exit 1 when it differs)'))
      .argument('[dir]', l10n.t('the tracked folder or a folder inside it (default: the current folder)')),
  ).action(async (dir: string | undefined, _opts: unknown, cmd: Command) => {
    const ctx = makeContext(cmd);
    const folder = await trackedFolderOf(dir ?? process.cwd());
    const registry = registryOfTracked(folder.tracking, { location: cmd.optsWithGlobals<GlobalOptions>().registry });
    const s = await folderStatus(registry, folder, { signal: ctx.signal, onProgress: (p) => ctx.progress(() => describeProgress({ phase: 'hashing', ...p })) });
    ctx.progress('\n');
    ctx.print(statusJson(s), () => {
      const head = l10n.t('{0} tracks {1}', s.root, s.ref);
      if (s.clean) return [head, l10n.t('nothing to commit: the folder equals the version')].join('\n');
      const [m, a, d] = [s.modified.length, s.added.length, s.deleted.length].map(formatNumber);
      return [head, ...statusLines(s), l10n.t('{0} modified, {1} added, {2} deleted', m, a, d)].join('\n');
    });
    if (!s.clean) process.exitCode = EXIT_DIFFERENCE;
  });

  addGlobalOptions(
    program
      .command('commit')
      .description(l10n.t('log a tracked folder as the next version of its collection, then track that version'))
      .argument('[dir]', l10n.t('the tracked folder or a folder inside it (default: the current folder)'))
      .option('-m, --message <text>', l10n.t("the new version's description"))
      .option('--alias <alias>', l10n.t('alias to give the new version (repeatable)'), collect)
      .option('--tag <tag>', l10n.t('tag to give the new version (repeatable)'), collect),
  ).action(async (dir: string | undefined, opts: { message?: string; alias?: string[]; tag?: string[] }, cmd: Command) => {
    const ctx = makeContext(cmd);
    const folder = await trackedFolderOf(dir ?? process.cwd());
    const registry = registryOfTracked(folder.tracking, { location: cmd.optsWithGlobals<GlobalOptions>().registry });
    const r = await commitTracked(registry, folder, { message: opts.message, aliases: opts.alias, tags: opts.tag }, { signal: ctx.signal, onProgress: (p) => ctx.progress(() => describeProgress(p)) });
    ctx.progress('\n');
    const a = r.artifact;
    ctx.print(
      { ref: a.qualifiedName, previous: r.previous, root: folder.root, version: a.version, digest: a.digest, fileCount: a.fileCount, aliases: a.aliases, tags: a.tags, description: a.description, deduplicated: r.deduplicated },
      () =>
        r.deduplicated
          ? l10n.t('{0} equals {1}, the latest version: no new version was made; the folder now tracks it', folder.root, trackedRef(r.tracking))
          : l10n.t('{0} → {1} (was {2})', folder.root, a.qualifiedName, r.previous),
    );
  });
}
