/**
 * An fsck report as the markdown document the *Check Registry Integrity* command opens. Pure, so it
 * is tested without VS Code.
 */
import type { FsckReport } from '../../registry/registry';

const KIND_TITLE: Record<string, string> = {
  'corrupt-blob': 'Stored file whose bytes do not match its name',
  'missing-blob': 'Stored file missing',
  'damaged-manifest': 'Damaged manifest',
  'missing-manifest': 'Missing manifest',
  'damaged-collection': 'Damaged collection document',
  'dangling-alias': 'Alias that leads nowhere',
  'broken-link': 'Link whose source is gone',
};

/** `|` and newlines would break a table row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function integrityMarkdown(location: string, report: FsckReport, repaired: boolean): string {
  const lines = [
    `# Registry integrity: ${location}`,
    '',
    `Checked ${report.collections} collection(s), ${report.manifests} manifest(s) and ${report.blobs} stored file(s), every file hashed again.`,
    '',
  ];
  if (report.problems.length === 0) {
    lines.push('No problem found.');
    return lines.join('\n');
  }
  lines.push(`${report.problems.length} problem(s)${repaired ? ' (after repair)' : ''}:`, '', '| problem | where | detail | repair |', '|---|---|---|---|');
  for (const p of report.problems) lines.push(`| ${KIND_TITLE[p.kind] ?? p.kind} | \`${cell(p.subject)}\` | ${cell(p.detail)} | ${p.repaired ? cell(p.repaired) : '—'} |`);
  if (!repaired) {
    lines.push('', '*Repair* removes aliases that lead nowhere and moves damaged objects to `quarantine/` in the registry; it never deletes a file a version needs. Missing files and manifests cannot be repaired here.');
  }
  return lines.join('\n');
}
