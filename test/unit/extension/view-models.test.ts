/** The Drafts and Verification views as pure view models: rows, context values, children, marks. */
import { describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { COMMANDS } from '../../../src/extension/commands/ids';
import type { Draft } from '../../../src/extension/model/draft-store';
import { DRAFT_CONTEXT_VALUES, draftChildren, draftParent, presentDraft, type DraftNode } from '../../../src/extension/model/drafts-model';
import { fileMark, presentVerification, VERIFICATION_CONTEXT_VALUES, verificationChildren, type VerificationNode } from '../../../src/extension/model/verification-model';
import { VerifyResults } from '../../../src/extension/model/verify-results';

const relative = (p: string) => p.replace(/^\/w\//, '');

const fresh: Draft = {
  id: 'd1',
  name: 'animals',
  type: 'dataset',
  removed: [],
  sources: [
    { localPath: '/w/data', kind: 'folder', target: '' },
    { localPath: '/w/notes.md', kind: 'file', target: 'docs/notes.md' },
  ],
  createdAt: 'now',
};
const fromVersion: Draft = { id: 'd2', name: 'birds', type: 'dataset', base: 'alice/vision/birds:v3', removed: ['raw', 'old.csv'], sources: [], createdAt: 'now' };

describe('drafts view model', () => {
  it('lists drafts, then their base and staged entries, then paths removed from the base', () => {
    const top = draftChildren([fresh, fromVersion]);
    expect(top.map((n) => presentDraft(n, relative).label)).toEqual(['animals', 'birds']);
    const entries = draftChildren([fresh], top[0]);
    expect(entries.map((n) => n.kind)).toEqual(['source', 'source']);
    const birds = draftChildren([fromVersion], top[1]);
    expect(birds.map((n) => n.kind)).toEqual(['base']);
    const removed = draftChildren([fromVersion], birds[0]);
    expect(removed.map((n) => presentDraft(n, relative).label)).toEqual(['raw', 'old.csv']);
    expect(draftChildren([fromVersion], removed[0])).toEqual([]);
    expect(draftParent(removed[0]!)).toEqual({ kind: 'base', draft: fromVersion });
    expect(draftParent(entries[0]!)).toEqual({ kind: 'draft', draft: fresh });
    expect(draftParent(top[0]!)).toBeUndefined();
  });

  it('presents each row with its label, description, tooltip, icon and context value', () => {
    const [draft] = draftChildren([fresh]);
    expect(presentDraft(draft!, relative)).toEqual({
      id: 'draft:d1',
      label: 'animals',
      description: 'dataset · 2 staged',
      tooltip: 'Draft animals (dataset)\nCommit it to log a new version.',
      icon: 'git-pull-request-draft',
      contextValue: 'draft',
      collapsible: 'expanded',
    });
    const [folder, file] = draftChildren([fresh], draft);
    expect(presentDraft(folder!, relative)).toMatchObject({ label: '(artifact root)', description: 'data', tooltip: 'Folder /w/data\n→ the root of the artifact', icon: 'folder', contextValue: 'draftSource', collapsible: 'none' });
    expect(presentDraft(file!, relative)).toMatchObject({ id: 'draft:d1:file:docs/notes.md', label: 'docs/notes.md', description: 'notes.md', icon: 'file' });
    expect(presentDraft(file!, relative).resourceUri?.toString()).toBe(URI.file('/w/notes.md').toString());
    const [base] = draftChildren([fromVersion], { kind: 'draft', draft: fromVersion });
    expect(presentDraft({ kind: 'draft', draft: fromVersion }, relative).description).toBe('dataset · from birds:v3 · 0 staged');
    expect(presentDraft(base!, relative)).toMatchObject({ label: 'Files of alice/vision/birds:v3', description: '2 removed', contextValue: 'draftBase', collapsible: 'collapsed' });
    expect(presentDraft({ kind: 'removed', draft: fromVersion, path: 'raw' }, relative)).toMatchObject({ label: 'raw', description: 'removed', icon: 'remove', contextValue: 'draftRemoved' });
    const all: DraftNode[] = [draft!, folder!, base!, { kind: 'removed', draft: fromVersion, path: 'raw' }];
    for (const n of all) expect(DRAFT_CONTEXT_VALUES).toContain(presentDraft(n, relative).contextValue);
  });
});

describe('verification view model', () => {
  const results = new VerifyResults();
  results.set({ root: '/w/data', ref: 'a/b/c:v1', at: 'then', result: { root: '/w/data', ok: false, missing: ['sub/gone.txt'], modified: ['a.txt'], extra: [], referencesSkipped: 2, matched: 3 } });
  results.set({ root: '/w/clean', ref: 'a/b/c:v0', at: 'then', result: { root: '/w/clean', ok: true, missing: [], modified: [], extra: [], referencesSkipped: 0, matched: 5 } });

  it('lists verified folders, their non-empty groups and the paths in them', () => {
    const records = verificationChildren(results.all());
    expect(records.map((n) => presentVerification(n, relative).label)).toEqual(['data', 'clean']);
    expect(presentVerification(records[0]!, relative)).toMatchObject({
      description: 'differs from a/b/c:v1',
      tooltip: '/w/data\nverified against a/b/c:v1 at then\n3 equal, 1 modified, 1 missing, 0 not in the version, 2 references not checked',
      icon: 'warning',
      contextValue: 'verifyRecord',
    });
    expect(presentVerification(records[1]!, relative)).toMatchObject({ description: 'matches a/b/c:v0', icon: 'pass' });
    const groups = verificationChildren(results.all(), records[0]);
    expect(groups.map((n) => [presentVerification(n, relative).label, presentVerification(n, relative).description])).toEqual([
      ['Modified', '1'],
      ['Missing', '1'],
    ]);
    expect(verificationChildren(results.all(), records[1])).toEqual([]);
    const [modified] = verificationChildren(results.all(), groups[0]);
    const [missing] = verificationChildren(results.all(), groups[1]);
    expect(presentVerification(modified!, relative)).toMatchObject({ label: 'a.txt', description: 'modified', icon: 'diff-modified', contextValue: 'verifyPath.modified', command: { id: COMMANDS.openVerifiedFile } });
    expect(presentVerification(modified!, relative).resourceUri?.fsPath).toBe('/w/data/a.txt');
    expect(presentVerification(missing!, relative)).toMatchObject({ label: 'sub/gone.txt', icon: 'diff-removed', contextValue: 'verifyPath.missing' });
    expect(presentVerification(missing!, relative).resourceUri).toBeUndefined(); // nothing on disk to point at
    const all: VerificationNode[] = [records[0]!, groups[0]!, modified!, missing!];
    for (const n of all) expect(VERIFICATION_CONTEXT_VALUES).toContain(presentVerification(n, relative).contextValue);
  });

  it('marks files in the Explorer like source control does', () => {
    expect(fileMark(results, '/w/data/a.txt')).toEqual({ badge: 'M', color: 'gitDecoration.modifiedResourceForeground', tooltip: 'Modified: differs from a/b/c:v1' });
    expect(fileMark(results, '/w/data/sub')).toMatchObject({ badge: '!' });
    expect(fileMark(results, '/w/clean/x')).toBeUndefined();
  });
});
