/**
 * Every id the extension shares with package.json, in one typed table: command ids (used by each
 * registerCommand, each TreeItem.command and each internal reference), view ids and the custom
 * context keys `when` clauses read. test/unit/extension/contributes.test.ts checks package.json's
 * `contributes` against these tables. No `vscode` import: pure view models use them too.
 */
export const COMMANDS = {
  refresh: 'artifacts.refresh',
  logFiles: 'artifacts.logFiles',
  addToDraft: 'artifacts.addToDraft',
  newDraft: 'artifacts.newDraft',
  newDraftFromVersion: 'artifacts.newDraftFromVersion',
  commitDraft: 'artifacts.commitDraft',
  discardDraft: 'artifacts.discardDraft',
  removeDraftEntry: 'artifacts.removeDraftEntry',
  removeFromBase: 'artifacts.removeFromBase',
  verify: 'artifacts.verify',
  checkout: 'artifacts.checkout',
  download: 'artifacts.download',
  compare: 'artifacts.compare',
  compareWithPrevious: 'artifacts.compareWithPrevious',
  compareWithFolder: 'artifacts.compareWithFolder',
  addAlias: 'artifacts.addAlias',
  removeAlias: 'artifacts.removeAlias',
  addTag: 'artifacts.addTag',
  removeTag: 'artifacts.removeTag',
  editDescription: 'artifacts.editDescription',
  editMetadata: 'artifacts.editMetadata',
  setTtl: 'artifacts.setTtl',
  link: 'artifacts.link',
  unlink: 'artifacts.unlink',
  delete: 'artifacts.delete',
  copyRef: 'artifacts.copyRef',
  copyDownloadCommand: 'artifacts.copyDownloadCommand',
  showLineage: 'artifacts.showLineage',
  openFile: 'artifacts.openFile',
  openVerifiedFile: 'artifacts.openVerifiedFile',
  loadMore: 'artifacts.loadMore',
  clearVerification: 'artifacts.clearVerification',
  retryRegistry: 'artifacts.retryRegistry',
  setRegistryCredentials: 'artifacts.setRegistryCredentials',
  pushToRegistry: 'artifacts.pushToRegistry',
  pullToLocal: 'artifacts.pullToLocal',
  checkIntegrity: 'artifacts.checkIntegrity',
  scmCommit: 'artifacts.scmCommit',
  scmOpenChange: 'artifacts.scmOpenChange',
  scmDiscard: 'artifacts.scmDiscard',
  scmDiscardAll: 'artifacts.scmDiscardAll',
  scmSwitchVersion: 'artifacts.scmSwitchVersion',
  scmRefresh: 'artifacts.scmRefresh',
  revealTrackedVersion: 'artifacts.revealTrackedVersion',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

export const VIEWS = {
  registry: 'artifacts.registry',
  drafts: 'artifacts.drafts',
  verification: 'artifacts.verification',
} as const;

export type ViewId = (typeof VIEWS)[keyof typeof VIEWS];

/** Context keys the extension sets with `setContext` (through ui/context-keys.ts only). */
export const CONTEXT_KEYS = {
  /** The Verification view has results to show (the view is hidden otherwise). */
  hasVerification: 'artifacts.hasVerification',
  /** The registry has no versions: the Registry view shows its welcome content. */
  registryEmpty: 'artifacts.registryEmpty',
} as const;

export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

/** Settings the code reads (package.json `contributes.configuration` declares them). */
export const SETTINGS = {
  /** Files larger than this many bytes are compared on a sample (tables) or described, not decoded. */
  compareMaxBytes: 'artifacts.compare.maxBytes',
  /** Named registries (a folder or a bucket URI each) shown beside the default one. */
  registries: 'artifacts.registries',
} as const;

/** The id of the diff webview panels (restored panels would be matched by it). */
export const DIFF_PANEL_TYPE = 'artifacts.diff';

/** The id of the lineage webview panels. */
export const LINEAGE_PANEL_TYPE = 'artifacts.lineage';
