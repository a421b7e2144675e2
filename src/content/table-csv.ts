/**
 * CSV and TSV through csv-parse's streaming parser. The first record is the header. Each row's byte
 * range is taken from the parser's running byte count, so a changed row can be re-read later from
 * exactly its bytes.
 */
import { parse, CsvError, type Options as CsvOptions, type Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { CancelledError, ValidationError } from '../core/errors';
import { readRange, type ContentSource } from './source';
import { groupRanges, type RowRange, type RowSink, type ScanOptions, type TableReader } from './table-reader';

/** Header cells made unique and non-empty: `a, a, ''` → `a, a (2), column 3`. */
export function uniqueColumnNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, i) => {
    let name = raw.trim() === '' ? `column ${i + 1}` : raw;
    for (let n = 2; seen.has(name); n++) name = `${raw} (${n})`;
    seen.add(name);
    return name;
  });
}

export class CsvReader implements TableReader {
  readonly textual = true;
  columns: string[] = [];
  dataStart = 0;
  private readonly options: CsvOptions;

  constructor(
    private readonly source: ContentSource,
    readonly format: 'csv' | 'tsv',
  ) {
    this.options = {
      delimiter: format === 'tsv' ? '\t' : ',',
      relax_column_count: true,
      // TSV (IANA text/tab-separated-values) has no quoting: a quote is text.
      quote: format === 'tsv' ? null : '"',
      skip_empty_lines: true,
    };
  }

  private fail(error: unknown): never {
    if (error instanceof CsvError) throw new ValidationError(l10n.t('{0} is not valid {1}: {2}', this.source.name, this.format.toUpperCase(), error.message));
    throw error;
  }

  /**
   * Runs the parser over the file from the start; `onRecord(record, endByte)` returns false to stop.
   * Records arrive through 'data' as they are pushed, so the parser's byte count is that record's end;
   * the record count is checked to make sure of it.
   */
  private async stream(onRecord: (record: string[], end: number) => boolean, signal?: AbortSignal): Promise<void> {
    if (this.source.size === 0) return;
    const input = (await this.source.open()) as Readable;
    const parser: Parser = parse({ ...this.options, bom: true });
    let emitted = 0;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        input.unpipe(parser);
        input.destroy();
        parser.destroy();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => finish(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      parser.on('data', (record: string[]) => {
        if (settled) return;
        emitted += 1;
        if (parser.info.records !== emitted) return finish(new Error(l10n.t('csv-parse delivered records out of step with its byte count')));
        try {
          if (!onRecord(record, parser.info.bytes)) finish();
        } catch (error) {
          finish(error);
        }
      });
      parser.on('end', () => finish());
      parser.on('error', (error) => finish(error));
      input.on('error', (error) => finish(error));
      input.pipe(parser);
    }).catch((error) => this.fail(error));
  }

  async open(signal?: AbortSignal): Promise<void> {
    let header: string[] = [];
    await this.stream((record, end) => {
      header = record;
      this.dataStart = end;
      return false;
    }, signal);
    this.columns = uniqueColumnNames(header);
    if (header.length === 0) this.dataStart = this.source.size;
  }

  async scan(onRow: RowSink, opts: ScanOptions): Promise<{ sampled: boolean }> {
    let sampled = false;
    let first = true;
    await this.stream((record, end) => {
      if (first) {
        first = false; // the header
        return true;
      }
      if (end > opts.limitBytes) {
        sampled = true;
        return false;
      }
      onRow(record, end);
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
        try {
          const records = parseSync(bytes.subarray(r.start - group.start, r.end - group.start), this.options) as string[][];
          out[i] = records[0] ?? [];
        } catch (error) {
          this.fail(error);
        }
      }
    }
    return out;
  }
}
