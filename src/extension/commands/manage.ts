/** Managing a logged version: aliases, tags, description, metadata, TTL, links, delete, lineage. */
import * as vscode from 'vscode';
import type { Artifact } from '../../core/artifact';
import { editVersion, type VersionEdit } from '../../app/edit-version';
import { defaultRegistryRoot } from '../../core/config';
import { ValidationError } from '../../core/errors';
import { formatTtl, parseTtl } from '../../core/ttl';
import { validateAliases, validateMetadata, validateTags } from '../../core/validate';
import { parseCollectionPath } from '../../registry/refs';
import type { Failure } from '../ui/errors';
import { askValidated, splitList } from '../ui/input';
import { COMMANDS, type CommandId } from './ids';
import { maintenanceCommands } from './maintenance';
import { openVersionHandler } from './open-version';
import { registerCommand } from './register';
import { collectionOf, isVersionNode, sourceCollectionOf, versionArg, type Services } from './services';

/** Applies an edit through the one edit use case; only the version's collection is re-read. `done` words the status bar message. */
async function edit(s: Services, a: Artifact, changes: VersionEdit, done: (version: string) => string): Promise<void> {
  await editVersion(a, changes);
  await s.tree.refresh([collectionOf(a), sourceCollectionOf(a)]);
  void vscode.window.setStatusBarMessage(done(a.qualifiedName), 4000);
}

/** Removes a link (its source stays), after a modal confirmation. */
async function unlink(s: Services, a: Artifact): Promise<void> {
  if (!a.isLink) throw new ValidationError(vscode.l10n.t('{0} is not a link: delete it instead', a.qualifiedName));
  const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Remove the link {0}? The source {1} stays.', a.qualifiedName, a.sourceQualifiedName), { modal: true }, vscode.l10n.t('Unlink'));
  if (!ok) return;
  await a.unlink();
  await s.tree.refresh([collectionOf(a)]);
}

/** The `artifacts` command that downloads this version, with --registry when it is not the default. */
export function downloadCommand(a: Artifact, registryLocation: string, defaultLocation: string): string {
  const registry = registryLocation === defaultLocation ? '' : ` --registry ${JSON.stringify(registryLocation)}`;
  return `artifacts${registry} download ${a.qualifiedName}`; // l10n-ignore: a command line
}

export function manageCommands(s: Services): vscode.Disposable[] {
  const withVersion = (id: CommandId, failed: Failure, placeHolder: () => string, run: (a: Artifact) => Promise<void>) =>
    registerCommand(id, failed, async (arg?: unknown) => {
      const a = await versionArg(s, arg, placeHolder());
      if (a) await run(a);
    });

  return [
    withVersion(
      COMMANDS.addAlias,
      (m) => vscode.l10n.t('Could not add an alias: {0}', m),
      () => vscode.l10n.t('Add an alias to which version?'),
      async (a) => {
        const aliases = await askValidated({ prompt: vscode.l10n.t('Aliases to add to {0} (comma-separated; an alias moves here from another version)', a.qualifiedName) }, (v) => {
          const list = validateAliases(splitList(v), { allowLatest: false });
          if (list.length === 0) throw new ValidationError(vscode.l10n.t('Enter at least one alias'));
          return list;
        });
        if (aliases) await edit(s, a, { addAliases: aliases }, (v) => vscode.l10n.t('Added aliases to {0}', v));
      },
    ),

    withVersion(
      COMMANDS.removeAlias,
      (m) => vscode.l10n.t('Could not remove an alias: {0}', m),
      () => vscode.l10n.t('Remove an alias from which version?'),
      async (a) => {
        const removable = a.aliases.filter((x) => x !== 'latest');
        if (removable.length === 0) throw new ValidationError(vscode.l10n.t("{0} has no aliases to remove ('latest' is managed)", a.qualifiedName));
        const picks = await vscode.window.showQuickPick(removable, { canPickMany: true, placeHolder: vscode.l10n.t('Aliases to remove from {0}', a.qualifiedName) });
        if (picks?.length) await edit(s, a, { removeAliases: picks }, (v) => vscode.l10n.t('Removed aliases from {0}', v));
      },
    ),

    withVersion(
      COMMANDS.addTag,
      (m) => vscode.l10n.t('Could not add a tag: {0}', m),
      () => vscode.l10n.t('Tag which version?'),
      async (a) => {
        const tags = await askValidated({ prompt: vscode.l10n.t('Tags to add to {0} (comma-separated)', a.qualifiedName) }, (v) => {
          const list = validateTags(splitList(v));
          if (list.length === 0) throw new ValidationError(vscode.l10n.t('Enter at least one tag'));
          return list;
        });
        if (tags) await edit(s, a, { addTags: tags }, (v) => vscode.l10n.t('Tagged {0}', v));
      },
    ),

    withVersion(
      COMMANDS.removeTag,
      (m) => vscode.l10n.t('Could not remove a tag: {0}', m),
      () => vscode.l10n.t('Remove a tag from which version?'),
      async (a) => {
        if (a.tags.length === 0) throw new ValidationError(vscode.l10n.t('{0} has no tags', a.qualifiedName));
        const picks = await vscode.window.showQuickPick(a.tags, { canPickMany: true, placeHolder: vscode.l10n.t('Tags to remove from {0}', a.qualifiedName) });
        if (picks?.length) await edit(s, a, { removeTags: picks }, (v) => vscode.l10n.t('Removed tags from {0}', v));
      },
    ),

    withVersion(
      COMMANDS.editDescription,
      (m) => vscode.l10n.t('Could not edit the description: {0}', m),
      () => vscode.l10n.t('Describe which version?'),
      async (a) => {
        const d = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Description of {0} (markdown)', a.qualifiedName), value: a.description ?? '', ignoreFocusOut: true });
        if (d !== undefined) await edit(s, a, { description: d.trim() || null }, (v) => vscode.l10n.t('Described {0}', v));
      },
    ),

    withVersion(
      COMMANDS.editMetadata,
      (m) => vscode.l10n.t('Could not edit the metadata: {0}', m),
      () => vscode.l10n.t('Edit the metadata of which version?'),
      async (a) => {
        const m = await askValidated({ prompt: vscode.l10n.t('Metadata of {0} (a JSON object; it replaces the current one)', a.qualifiedName), value: JSON.stringify(a.metadata) }, (v) => validateMetadata(v.trim()));
        if (m !== undefined) await edit(s, a, { metadata: m }, (v) => vscode.l10n.t('Updated the metadata of {0}', v));
      },
    ),

    withVersion(
      COMMANDS.setTtl,
      (m) => vscode.l10n.t('Could not set the TTL: {0}', m),
      () => vscode.l10n.t('Set the time to live of which version?'),
      async (a) => {
        if (a.isLink) throw new ValidationError(vscode.l10n.t('{0} is a link: set the TTL on its source {1}', a.qualifiedName, a.sourceQualifiedName));
        // The labels are what `--ttl` takes (30d, none, inherit): the same in every language.
        const items: Array<vscode.QuickPickItem & { custom?: true }> = [
          { label: '30d', description: vscode.l10n.t('expires 30 days after it was logged') },
          { label: '90d', description: vscode.l10n.t('expires 90 days after it was logged') },
          { label: 'none', description: vscode.l10n.t('never expires') },
          { label: 'inherit', description: vscode.l10n.t("the registry's default (none for a local registry)") },
          { label: vscode.l10n.t('Custom…'), description: vscode.l10n.t('e.g. 12h, 1d12h, 2w'), custom: true },
        ];
        const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('TTL of {0} (now {1}); gc deletes expired versions', a.qualifiedName, formatTtl(a.ttlSetting)) });
        if (!pick) return;
        const ttl = pick.custom ? await askValidated({ prompt: vscode.l10n.t('Time to live'), placeHolder: '30d, 12h, 1d12h' }, (v) => parseTtl(v)) : parseTtl(pick.label);
        if (ttl !== undefined) await edit(s, a, { ttl }, (v) => vscode.l10n.t('Set the TTL of {0}', v));
      },
    ),

    withVersion(
      COMMANDS.link,
      (m) => vscode.l10n.t('Could not link the version: {0}', m),
      () => vscode.l10n.t('Link which version?'),
      async (a) => {
        const defaults = { entity: a.sourceEntity, project: a.sourceProject };
        const target = await askValidated({ prompt: vscode.l10n.t('Link {0} into the collection ([entity/][project/]collection)', a.sourceQualifiedName), placeHolder: vscode.l10n.t('e.g. production-data') }, (v) => {
          parseCollectionPath(v.trim(), defaults);
          return v.trim();
        });
        if (!target) return;
        const aliases = await askValidated({ prompt: vscode.l10n.t('Aliases in that collection (comma-separated, optional)') }, (v) => validateAliases(splitList(v)));
        if (aliases === undefined) return;
        const linked = await a.link(target, aliases);
        await s.tree.refresh([collectionOf(linked)]);
        void vscode.window.showInformationMessage(vscode.l10n.t('Linked {0} as {1}.', a.sourceQualifiedName, linked.qualifiedName));
      },
    ),

    withVersion(
      COMMANDS.unlink,
      (m) => vscode.l10n.t('Could not unlink: {0}', m),
      () => vscode.l10n.t('Unlink which version?'),
      (a) => unlink(s, a),
    ),

    withVersion(
      COMMANDS.delete,
      (m) => vscode.l10n.t('Could not delete the version: {0}', m),
      () => vscode.l10n.t('Delete which version?'),
      async (a) => {
        if (a.isLink) return unlink(s, a); // deleting a link only removes the link
        const aliases = a.aliases;
        const detail = !aliases.length
          ? vscode.l10n.t('Its files go at the next gc.')
          : aliases.includes('latest')
            ? vscode.l10n.t('It has the aliases {0}: they will be removed too (latest moves to the previous version). Its files go at the next gc.', aliases.join(', '))
            : vscode.l10n.t('It has the aliases {0}: they will be removed too. Its files go at the next gc.', aliases.join(', '));
        const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Delete {0}?', a.qualifiedName), { modal: true, detail }, aliases.length ? vscode.l10n.t('Delete Version and Aliases') : vscode.l10n.t('Delete Version'));
        if (!ok) return;
        await a.delete({ deleteAliases: true });
        await s.tree.refresh([collectionOf(a)]); // and the loaded collections of links to it
      },
    ),

    withVersion(
      COMMANDS.copyRef,
      (m) => vscode.l10n.t('Could not copy the reference: {0}', m),
      () => vscode.l10n.t('Copy the reference of which version?'),
      async (a) => {
        await vscode.env.clipboard.writeText(a.qualifiedName);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', a.qualifiedName), 3000);
      },
    ),

    registerCommand(COMMANDS.copyDownloadCommand, (m) => vscode.l10n.t('Could not copy the download command: {0}', m), async (arg?: unknown) => {
      const a = await versionArg(s, arg, vscode.l10n.t('Copy the download command of which version?'));
      if (!a) return;
      // A version of another registry row downloads with --registry naming that row's location.
      const location = isVersionNode(arg) ? (await s.tree.registryOfNode(arg)).location : s.registry.current.location;
      const text = downloadCommand(a, location, defaultRegistryRoot());
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied: {0}', text), 4000);
    }),

    // The lineage graph of the version, in the registry (row) it was picked in.
    registerCommand(COMMANDS.showLineage, (m) => vscode.l10n.t('Could not show the lineage: {0}', m), async (arg?: unknown) => {
      const a = await versionArg(s, arg, vscode.l10n.t('Show the lineage of which version?'));
      if (!a) return;
      const row = isVersionNode(arg) ? await s.tree.registryOfNode(arg) : undefined;
      s.lineagePanels.show(row?.registry ?? s.registry.current, a.qualifiedName, row?.key);
    }),
    ...maintenanceCommands(s),
    openVersionHandler(s),
  ];
}
