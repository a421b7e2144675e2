/**
 * JSON Lines: one JSON value per line. An object's keys are columns (a key first seen on a later row
 * adds a column); any other value is one column named `value`.
 */
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { CancelledError, ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { readRange, type ContentSource } from './source';
import { groupRanges, type RowRange, type RowSink, type ScanOptions, type TableReader } from './table-reader';

const NEWLINE = 0x0a;
const VALUE_COLUMN = 'value';

export class JsonlReader implements TableReader {
  readonly format = 'jsonl' as const;
  readonly textual = false;
  readonly columns: string[] = [];
  readonly dataStart = 0;
  private readonly index = new Map<string, number>();

  constructor(private readonly source: ContentSource) {}

  private column(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.columns.length;
      this.columns.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  /** The cells of one parsed line, aligned with `columns` (growing them for new keys). */
  private cells(value: unknown): unknown[] {
    const cells: unknown[] = [];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value)) cells[this.column(key)] = v;
    } else {
      cells[this.column(VALUE_COLUMN)] = value;
    }
    return cells;
  }

  private parseLine(text: string, lineNo: number): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ValidationError(l10n.t('{0} line {1} is not valid JSON: {2}', this.source.name, formatNumber(lineNo), (error as Error).message));
    }
  }

  /** Calls `onLine(text, lineNo, endByte)` for each non-blank line until it returns false. */
  private async lines(onLine: (text: string, lineNo: number, end: number) => boolean, signal?: AbortSignal): Promise<void> {
    if (this.source.size === 0) return;
    const input = (await this.source.open()) as Readable;
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = 0; // byte offset of carry[0] in the file
    let lineNo = 0;
    const emit = (buf: Buffer, from: number, to: number, fileEnd: number): boolean => {
      lineNo += 1;
      let end = to;
      if (end > from && buf[end - 1] === 0x0d) end -= 1;
      if (lineNo === 1 && end - from >= 3 && buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf) from += 3;
      const text = buf.toString('utf8', from, end);
      if (text.trim() === '') return true;
      return onLine(text, lineNo, fileEnd);
    };
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        if (signal?.aborted) throw new CancelledError();
        const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        let from = 0;
        for (let nl = buf.indexOf(NEWLINE, from); nl !== -1; nl = buf.indexOf(NEWLINE, from)) {
          if (!emit(buf, from, nl, carryStart + nl + 1)) return;
          from = nl + 1;
        }
        carry = buf.subarray(from);
        carryStart += from;
      }
      if (carry.length) emit(carry, 0, carry.length, carryStart + carry.length);
    } finally {
      input.destroy();
    }
  }

  async open(signal?: AbortSignal): Promise<void> {
    await this.lines((text, lineNo) => {
      this.cells(this.parseLine(text, lineNo));
      return false;
    }, signal);
  }

  async scan(onRow: RowSink, opts: ScanOptions): Promise<{ sampled: boolean }> {
    let sampled = false;
    await this.lines((text, lineNo, end) => {
      if (end > opts.limitBytes) {
        sampled = true;
        return false;
      }
      onRow(this.cells(this.parseLine(text, lineNo)), end);
      return true;
    }, opts.signal);
    return { sampled };
  }

  async readRows(ranges: readonly RowRange[], signal?: AbortSignal): Promise<unknown[][]> {
    const out: unknown[][] = new Array(ranges.length);
    for (const group of groupRanges(ranges, 1 << 16, 1 << 22)) {
      const bytes = await readRange(this.source, group.start, group.end, signal);
      for (const i of group.members) {
        const r = ranges[i]!;
        let text = bytes.toString('utf8', r.start - group.start, r.end - group.start).trim();
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        out[i] = this.cells(this.parseLine(text, 0));
      }
    }
    return out;
  }
}
