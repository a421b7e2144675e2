/** Byte counts for people: 1023 B, 1.5 KiB, 12 MiB, 3.2 GiB. Shared by the CLI, the views and the diff page. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  const text = u === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
  return n < 0 ? `-${text}` : text;
}

/** A count with its noun: 1 file, 2 files. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A size change with its sign: +1.5 KiB, -10 B, 0 B. */
export function formatBytesChange(n: number): string {
  return n === 0 ? '0 B' : `${n > 0 ? '+' : '-'}${formatBytes(Math.abs(n))}`;
}
