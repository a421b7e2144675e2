/**
 * Every text of the diff page, in the user's language: built by the host when a panel opens (never
 * at module load: the language is known only after activation) and sent with the page's `init`
 * message. `{0}`, `{1}`… are filled by the page (numbers and sizes formatted there in `locale`).
 */
import * as vscode from 'vscode';
import { pageLocale } from './page-html';
import type { DiffStrings, InitMessage } from './diff-protocol';

/** The display language as a BCP 47 tag, for `Intl` on the page and its `lang` attribute. */
export function diffStrings(): DiffStrings {
  return {
    // The file list.
    comparing: vscode.l10n.t('Comparing…'),
    filterPlaceholder: vscode.l10n.t('Filter paths'),
    show: vscode.l10n.t('Show'),
    allChanges: vscode.l10n.t('All changes'),
    added: vscode.l10n.t('Added'),
    removed: vscode.l10n.t('Removed'),
    modified: vscode.l10n.t('Modified'),
    sortBy: vscode.l10n.t('Sort by'),
    sortPath: vscode.l10n.t('Sort by path'),
    sortSize: vscode.l10n.t('Sort by size'),
    reverse: vscode.l10n.t('Reverse order'),
    path: vscode.l10n.t('Path'),
    before: vscode.l10n.t('Before'),
    after: vscode.l10n.t('After'),
    change: vscode.l10n.t('Change'),
    changedFiles: vscode.l10n.t('Changed files'),
    rowCountOne: vscode.l10n.t('1 row'),
    rowCount: vscode.l10n.t('{0} rows'),
    summary: vscode.l10n.t('{0} added · {1} removed · {2} modified · {3} unchanged · size {4} ({5} → {6})'),
    couldNotCompare: vscode.l10n.t('Could not compare: {0}'),
    rowTitleReference: vscode.l10n.t('{0} (a reference: its bytes are not in the registry)'),
    rowTitleTextDiff: vscode.l10n.t('{0}: click to open the text diff'),
    rowTitleContent: vscode.l10n.t('{0}: click to see what changed inside'),
    imagesButton: vscode.l10n.t('Changed images ({0})'),
    imagesButtonTitle: vscode.l10n.t('Show the changed images whose path contains the filter as a grid'),

    // Counts in lists.
    countAdded: vscode.l10n.t('{0} added'),
    countRemoved: vscode.l10n.t('{0} removed'),
    countChanged: vscode.l10n.t('{0} changed'),

    // Version details (metadata).
    metadataTitle: vscode.l10n.t('Version details'),
    metadataSame: vscode.l10n.t('Metadata, description, aliases, tags and TTL are the same in both versions.'),
    metadataFolder: vscode.l10n.t('A folder has no metadata: only files are compared.'),
    metadataChanges: vscode.l10n.t('metadata {0}'),
    summaryDescription: vscode.l10n.t('description'),
    summaryAliases: vscode.l10n.t('aliases'),
    summaryTags: vscode.l10n.t('tags'),
    summaryTtl: vscode.l10n.t('TTL'),
    metadataKey: vscode.l10n.t('Key'),
    description: vscode.l10n.t('Description'),
    aliases: vscode.l10n.t('Aliases'),
    tags: vscode.l10n.t('Tags'),
    ttl: vscode.l10n.t('Time to live'),
    ttlNone: vscode.l10n.t('none'),
    ttlInherit: vscode.l10n.t('inherit'),
    none: vscode.l10n.t('(none)'),
    absent: vscode.l10n.t('(absent)'),
    showValue: vscode.l10n.t('Show the whole value'),
    moreChangesOne: vscode.l10n.t('… and 1 more change (not listed)'),
    moreChanges: vscode.l10n.t('… and {0} more changes (not listed)'),
    arrayChange: vscode.l10n.t('{0}: {1} → {2} elements, {3} changed'),
    rootArray: vscode.l10n.t('(root)'),
    arrays: vscode.l10n.t('Arrays'),

    // The content pane.
    close: vscode.l10n.t('Close'),
    cancel: vscode.l10n.t('Cancel'),
    retry: vscode.l10n.t('Try Again'),
    openTextDiff: vscode.l10n.t('Open Text Diff'),
    openTextDiffTitle: vscode.l10n.t("Open the two files in VS Code's diff editor"),
    workingFile: vscode.l10n.t('Comparing the contents of {0}…'),
    workingImages: vscode.l10n.t('Comparing the changed images…'),
    cancelled: vscode.l10n.t('Cancelled.'),
    failed: vscode.l10n.t('Could not compare the contents: {0}'),
    textOpened: vscode.l10n.t("This is a text file: it opened in VS Code's diff editor."),
    binary: vscode.l10n.t('No differ reads this format: only the sizes are compared.'),
    gridTitle: vscode.l10n.t('Changed images'),
    gridTitleFiltered: vscode.l10n.t('Changed images matching “{0}”'),

    // Tables.
    tableFacts: vscode.l10n.t('{0} · {1} → {2} rows'),
    wholeFiles: vscode.l10n.t('whole files: {0} → {1} rows'),
    matchBy: vscode.l10n.t('Match rows by'),
    matchByLabel: vscode.l10n.t('Match rows by {0}'),
    wholeRow: vscode.l10n.t('the whole row'),
    guessed: vscode.l10n.t('(guessed)'),
    matchWhole: vscode.l10n.t('Rows are matched by their whole content: a changed row shows as one removed and one added.'),
    matchNoKey: vscode.l10n.t('Rows are matched by their whole content ({0}): a changed row shows as one removed and one added.'),
    countUnchanged: vscode.l10n.t('{0} unchanged'),
    sampled: vscode.l10n.t('Sampled: a file is larger than {0} (setting artifacts.compare.maxBytes), so only its first rows within the limit were compared: {1} and {2} rows.'),
    schema: vscode.l10n.t('Schema'),
    schemaSame: vscode.l10n.t('Same columns, same types.'),
    columnAdded: vscode.l10n.t('added {0} ({1})'),
    columnRemoved: vscode.l10n.t('removed {0} ({1})'),
    columnRenamed: vscode.l10n.t('renamed {0} → {1} ({2})'),
    columnsReordered: vscode.l10n.t('columns reordered'),
    numericColumns: vscode.l10n.t('Numeric columns'),
    column: vscode.l10n.t('Column'),
    statCount: vscode.l10n.t('Count'),
    statNulls: vscode.l10n.t('Nulls'),
    statMin: vscode.l10n.t('Min'),
    statMax: vscode.l10n.t('Max'),
    statMean: vscode.l10n.t('Mean'),
    changedRows: vscode.l10n.t('Changed rows'),
    allRows: vscode.l10n.t('All changed rows'),
    onlyAdded: vscode.l10n.t('Added rows'),
    onlyRemoved: vscode.l10n.t('Removed rows'),
    onlyChanged: vscode.l10n.t('Changed rows'),
    anyColumn: vscode.l10n.t('Any column'),
    inColumn: vscode.l10n.t('{0} changed ({1})'),
    row: vscode.l10n.t('Row'),
    noChangedRows: vscode.l10n.t('No rows changed.'),

    // JSON / YAML.
    structuredCounts: vscode.l10n.t('{0} · {1} added, {2} removed, {3} changed'),
    structuredSame: vscode.l10n.t('The documents hold the same data.'),
    structuredSkipped: vscode.l10n.t('Not compared: a file is larger than {0}; JSON and YAML are parsed whole.'),
    keyPath: vscode.l10n.t('Key path'),
    rootPath: vscode.l10n.t('(the whole document)'),

    // Images.
    changedPixels: vscode.l10n.t('{0} of {1} pixels changed'),
    changedBox: vscode.l10n.t('within x {0}, y {1}, {2}×{3}'),
    notCompared: vscode.l10n.t('Pixels not compared: {0}.'),
    imageNotShown: vscode.l10n.t('Not shown (larger than the limit)'),
    sideBySide: vscode.l10n.t('Side by side'),
    swipe: vscode.l10n.t('Swipe'),
    onionSkin: vscode.l10n.t('Onion skin'),
    difference: vscode.l10n.t('Difference'),
    swipePosition: vscode.l10n.t('Swipe position'),
    opacity: vscode.l10n.t('Opacity of the after image'),
    gridSamePixels: vscode.l10n.t('{0} with other bytes but the same pixels'),
    gridOmitted: vscode.l10n.t('{0} more changed, not listed'),
    gridLimited: vscode.l10n.t('Compared the first {0} of {1} changed images (in path order); filter the paths to see others.'),
    gridEmpty: vscode.l10n.t('No changed images.'),
    gridOpen: vscode.l10n.t('{0}: click for the full comparison'),
    pairChanged: vscode.l10n.t('{0} pixels changed ({1})'),
    statusAdded: vscode.l10n.t('added'),
    statusRemoved: vscode.l10n.t('removed'),
    statusChanged: vscode.l10n.t('changed'),

    // Weights.
    weightsFacts: vscode.l10n.t('{0} · {1} → {2} tensors'),
    parameters: vscode.l10n.t('parameters {0} → {1}'),
    tensorsAdded: vscode.l10n.t('Tensors added'),
    tensorsRemoved: vscode.l10n.t('Tensors removed'),
    tensorsChanged: vscode.l10n.t('Tensors changed in shape or dtype'),
    valuesChanged: vscode.l10n.t('Same shape and dtype, other values'),
    valuesNotCompared: vscode.l10n.t('Values not compared: a file is larger than the limit.'),
    tensorsSameOne: vscode.l10n.t('1 tensor of the same shape and dtype'),
    tensorsSame: vscode.l10n.t('{0} tensors of the same shape and dtype'),
    tensor: vscode.l10n.t('Tensor'),
    dtype: vscode.l10n.t('Dtype'),
    shape: vscode.l10n.t('Shape'),
    params: vscode.l10n.t('Parameters'),
    weightsMetadata: vscode.l10n.t('Metadata'),
    // Why a weights file could not be read (a sentence of the library's), as a sentence of its own.
    opaque: vscode.l10n.t('{0}.'),
  };
}

/** The page's `init` message for a panel comparing `before` with `after`. */
export function initMessage(before: string, after: string): InitMessage {
  return { type: 'init', locale: pageLocale(), before, after, strings: diffStrings() };
}
