// The message catalogue (src/core/l10n.ts): complete in every language, found in the sources, and
// used for every string a person reads; the language chosen the way command-line tools choose it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFor, languageFromEnv, useLanguageFromEnv } from '../../src/cli/locale';
import { displayLocale, formatDate, formatNumber, toBcp47, useLanguage } from '../../src/core/l10n';
import { formatBytes } from '../../src/core/units';
import { findBypasses } from '../support/l10n-scan';
import { tempDir } from '../support/tmp';

const ROOT = path.resolve(__dirname, '../..');
const L10N = path.join(ROOT, 'l10n');
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, string | { message: string }>;
const messageOf = (v: string | { message: string }) => (typeof v === 'string' ? v : v.message);
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const languages = readdirSync(L10N)
  .map((n) => /^bundle\.l10n\.([a-z-]+)\.json$/.exec(n)?.[1])
  .filter((x): x is string => x !== undefined);

afterEach(() => useLanguage('en'));

describe('the catalogue', () => {
  it('every string a person reads goes through l10n.t, or its line says why not (l10n-ignore)', () => {
    const bypasses = findBypasses(ROOT);
    const report = bypasses.map((b) => `${b.file}:${b.line}  ${b.text}`).join('\n');
    expect(report, `${bypasses.length} string(s) bypass the catalogue`).toBe('');
  });

  it('l10n/bundle.l10n.json holds exactly the messages of the sources (npm run l10n writes it)', () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/l10n.mjs'), '--check'], { cwd: ROOT, stdio: 'pipe' });
  });

  it('there is at least one language besides English', () => {
    expect(languages).toContain('ja');
  });

  it.each(languages)('%s has every message and every title of package.nls.json, with the same placeholders', (lang) => {
    const english = readJson(path.join(L10N, 'bundle.l10n.json'));
    const titles = Object.values(readJson(path.join(ROOT, 'package.nls.json'))).map(messageOf);
    const bundle = readJson(path.join(L10N, `bundle.l10n.${lang}.json`));
    const wanted = [...Object.values(english).map(messageOf), ...titles];
    expect(wanted.filter((k) => bundle[k] === undefined), 'untranslated').toEqual([]);
    for (const [key, value] of Object.entries(bundle)) {
      const text = messageOf(value);
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(key));
    }
    expect(Object.keys(bundle).filter((k) => !wanted.includes(k)), 'no longer used').toEqual([]);
  });
});

describe('choosing the language', () => {
  it('LC_ALL wins over LC_MESSAGES over LANG; nothing set is C', () => {
    expect(languageFromEnv({ LC_ALL: 'ja_JP.UTF-8', LC_MESSAGES: 'de_DE', LANG: 'fr_FR' })).toBe('ja_JP.UTF-8');
    expect(languageFromEnv({ LC_MESSAGES: 'de_DE.UTF-8', LANG: 'ja_JP.UTF-8' })).toBe('de_DE.UTF-8');
    expect(languageFromEnv({ LANG: 'ja_JP.UTF-8' })).toBe('ja_JP.UTF-8');
    expect(languageFromEnv({})).toBe('C');
  });

  it('POSIX and VS Code names become BCP 47 tags', () => {
    expect(toBcp47('ja_JP.UTF-8')).toBe('ja-JP');
    expect(toBcp47('zh-cn')).toBe('zh-CN');
    expect(toBcp47('de_DE@euro')).toBe('de-DE');
    expect(toBcp47('C')).toBe('en');
    expect(toBcp47('POSIX')).toBe('en');
    expect(toBcp47('not a locale!')).toBe('en');
  });

  it('finds ja for ja_JP, nothing for English or a language without a bundle', () => {
    expect(bundleFor('ja_JP.UTF-8', L10N)).toBeDefined();
    expect(bundleFor('en_US.UTF-8', L10N)).toBeUndefined();
    expect(bundleFor('xx_YY', L10N)).toBeUndefined();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bundle.l10n.de.json'), JSON.stringify({ 'Hello {0}': 'Hallo {0}' }));
    expect(bundleFor('de_AT.UTF-8', dir)).toEqual({ 'Hello {0}': 'Hallo {0}' });
  });

  it('a bundle translates l10n.t in plain Node, with its arguments; English is the key itself', () => {
    useLanguage('de', { 'Hello {0}': 'Hallo {0}' });
    expect(l10n.t('Hello {0}', 'Welt')).toBe('Hallo Welt');
    expect(l10n.t('Not translated {0}', 1)).toBe('Not translated 1');
    useLanguage('en');
    expect(l10n.t('Hello {0}', 'World')).toBe('Hello World');
  });

  it('numbers, sizes and dates follow the locale; sizes keep their units', () => {
    useLanguage('de');
    expect(displayLocale()).toBe('de');
    expect(formatNumber(20000)).toBe('20.000');
    expect(formatBytes(1536)).toBe('1,5 KiB');
    useLanguage('ja_JP.UTF-8', {});
    expect(formatNumber(20000)).toBe('20,000');
    expect(formatBytes(3.5 * 1024 ** 3)).toBe('3.5 GiB');
    expect(formatDate(new Date(2026, 11, 1, 22, 55))).toBe('2026/12/01 22:55');
    useLanguage('en');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('a language without a bundle stays English throughout', () => {
    useLanguageFromEnv({ LANG: 'xx_YY.UTF-8' });
    expect(displayLocale()).toBe('en');
  });
});
