/**
 * The user's language, in one place for the library, the CLI and the extension.
 *
 * - Messages: every string a person reads goes through `l10n.t` from `@vscode/l10n` (the extension's
 *   own code uses `vscode.l10n.t`). Call sites import it themselves, `import * as l10n from
 *   '@vscode/l10n'`, so that `npm run l10n` (`@vscode/l10n-dev export`) finds every message; the
 *   English text is the key. A front end picks the language once, before the first message: the CLI
 *   from LC_ALL / LC_MESSAGES / LANG (cli/locale.ts), the extension from VS Code's display language
 *   (its `vscode.l10n.bundle` holds the same keys, so library messages shown in VS Code are
 *   translated too).
 * - Numbers, sizes and dates: through `Intl`, in the same locale (sizes keep their IEC units).
 * - Machine-readable output (`--json`, manifests, ids) never goes through here: it stays English.
 *
 * A language is one file, `l10n/bundle.l10n.<lang>.json`; the build derives `package.nls.<lang>.json`
 * (VS Code's titles and settings) from it (scripts/l10n.mjs).
 */
import * as l10n from '@vscode/l10n';

/** A bundle: English message → translation (the format of `l10n/bundle.l10n.<lang>.json`). */
export type MessageBundle = Record<string, string | { message: string; comment: string[] }>;

let locale = 'en';
let messages: MessageBundle = {};

/** The locale's formats, made once per language: an Intl formatter costs ~50 µs to make, and a progress line per file asks for one. */
function formatsFor(tag: string) {
  const decimals = (digits: number) => new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  return {
    numbers: new Intl.NumberFormat(tag),
    sizes: [decimals(0), decimals(1)] as const,
    dateTime: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' }),
    date: new Intl.DateTimeFormat(tag, { dateStyle: 'medium' }),
  };
}
let formats = formatsFor('en');

/** A BCP 47 tag Intl accepts, from a POSIX locale (`ja_JP.UTF-8`) or a VS Code language (`zh-cn`). */
export function toBcp47(language: string): string {
  const tag = language.split(/[.@]/)[0]!.replace(/_/g, '-');
  if (!tag || tag === 'C' || tag === 'POSIX') return 'en';
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/**
 * Sets the language of every message and number from now on. Without a bundle (or for English)
 * messages are the English keys themselves.
 */
export function useLanguage(language: string, bundle?: MessageBundle): void {
  locale = toBcp47(language);
  formats = formatsFor(locale);
  messages = bundle ?? {};
  l10n.config({ contents: messages });
}

/**
 * The language and bundle in use, for a worker thread to take up with `useLanguage` (each thread has
 * its own module state: a thread that was not told stays English).
 */
export function currentLanguage(): { language: string; bundle: MessageBundle } {
  return { language: locale, bundle: messages };
}

/** The locale numbers and dates are shown in (BCP 47). */
export function displayLocale(): string {
  return locale;
}

/** A count or other number for people: `20,000` (grouped as the locale groups). */
export function formatNumber(n: number): string {
  return formats.numbers.format(n);
}

/** The number of a size (`1.5` of `1.5 KiB`): no grouping, 0 or 1 decimal, the locale's decimal sign. */
export function formatSizeNumber(n: number, digits: 0 | 1): string {
  return formats.sizes[digits].format(n);
}

/** A moment for people, in the locale's own order: `2026/12/01 22:55` in Japanese. */
export function formatDate(d: Date | string | number, { time = true }: { time?: boolean } = {}): string {
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) return String(d);
  return (time ? formats.dateTime : formats.date).format(date);
}
