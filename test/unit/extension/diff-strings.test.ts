/**
 * The diff page's words come from the host: built when a panel opens (in the display language, not
 * at module load), sent first in answer to the page's `ready`, complete for the protocol's check,
 * and translated into Japanese with the same placeholders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { getL10nJson } from '@vscode/l10n-dev';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diffManifests } from '../../../src/core/diff';
import { Manifest } from '../../../src/core/manifest';
import { DIFF_STRING_KEYS, isInitMessage, type InitMessage } from '../../../src/extension/webview/diff-protocol';
import * as fake from './support/fake-vscode';

vi.mock('vscode', () => import('./support/fake-vscode'));

const ROOT = path.resolve(__dirname, '../../..');
const L10N = path.join(ROOT, 'l10n');
/** The compare view's code: the page, its protocol and panel, the content pane's host side. */
const AREA = ['media/diff', 'src/extension/webview', 'src/extension/content'];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The Japanese messages: the merged bundle, and this area's file until the lead merges it. */
function japanese(): Record<string, string> {
  const read = (f: string) => (existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, string | { message: string }>) : {});
  const merged = { ...read(path.join(L10N, 'bundle.l10n.ja.json')), ...read(path.join(L10N, 'ja', 'webview.json')) };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, typeof v === 'string' ? v : v.message]));
}

afterEach(() => {
  l10n.config({ contents: {} });
  fake.env.language = 'en';
  vi.restoreAllMocks();
});

describe('the diff page texts', () => {
  it('are built from the catalogue when asked, not when the module loads', async () => {
    const t = vi.spyOn(fake.l10n, 't');
    const { initMessage } = await import('../../../src/extension/webview/diff-strings');
    expect(t).not.toHaveBeenCalled();
    const init = initMessage('a/b/c:v0', 'a/b/c:v1');
    expect(isInitMessage(init)).toBe(true);
    expect(init).toMatchObject({ type: 'init', locale: 'en', before: 'a/b/c:v0', after: 'a/b/c:v1' });
    expect(init.strings.summary).toBe('{0} added · {1} removed · {2} modified · {3} unchanged · size {4} ({5} → {6})');
    expect(t.mock.calls.length).toBeGreaterThanOrEqual(DIFF_STRING_KEYS.length);
  });

  it('are all in Japanese, with the same placeholders (and so is every other message of the compare view)', async () => {
    const t = vi.spyOn(fake.l10n, 't');
    const { initMessage } = await import('../../../src/extension/webview/diff-strings');
    initMessage('a', 'b');
    const files = AREA.flatMap((d) => readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, d, f)));
    const found = await getL10nJson(files.map((f) => ({ contents: readFileSync(f, 'utf8'), extension: '.ts' })));
    const messages = [...new Set([...t.mock.calls.map((c) => c[0] as unknown as string), ...Object.keys(found)])];
    expect(messages.length).toBeGreaterThan(DIFF_STRING_KEYS.length);
    const ja = japanese();
    expect(messages.filter((m) => ja[m] === undefined), 'untranslated').toEqual([]);
    for (const m of messages) expect(placeholders(ja[m]!), m).toEqual(placeholders(m));

    // In Japanese: the page gets the translations and the locale for its numbers.
    l10n.config({ contents: ja });
    fake.env.language = 'ja';
    const init = initMessage('a', 'b');
    expect(init.locale).toBe('ja');
    expect(init.strings.close).toBe('閉じる');
    expect(init.strings.rowCount).toBe('{0} 行');
  });

  it('go to the page first, in answer to its ready', async () => {
    const { DiffPanels } = await import('../../../src/extension/webview/diff-panel');
    const current = { diff: async () => ({ ...diffManifests(new Manifest(), new Manifest()), before: 'a/b/c:v0', after: 'a/b/c:v1' }) };
    const registry = { current, registryOf: async () => current };
    const panels = new DiffPanels(fake.Uri.file('/ext') as never, registry as never, {} as never);
    await panels.show('a/b/c:v0', { version: 'a/b/c:v1' });
    const panel = fake.recorded.panels.at(-1)!;
    expect(panel.html()).toContain('<html lang="en">');
    expect(panel.html()).not.toMatch(/data-before/);
    await new Promise((r) => setTimeout(r, 10));
    expect(panel.posted).toEqual([]); // nothing before the page is ready
    panel.receive({ type: 'ready' });
    await vi.waitFor(() => expect(panel.posted.map((m) => (m as { type: string }).type)).toContain('summary'));
    expect((panel.posted[0] as { type: string }).type).toBe('init');
    const init = panel.posted[0] as InitMessage;
    expect(isInitMessage(init)).toBe(true);
    expect(init).toMatchObject({ before: 'a/b/c:v0', after: 'a/b/c:v1' });
    panels.dispose();
  });
});
