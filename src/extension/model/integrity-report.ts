/**
 * An fsck report as the markdown document the *Check Registry Integrity* command opens. Pure, so it
 * is tested without VS Code (messages through @vscode/l10n, which activate() points at VS Code's
 * language).
 */
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../../core/l10n';
import type { FsckReport } from '../../registry/registry';

/** The title of a kind of problem (the kind itself when it is new). */
function kindTitle(kind: string): string {
  switch (kind) {
    case 'corrupt-blob':
      return l10n.t('Stored file whose bytes do not match its name');
    case 'missing-blob':
      return l10n.t('Stored file missing');
    case 'damaged-manifest':
      return l10n.t('Damaged manifest');
    case 'missing-manifest':
      return l10n.t('Missing manifest');
    case 'damaged-collection':
      return l10n.t('Damaged collection document');
    case 'dangling-alias':
      return l10n.t('Alias that leads nowhere');
    case 'broken-link':
      return l10n.t('Link whose source is gone');
    default:
      return kind;
  }
}

/** `|` and newlines would break a table row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** What was checked, as counts after labels (no plural forms to choose). */
function checkedLine(r: FsckReport): string {
  return l10n.t('Checked, every file hashed again: collections {0}, manifests {1}, stored files {2}.', formatNumber(r.collections), formatNumber(r.manifests), formatNumber(r.blobs));
}

export function integrityMarkdown(location: string, report: FsckReport, repaired: boolean): string {
  const lines = [`# ${l10n.t('Registry integrity: {0}', location)}`, '', checkedLine(report), ''];
  if (report.problems.length === 0) {
    lines.push(l10n.t('No problem found.'));
    return lines.join('\n');
  }
  const n = report.problems.length;
  const count = repaired
    ? n === 1
      ? l10n.t('1 problem (after repair):')
      : l10n.t('{0} problems (after repair):', formatNumber(n))
    : n === 1
      ? l10n.t('1 problem:')
      : l10n.t('{0} problems:', formatNumber(n));
  const header = `| ${l10n.t('problem')} | ${l10n.t('where')} | ${l10n.t('detail')} | ${l10n.t('repair')} |`;
  lines.push(count, '', header, '|---|---|---|---|');
  for (const p of report.problems) lines.push(`| ${kindTitle(p.kind)} | \`${cell(p.subject)}\` | ${cell(p.detail)} | ${p.repaired ? cell(p.repaired) : '—'} |`);
  if (!repaired) {
    lines.push('', l10n.t('*Repair* removes aliases that lead nowhere and moves damaged objects to `quarantine/` in the registry; it never deletes a file a version needs. Missing files and manifests cannot be repaired here.'));
  }
  return lines.join('\n');
}
