/** Managing a logged version: aliases, tags, description, metadata, TTL, links, delete, lineage. */
import * as vscode from 'vscode';
import type { Artifact, RunInfo } from '../../core/artifact';
import { editVersion, type VersionEdit } from '../../app/edit-version';
import { defaultRegistryRoot } from '../../core/config';
import { ValidationError } from '../../core/errors';
import { formatTtl, parseTtl } from '../../core/ttl';
import { validateAliases, validateMetadata, validateTags } from '../../core/validate';
import { parseCollectionPath } from '../../registry/refs';
import { askValidated, splitList } from '../ui/input';
import { COMMANDS, type CommandId } from './ids';
import { maintenanceCommands } from './maintenance';
import { openVersionHandler } from './open-version';
import { registerCommand } from './register';
import { collectionOf, isVersionNode, sourceCollectionOf, versionArg, type Services } from './services';

/** Applies an edit through the one edit use case; only the version's collection is re-read. */
async function edit(s: Services, a: Artifact, changes: VersionEdit, done: string): Promise<void> {
  await editVersion(a, changes);
  await s.tree.refresh([collectionOf(a), sourceCollectionOf(a)]);
  void vscode.window.setStatusBarMessage(`${done} ${a.qualifiedName}`, 4000);
}

/** Removes a link (its source stays), after a modal confirmation. */
async function unlink(s: Services, a: Artifact): Promise<void> {
  if (!a.isLink) throw new ValidationError(`${a.qualifiedName} is not a link: delete it instead`);
  const ok = await vscode.window.showWarningMessage(`Remove the link ${a.qualifiedName}? The source ${a.sourceQualifiedName} stays.`, { modal: true }, 'Unlink');
  if (!ok) return;
  await a.unlink();
  await s.tree.refresh([collectionOf(a)]);
}

/** The `artifacts` command that downloads this version, with --registry when it is not the default. */
export function downloadCommand(a: Artifact, registryLocation: string, defaultLocation: string): string {
  const registry = registryLocation === defaultLocation ? '' : ` --registry ${JSON.stringify(registryLocation)}`;
  return `artifacts${registry} download ${a.qualifiedName}`;
}

function describeRun(r: RunInfo): string {
  return [`- **${r.command}**`, `  - ${r.user}@${r.host}, started ${r.startedAt}`, `  - in \`${r.cwd}\`${r.gitCommit ? ` at git commit \`${r.gitCommit}\`` : ''}`].join('\n');
}

export function manageCommands(s: Services): vscode.Disposable[] {
  const withVersion = (id: CommandId, doing: string, placeHolder: string, run: (a: Artifact) => Promise<void>) =>
    registerCommand(id, doing, async (arg?: unknown) => {
      const a = await versionArg(s, arg, placeHolder);
      if (a) await run(a);
    });

  return [
    withVersion(COMMANDS.addAlias, 'add an alias', 'Add an alias to which version?', async (a) => {
      const aliases = await askValidated({ prompt: `Aliases to add to ${a.qualifiedName} (comma-separated; an alias moves here from another version)` }, (v) => {
        const list = validateAliases(splitList(v), { allowLatest: false });
        if (list.length === 0) throw new ValidationError('Enter at least one alias');
        return list;
      });
      if (aliases) await edit(s, a, { addAliases: aliases }, 'Added aliases to');
    }),

    withVersion(COMMANDS.removeAlias, 'remove an alias', 'Remove an alias from which version?', async (a) => {
      const removable = a.aliases.filter((x) => x !== 'latest');
      if (removable.length === 0) throw new ValidationError(`${a.qualifiedName} has no aliases to remove ('latest' is managed)`);
      const picks = await vscode.window.showQuickPick(removable, { canPickMany: true, placeHolder: `Aliases to remove from ${a.qualifiedName}` });
      if (picks?.length) await edit(s, a, { removeAliases: picks }, 'Removed aliases from');
    }),

    withVersion(COMMANDS.addTag, 'add a tag', 'Tag which version?', async (a) => {
      const tags = await askValidated({ prompt: `Tags to add to ${a.qualifiedName} (comma-separated)` }, (v) => {
        const list = validateTags(splitList(v));
        if (list.length === 0) throw new ValidationError('Enter at least one tag');
        return list;
      });
      if (tags) await edit(s, a, { addTags: tags }, 'Tagged');
    }),

    withVersion(COMMANDS.removeTag, 'remove a tag', 'Remove a tag from which version?', async (a) => {
      if (a.tags.length === 0) throw new ValidationError(`${a.qualifiedName} has no tags`);
      const picks = await vscode.window.showQuickPick(a.tags, { canPickMany: true, placeHolder: `Tags to remove from ${a.qualifiedName}` });
      if (picks?.length) await edit(s, a, { removeTags: picks }, 'Removed tags from');
    }),

    withVersion(COMMANDS.editDescription, 'edit the description', 'Describe which version?', async (a) => {
      const d = await vscode.window.showInputBox({ prompt: `Description of ${a.qualifiedName} (markdown)`, value: a.description ?? '', ignoreFocusOut: true });
      if (d !== undefined) await edit(s, a, { description: d.trim() || null }, 'Described');
    }),

    withVersion(COMMANDS.editMetadata, 'edit the metadata', 'Edit the metadata of which version?', async (a) => {
      const m = await askValidated({ prompt: `Metadata of ${a.qualifiedName} (a JSON object; it replaces the current one)`, value: JSON.stringify(a.metadata) }, (v) => validateMetadata(v.trim()));
      if (m !== undefined) await edit(s, a, { metadata: m }, 'Updated the metadata of');
    }),

    withVersion(COMMANDS.setTtl, 'set the TTL', 'Set the time to live of which version?', async (a) => {
      if (a.isLink) throw new ValidationError(`${a.qualifiedName} is a link: set the TTL on its source ${a.sourceQualifiedName}`);
      const items = [
        { label: '30d', description: 'expires 30 days after it was logged' },
        { label: '90d', description: 'expires 90 days after it was logged' },
        { label: 'none', description: 'never expires' },
        { label: 'inherit', description: "the registry's default (none for a local registry)" },
        { label: 'Custom…', description: 'e.g. 12h, 1d12h, 2w' },
      ];
      const pick = await vscode.window.showQuickPick(items, { placeHolder: `TTL of ${a.qualifiedName} (now ${formatTtl(a.ttlSetting)}); gc deletes expired versions` });
      if (!pick) return;
      const ttl = pick.label === 'Custom…' ? await askValidated({ prompt: 'Time to live', placeHolder: '30d, 12h, 1d12h' }, (v) => parseTtl(v)) : parseTtl(pick.label);
      if (ttl !== undefined) await edit(s, a, { ttl }, 'Set the TTL of');
    }),

    withVersion(COMMANDS.link, 'link the version', 'Link which version?', async (a) => {
      const defaults = { entity: a.sourceEntity, project: a.sourceProject };
      const target = await askValidated({ prompt: `Link ${a.sourceQualifiedName} into the collection ([entity/][project/]collection)`, placeHolder: 'e.g. production-data' }, (v) => {
        parseCollectionPath(v.trim(), defaults);
        return v.trim();
      });
      if (!target) return;
      const aliases = await askValidated({ prompt: 'Aliases in that collection (comma-separated, optional)' }, (v) => validateAliases(splitList(v)));
      if (aliases === undefined) return;
      const linked = await a.link(target, aliases);
      await s.tree.refresh([collectionOf(linked)]);
      void vscode.window.showInformationMessage(`Linked ${a.sourceQualifiedName} as ${linked.qualifiedName}.`);
    }),

    withVersion(COMMANDS.unlink, 'unlink', 'Unlink which version?', (a) => unlink(s, a)),

    withVersion(COMMANDS.delete, 'delete the version', 'Delete which version?', async (a) => {
      if (a.isLink) return unlink(s, a); // deleting a link only removes the link
      const aliases = a.aliases;
      const detail = aliases.length
        ? `It has the aliases ${aliases.join(', ')}: they will be removed too${aliases.includes('latest') ? ' (latest moves to the previous version)' : ''}. Its files go at the next gc.`
        : 'Its files go at the next gc.';
      const ok = await vscode.window.showWarningMessage(`Delete ${a.qualifiedName}?`, { modal: true, detail }, aliases.length ? 'Delete Version and Aliases' : 'Delete Version');
      if (!ok) return;
      await a.delete({ deleteAliases: true });
      await s.tree.refresh([collectionOf(a)]); // and the loaded collections of links to it
    }),

    withVersion(COMMANDS.copyRef, 'copy the reference', 'Copy the reference of which version?', async (a) => {
      await vscode.env.clipboard.writeText(a.qualifiedName);
      void vscode.window.setStatusBarMessage(`Copied ${a.qualifiedName}`, 3000);
    }),

    registerCommand(COMMANDS.copyDownloadCommand, 'copy the download command', async (arg?: unknown) => {
      const a = await versionArg(s, arg, 'Copy the download command of which version?');
      if (!a) return;
      // A version of another registry row downloads with --registry naming that row's location.
      const location = isVersionNode(arg) ? (await s.tree.registryOfNode(arg)).location : s.registry.current.location;
      const text = downloadCommand(a, location, defaultRegistryRoot());
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`Copied: ${text}`, 4000);
    }),

    withVersion(COMMANDS.showLineage, 'show the lineage', 'Show the lineage of which version?', async (a) => {
      const [loggedBy, usedBy] = await Promise.all([a.loggedBy(), a.usedBy()]);
      const content = [
        `# Lineage of ${a.qualifiedName}`,
        a.isLink ? `\nA link to ${a.sourceQualifiedName}.` : '',
        '\n## Logged by\n',
        loggedBy ? describeRun(loggedBy) : '_unknown_',
        '\n## Used by\n',
        usedBy.length ? usedBy.map(describeRun).join('\n') : '_nobody yet_',
        '',
      ].join('\n');
      const doc = await vscode.workspace.openTextDocument({ content, language: 'markdown' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    ...maintenanceCommands(s),
    openVersionHandler(s),
  ];
}
