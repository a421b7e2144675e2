/**
 * The registries side by side: Retry and Set Credentials… on a registry row, Push to Registry… and
 * Pull to Local Registry on a version. Copies go through the same use case as `artifacts push/pull`
 * (src/app/copy-version.ts, Registry.push).
 */
import * as vscode from 'vscode';
import { describeCopy, registryAt } from '../../app/copy-version';
import type { Artifact } from '../../core/artifact';
import { ValidationError } from '../../core/errors';
import { validateAliases } from '../../core/validate';
import type { Registry } from '../../registry/registry';
import { parseStoreLocation } from '../../store/store-location';
import { CREDENTIAL_CHOICES, encodeSecret, type CredentialChoice } from '../model/credentials';
import type { RegistryNode, TreeNode } from '../model/tree-model';
import { askValidated, splitList } from '../ui/input';
import { inPhase, withProgress } from '../ui/progress';
import { COMMANDS } from './ids';
import { registerCommand } from './register';
import { collectionOf, isVersionNode, versionArg, type Services } from './services';

function isRegistryNode(x: unknown): x is RegistryNode {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'registry';
}

/** The version a command was given and the registry it is in (from the palette: the default registry). */
async function versionWithRegistry(s: Services, arg: unknown, placeHolder: string): Promise<{ a: Artifact; registry: Registry; key: string | undefined; label: string } | undefined> {
  const a = await versionArg(s, arg, placeHolder);
  if (!a) return undefined;
  if (isVersionNode(arg)) {
    const row = await s.tree.registryOfNode(arg);
    if (!row.registry) throw new ValidationError(`The registry of ${a.qualifiedName} cannot be opened: check its setting`);
    return { a, registry: row.registry, key: row.key, label: row.name ?? row.location };
  }
  return { a, registry: s.registry.current, key: undefined, label: s.registry.current.location };
}

/** Asks for the credentials of a bucket registry, field by field; undefined when cancelled. */
async function askCredentials(store: 's3' | 'azure', where: string): Promise<{ choice: CredentialChoice; values: Record<string, string> } | undefined> {
  const choices = CREDENTIAL_CHOICES[store];
  const choice =
    choices.length === 1
      ? choices[0]
      : (await vscode.window.showQuickPick(choices.map((c) => ({ label: c.label, detail: c.detail, choice: c })), { placeHolder: `Which credential for ${where}?`, ignoreFocusOut: true }))?.choice;
  if (!choice) return undefined;
  const values: Record<string, string> = {};
  for (const f of choice.fields) {
    const value = await vscode.window.showInputBox({
      prompt: `${f.prompt} for ${where} (kept in VS Code's secret storage, never in settings)`,
      password: f.secret,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() || f.optional ? undefined : `Enter the ${f.prompt.toLowerCase()}`),
    });
    if (value === undefined) return undefined;
    if (value.trim()) values[f.id] = value.trim();
  }
  return { choice, values };
}

export function registryCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.retryRegistry, 'read the registry again', async (node?: unknown) => {
      if (isRegistryNode(node)) await s.tree.retry(node);
      else await s.tree.refresh();
    }),

    registerCommand(COMMANDS.setRegistryCredentials, 'set the credentials', async (node?: unknown) => {
      let location: string;
      let where: string;
      if (isRegistryNode(node)) {
        location = node.location;
        where = node.name ?? node.location;
      } else {
        const rows = (await s.tree.registryRows()).filter((r) => r.store !== 'folder');
        if (rows.length === 0) throw new ValidationError('No registry in a bucket is configured: add one to the artifacts.registries setting');
        const pick = await vscode.window.showQuickPick(rows.map((r) => ({ label: r.name ?? r.location, description: r.location, row: r })), { placeHolder: 'Credentials for which registry?' });
        if (!pick) return;
        location = pick.row.location;
        where = pick.label;
      }
      const spec = parseStoreLocation(location, {});
      if (spec.kind === 'local') throw new ValidationError(`${where} is a folder: it needs no credentials`);
      const typed = await askCredentials(spec.kind, where);
      if (!typed) return;
      await s.registry.setCredentials(location, encodeSecret(spec.kind, typed.choice, typed.values));
      void vscode.window.setStatusBarMessage(`Credentials for ${where} kept in VS Code's secret storage`, 4000);
    }),

    registerCommand(COMMANDS.pushToRegistry, 'push the version', async (arg?: unknown) => {
      const from = await versionWithRegistry(s, arg, 'Push which version?');
      if (!from) return;
      const rows = (await s.tree.registryRows()).filter((r) => r.key !== from.key && r.registry && !r.problem);
      const items: Array<vscode.QuickPickItem & { registry?: Registry; key?: string | undefined; other?: true }> = rows.map((r) => ({
        label: r.name ?? r.location,
        description: r.name ? r.location : r.store === 'folder' ? 'local registry' : undefined,
        registry: r.registry,
        key: r.key,
      }));
      items.push({ label: '$(globe) Another location…', description: 'a folder, s3://bucket/prefix or azure://account/container/prefix', other: true });
      const pick = await vscode.window.showQuickPick(items, { placeHolder: `Push ${from.a.qualifiedName} to which registry?`, ignoreFocusOut: true });
      if (!pick) return;
      let target = pick.registry;
      let label = pick.label;
      if (pick.other) {
        const location = await askValidated({ prompt: 'Registry to push to: a folder, s3://bucket/prefix?endpoint=… or azure://account/container/prefix' }, (v) => {
          parseStoreLocation(v.trim(), {});
          return v.trim();
        });
        if (!location) return;
        target = registryAt(location, from.registry);
        label = location;
      }
      const aliases = await askValidated({ prompt: `Aliases for ${from.a.name} in ${label} (comma-separated, optional)` }, (v) => validateAliases(splitList(v), { allowLatest: false }));
      if (aliases === undefined) return;
      const r = await withProgress(`Pushing ${from.a.name} to ${label}`, (signal, report) => from.registry.push(from.a.qualifiedName, target!, { aliases, signal, onProgress: inPhase('copying', report) }));
      await s.tree.refreshIn(pick.other ? '\0' : pick.key, [collectionOf(from.a)]);
      void vscode.window.showInformationMessage(describeCopy(r, label));
    }),

    registerCommand(COMMANDS.pullToLocal, 'pull the version', async (arg?: unknown) => {
      const from = await versionWithRegistry(s, arg, 'Pull which version?');
      if (!from) return;
      if (from.key === undefined) throw new ValidationError(`${from.a.qualifiedName} is already in the local registry`);
      const local = s.registry.current;
      const r = await withProgress(`Pulling ${from.a.name} from ${from.label}`, (signal, report) => from.registry.push(from.a.qualifiedName, local, { signal, onProgress: inPhase('copying', report) }));
      await s.tree.refreshIn(undefined, [collectionOf(from.a)]);
      const node = await s.tree.findVersion(r.ref);
      if (node) await s.treeView.reveal(node, { select: true, focus: false, expand: false });
      void vscode.window.showInformationMessage(describeCopy(r, local.location));
    }),
  ];
}
