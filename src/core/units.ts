import { formatSizeNumber } from './l10n';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Byte counts for people: 1023 B, 1.5 KiB, 12 MiB, 3.2 GiB, the number in the display locale's
 * own form (`1,5 KiB` in German), the IEC unit as it is. Shared by the CLI, the views and the diff page.
 */
export function formatBytes(n: number): string {
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u += 1;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  const rounded = Number(v.toFixed(digits));
  const number = formatSizeNumber(rounded, digits);
  return `${n < 0 ? '-' : ''}${number} ${UNITS[u]}`;
}

/** A size change with its sign: +1.5 KiB, -10 B, 0 B. */
export function formatBytesChange(n: number): string {
  return n === 0 ? '0 B' : `${n > 0 ? '+' : '-'}${formatBytes(Math.abs(n))}`;
}
