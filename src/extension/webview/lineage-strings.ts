/**
 * Every text of the lineage page, in the user's language: built by the host when a panel opens
 * (never at module load) and sent with the page's `init` message. `{0}`, `{1}`… are filled by the page.
 */
import * as vscode from 'vscode';
import type { LineageStrings } from './lineage-protocol';

export function lineageStrings(): LineageStrings {
  return {
    title: vscode.l10n.t('Lineage of {0}'),
    depth: vscode.l10n.t('Depth'),
    depthTitle: vscode.l10n.t('How many runs to follow upstream and downstream'),
    fit: vscode.l10n.t('Fit'),
    fitTitle: vscode.l10n.t('Fit the graph to the window'),
    loading: vscode.l10n.t('Reading the lineage…'),
    counts: vscode.l10n.t('{0} versions · {1} runs · {2} edges'),
    truncated: vscode.l10n.t('The graph is larger than this: only its first {0} nodes are shown. Lower the depth to see all of a part.'),
    legendVersion: vscode.l10n.t('version'),
    legendRun: vscode.l10n.t('run'),
    legendUsed: vscode.l10n.t('used'),
    legendProduced: vscode.l10n.t('logged'),
    collapse: vscode.l10n.t('Collapse'),
    expand: vscode.l10n.t('Expand'),
    hiddenCount: vscode.l10n.t('+{0}'),
    versionTitle: vscode.l10n.t('{0}: click to show it in the Registry view'),
    runTitle: vscode.l10n.t('{0}: click for the run’s details'),
    missingVersion: vscode.l10n.t('not in this registry'),
    deletedVersion: vscode.l10n.t('deleted'),
    missingRun: vscode.l10n.t('no record of this run'),
    details: vscode.l10n.t('Run {0}'),
    close: vscode.l10n.t('Close'),
    command: vscode.l10n.t('Command'),
    user: vscode.l10n.t('User'),
    host: vscode.l10n.t('Host'),
    folder: vscode.l10n.t('Folder'),
    gitCommit: vscode.l10n.t('Git commit'),
    started: vscode.l10n.t('Started'),
    ended: vscode.l10n.t('Ended'),
    exitCode: vscode.l10n.t('Exit code'),
    signal: vscode.l10n.t('Ended by signal'),
    error: vscode.l10n.t('Error'),
    running: vscode.l10n.t('no end recorded (still running, or stopped without recording it)'),
    processRun: vscode.l10n.t('a process of its own (no end is recorded for these)'),
    runType: vscode.l10n.t('Type'),
    runId: vscode.l10n.t('Run id'),
    inputs: vscode.l10n.t('Used'),
    outputs: vscode.l10n.t('Logged'),
    none: vscode.l10n.t('none'),
    couldNotShow: vscode.l10n.t('Could not show the lineage: {0}'),
    nothingRecorded: vscode.l10n.t('No run logged or used this version yet.'),
  };
}
