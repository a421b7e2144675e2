/**
 * Time-to-live of a version, with W&B's three states: inherit the registry default, none (never
 * expires, even when a default exists), or a positive number of whole seconds.
 */
import * as l10n from '@vscode/l10n';
import { ValidationError } from './errors';

export const TTL_INHERIT = 'inherit' as const;
/** `number` = seconds (> 0), `null` = no TTL, `'inherit'` = the registry's default. */
export type Ttl = number | null | typeof TTL_INHERIT;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400, y: 365 * 86400 };

export function validateTtl(ttl: Ttl): Ttl {
  if (ttl === null || ttl === TTL_INHERIT) return ttl;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || Math.trunc(ttl) <= 0) {
    throw new ValidationError(l10n.t("TTL must be a positive duration, 'none' or 'inherit' (got {0})", String(ttl)));
  }
  return Math.trunc(ttl);
}

/** Parses `30d`, `12h`, `90m`, `45s`, `2w`, `1y`, combinations like `1d12h`, `none` and `inherit`. */
export function parseTtl(text: string): Ttl {
  const t = text.trim().toLowerCase();
  if (t === 'none') return null;
  if (t === 'inherit') return TTL_INHERIT;
  const parts = [...t.matchAll(/(\d+)\s*([smhdwy])/g)];
  const consumed = parts.map((m) => m[0]).join('');
  if (parts.length === 0 || consumed.replace(/\s/g, '') !== t.replace(/\s/g, '')) {
    throw new ValidationError(l10n.t("Invalid TTL '{0}': use a duration like 30d, 12h, 90m, 1d12h, or 'none' or 'inherit'", text));
  }
  const seconds = parts.reduce((sum, m) => sum + Number(m[1]) * UNITS[m[2]!]!, 0);
  return validateTtl(seconds);
}

export function formatTtl(ttl: Ttl): string {
  if (ttl === null) return 'none';
  if (ttl === TTL_INHERIT) return 'inherit';
  let rest = ttl;
  let out = '';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
