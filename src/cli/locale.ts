/**
 * The CLI's language, chosen the way command-line tools choose it: LC_ALL, then LC_MESSAGES, then
 * LANG (`ja_JP.UTF-8` → Japanese; unset, `C` or `POSIX` → English). The bundles are the extension's
 * own (`l10n/bundle.l10n.<lang>.json`, beside `dist/`), read only when the language is not English.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { toBcp47, useLanguage, type MessageBundle } from '../core/l10n';

/** `dist/cli.js` → `l10n/`. */
const L10N_DIR = path.join(__dirname, '..', 'l10n');

export function languageFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || 'C';
}

/** The bundle of a language (`ja-JP` falls back to `ja`), or undefined for English or one we lack. */
export function bundleFor(language: string, dir = L10N_DIR): MessageBundle | undefined {
  const tag = toBcp47(language).toLowerCase();
  if (tag === 'en' || tag.startsWith('en-')) return undefined;
  for (const candidate of new Set([tag, tag.split('-')[0]!])) {
    try {
      // l10n-ignore: a file name
      return JSON.parse(readFileSync(path.join(dir, `bundle.l10n.${candidate}.json`), 'utf8')) as MessageBundle;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Picks the language from the environment; call before the first message is made. A language we
 * have no messages for stays English throughout (numbers too: no French digits in English sentences).
 */
export function useLanguageFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  const language = languageFromEnv(env);
  const bundle = bundleFor(language);
  useLanguage(bundle ? language : 'en', bundle);
}
