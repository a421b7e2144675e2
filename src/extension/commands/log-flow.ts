/**
 * The prompts and the progress of making a new version, shared by committing a draft and logging
 * files at once: the collection's name and type, then aliases, tags, description and metadata
 * (each checked as typed with the library's rules), then the log under a cancellable notification,
 * the outcome, and the new version revealed in the tree.
 */
import * as vscode from 'vscode';
import { formatNumber } from '../../core/l10n';
import { validateAliases, validateArtifactName, validateMetadata, validateTags, validateType } from '../../core/validate';
import type { LogResult } from '../../registry/registry';
import type { CommitInput, CommitOptions } from '../model/commit';
import { askValidated, splitList } from '../ui/input';
import { withProgress } from '../ui/progress';
import type { Services } from './services';

/** Types offered first; names of the W&B model, the same in every language. */
const COMMON_TYPES = ['dataset', 'model'];

/** The collection to log into and its type (an existing collection keeps its own). */
export async function askNameAndType(s: Services, defaultName = ''): Promise<{ name: string; type: string } | undefined> {
  const name = await askValidated({ prompt: vscode.l10n.t('Artifact name (the collection to log into)'), value: defaultName, placeHolder: vscode.l10n.t('e.g. mnist-images') }, (v) => validateArtifactName(v.trim()));
  if (!name) return undefined;
  const registry = s.registry.current;
  const existing = await registry.collection({ entity: registry.entity, project: registry.project, collection: name }).catch(() => undefined);
  if (existing) return { name, type: existing.type };
  const other = vscode.l10n.t('Other…');
  const pick = await vscode.window.showQuickPick([...COMMON_TYPES, other], { placeHolder: vscode.l10n.t('Type of {0}', name), ignoreFocusOut: true });
  if (!pick) return undefined;
  const type = pick === other ? await askValidated({ prompt: vscode.l10n.t('Artifact type'), placeHolder: vscode.l10n.t('e.g. evaluation') }, (v) => validateType(v.trim(), name)) : pick;
  return type ? { name, type } : undefined;
}

/** Aliases of the new version of `name`, checked as typed; undefined when the user backs out. */
export function askAliases(name: string): Promise<string[] | undefined> {
  return askValidated(
    { prompt: vscode.l10n.t("Aliases for the new version of {0} (comma-separated; 'latest' is added for you)", name), placeHolder: vscode.l10n.t('e.g. best, candidate') },
    (v) => validateAliases(splitList(v)),
  );
}

/** Aliases, tags, description and metadata of the new version; undefined when the user backs out. */
export async function askVersionDetails(name: string): Promise<CommitInput | undefined> {
  const aliases = await askAliases(name);
  if (aliases === undefined) return undefined;
  const tags = await askValidated({ prompt: vscode.l10n.t('Tags (comma-separated)'), placeHolder: vscode.l10n.t('e.g. cleaned, v2 labels') }, (v) => validateTags(splitList(v)));
  if (tags === undefined) return undefined;
  const description = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Description (markdown, optional)'), ignoreFocusOut: true });
  if (description === undefined) return undefined;
  // l10n-ignore: the placeholder is an example of JSON, the same in every language
  const metadata = await askValidated({ prompt: vscode.l10n.t('Metadata as a JSON object (optional)'), placeHolder: '{"rows": 1000, "source": "survey"}' }, (v) => validateMetadata(v.trim()));
  if (metadata === undefined) return undefined;
  return { aliases, tags, description: description.trim() || null, metadata };
}

/**
 * Runs the log under a notification, then `logged` (a draft goes), says what it made, and reveals
 * the version in the tree.
 */
export async function logWithProgress(s: Services, name: string, log: (opts: CommitOptions) => Promise<LogResult>, logged?: () => Promise<void>): Promise<LogResult> {
  const result = await withProgress(vscode.l10n.t('Committing {0}', name), (signal, report) => log({ signal, onProgress: report }));
  await logged?.();
  const a = result.artifact;
  await s.tree.refresh([{ entity: a.entity, project: a.project, collection: a.collectionName }]);
  if (result.deduplicated) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No new version: the content of {0} equals {1}. Its aliases and tags were updated.', name, a.qualifiedName));
  } else {
    void vscode.window.showInformationMessage(a.fileCount === 1 ? vscode.l10n.t('Logged {0} (1 file).', a.qualifiedName) : vscode.l10n.t('Logged {0} ({1} files).', a.qualifiedName, formatNumber(a.fileCount)));
  }
  const node = await s.tree.findVersion(a.qualifiedName);
  if (node) await s.treeView.reveal(node, { select: true, focus: true, expand: false });
  return result;
}
