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
    if (!row.registry) throw new ValidationError(vscode.l10n.t('The registry of {0} cannot be opened: check its setting', a.qualifiedName));
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
      : (await vscode.window.showQuickPick(choices.map((c) => ({ label: c.label, detail: c.detail, choice: c })), { placeHolder: vscode.l10n.t('Which credential for {0}?', where), ignoreFocusOut: true }))?.choice;
  if (!choice) return undefined;
  const values: Record<string, string> = {};
  for (const f of choice.fields) {
    const value = await vscode.window.showInputBox({
      prompt: vscode.l10n.t("{0} for {1} (kept in VS Code's secret storage, never in settings)", f.prompt, where),
      password: f.secret,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() || f.optional ? undefined : f.missing),
    });
    if (value === undefined) return undefined;
    if (value.trim()) values[f.id] = value.trim();
  }
  return { choice, values };
}

export function registryCommands(s: Services): vscode.Disposable[] {
  return [
    registerCommand(COMMANDS.retryRegistry, (m) => vscode.l10n.t('Could not read the registry again: {0}', m), async (node?: unknown) => {
      if (isRegistryNode(node)) await s.tree.retry(node);
      else await s.tree.refresh();
    }),

    registerCommand(COMMANDS.setRegistryCredentials, (m) => vscode.l10n.t('Could not set the credentials: {0}', m), async (node?: unknown) => {
      let location: string;
      let where: string;
      if (isRegistryNode(node)) {
        location = node.location;
        where = node.name ?? node.location;
      } else {
        const rows = (await s.tree.registryRows()).filter((r) => r.store !== 'folder');
        if (rows.length === 0) throw new ValidationError(vscode.l10n.t('No registry in a bucket is configured: add one to the artifacts.registries setting'));
        const pick = await vscode.window.showQuickPick(rows.map((r) => ({ label: r.name ?? r.location, description: r.location, row: r })), { placeHolder: vscode.l10n.t('Credentials for which registry?') });
        if (!pick) return;
        location = pick.row.location;
        where = pick.label;
      }
      const spec = parseStoreLocation(location, {});
      if (spec.kind === 'local') throw new ValidationError(vscode.l10n.t('{0} is a folder: it needs no credentials', where));
      const typed = await askCredentials(spec.kind, where);
      if (!typed) return;
      await s.registry.setCredentials(location, encodeSecret(spec.kind, typed.choice, typed.values));
      void vscode.window.setStatusBarMessage(vscode.l10n.t("Credentials for {0} kept in VS Code's secret storage", where), 4000);
    }),

    registerCommand(COMMANDS.pushToRegistry, (m) => vscode.l10n.t('Could not push the version: {0}', m), async (arg?: unknown) => {
      const from = await versionWithRegistry(s, arg, vscode.l10n.t('Push which version?'));
      if (!from) return;
      const rows = (await s.tree.registryRows()).filter((r) => r.key !== from.key && r.registry && !r.problem);
      const items: Array<vscode.QuickPickItem & { registry?: Registry; key?: string | undefined; other?: true }> = rows.map((r) => ({
        label: r.name ?? r.location,
        description: r.name ? r.location : r.store === 'folder' ? vscode.l10n.t('local registry') : undefined,
        registry: r.registry,
        key: r.key,
      }));
      items.push({ label: vscode.l10n.t('$(globe) Another location…'), description: vscode.l10n.t('a folder, s3://bucket/prefix or azure://account/container/prefix'), other: true });
      const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Push {0} to which registry?', from.a.qualifiedName), ignoreFocusOut: true });
      if (!pick) return;
      let target = pick.registry;
      let label = pick.label;
      if (pick.other) {
        const location = await askValidated({ prompt: vscode.l10n.t('Registry to push to: a folder, s3://bucket/prefix?endpoint=… or azure://account/container/prefix') }, (v) => {
          parseStoreLocation(v.trim(), {});
          return v.trim();
        });
        if (!location) return;
        target = registryAt(location, from.registry);
        label = location;
      }
      const aliases = await askValidated({ prompt: vscode.l10n.t('Aliases for {0} in {1} (comma-separated, optional)', from.a.name, label) }, (v) => validateAliases(splitList(v), { allowLatest: false }));
      if (aliases === undefined) return;
      const r = await withProgress(vscode.l10n.t('Pushing {0} to {1}', from.a.name, label), (signal, report) => from.registry.push(from.a.qualifiedName, target!, { aliases, signal, onProgress: inPhase('copying', report) }));
      await s.tree.refreshIn(pick.other ? '\0' : pick.key, [collectionOf(from.a)]);
      void vscode.window.showInformationMessage(describeCopy(r, label));
    }),

    registerCommand(COMMANDS.pullToLocal, (m) => vscode.l10n.t('Could not pull the version: {0}', m), async (arg?: unknown) => {
      const from = await versionWithRegistry(s, arg, vscode.l10n.t('Pull which version?'));
      if (!from) return;
      if (from.key === undefined) throw new ValidationError(vscode.l10n.t('{0} is already in the local registry', from.a.qualifiedName));
      const local = s.registry.current;
      const r = await withProgress(vscode.l10n.t('Pulling {0} from {1}', from.a.name, from.label), (signal, report) => from.registry.push(from.a.qualifiedName, local, { signal, onProgress: inPhase('copying', report) }));
      await s.tree.refreshIn(undefined, [collectionOf(from.a)]);
      const node = await s.tree.findVersion(r.ref);
      if (node) await s.treeView.reveal(node, { select: true, focus: false, expand: false });
      void vscode.window.showInformationMessage(describeCopy(r, local.location));
    }),
  ];
}
