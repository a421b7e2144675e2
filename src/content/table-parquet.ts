/**
 * Parquet through hyparquet (pure JS), reading by byte range: the footer first, then one row group at
 * a time, so memory holds one row group's rows at most. Snappy is built in; gzip, zstd, brotli and
 * lz4 come from hyparquet-compressors. Rows are located by index.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import * as l10n from '@vscode/l10n';
import { CancelledError, ValidationError, isUserError } from '../core/errors';
import { TimeSlicer } from './options';
import { readRange, type ContentSource } from './source';
import type { ColumnType } from './table-columns';
import type { RowRange, RowSink, ScanOptions, TableReader } from './table-reader';

function declaredType(node: SchemaTree): ColumnType {
  const e: SchemaElement = node.element;
  if (node.children.length > 0) return 'json';
  const logical = e.logical_type?.type;
  if (logical === 'STRING' || logical === 'ENUM' || logical === 'UUID' || e.converted_type === 'UTF8' || e.converted_type === 'ENUM') return 'string';
  if (logical === 'JSON' || logical === 'BSON' || e.converted_type === 'JSON') return 'json';
  if (logical === 'DATE' || logical === 'TIMESTAMP' || e.converted_type === 'DATE' || e.converted_type?.startsWith('TIMESTAMP') || e.type === 'INT96') return 'date';
  if (logical === 'DECIMAL' || logical === 'FLOAT16' || e.converted_type === 'DECIMAL') return 'number';
  switch (e.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    default:
      return 'binary';
  }
}

/** Column chunks as hyparquet hands them over (they may start before the rows asked for). */
class ColumnSlice {
  private last = 0;

  constructor(private readonly chunks: { rowStart: number; data: ArrayLike<unknown> }[]) {}

  /** The value at a row (file row index); rows are asked for in order, so the last chunk is tried first. */
  at(row: number): unknown {
    for (let k = this.last; k < this.chunks.length; k++) {
      const chunk = this.chunks[k]!;
      const i = row - chunk.rowStart;
      if (i >= 0 && i < chunk.data.length) {
        this.last = k;
        return chunk.data[i];
      }
    }
    for (let k = 0; k < this.last; k++) {
      const chunk = this.chunks[k]!;
      const i = row - chunk.rowStart;
      if (i >= 0 && i < chunk.data.length) return chunk.data[i];
    }
    return undefined;
  }
}

export class ParquetReader implements TableReader {
  readonly format = 'parquet' as const;
  readonly textual = false;
  readonly dataStart = 0;
  columns: string[] = [];
  declaredTypes: ColumnType[] = [];
  totalRows = 0;
  private metadata!: FileMetaData;
  private readonly file: AsyncBuffer;

  constructor(private readonly source: ContentSource) {
    this.file = {
      byteLength: source.size,
      slice: async (start, end) => {
        const b = await readRange(source, start, end ?? source.size);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
      },
    };
  }

  private fail(error: unknown): never {
    if (error instanceof CancelledError || isUserError(error)) throw error;
    throw new ValidationError(l10n.t('{0} is not a valid Parquet file: {1}', this.source.name, (error as Error).message));
  }

  async open(): Promise<void> {
    try {
      this.metadata = await parquetMetadataAsync(this.file);
      const schema = parquetSchema(this.metadata);
      this.columns = schema.children.map((c) => c.element.name);
      this.declaredTypes = schema.children.map(declaredType);
      this.totalRows = Number(this.metadata.num_rows);
    } catch (error) {
      this.fail(error);
    }
  }

  private async rowsBetween(rowStart: number, rowEnd: number): Promise<unknown[][]> {
    let rows: unknown[][] = [];
    try {
      await parquetRead({ file: this.file, metadata: this.metadata, rowStart, rowEnd, compressors, onComplete: (r) => (rows = r) });
    } catch (error) {
      this.fail(error);
    }
    return rows;
  }

  async scan(onRow: RowSink, opts: ScanOptions): Promise<{ sampled: boolean }> {
    const slicer = new TimeSlicer(opts.signal);
    // Over the limit, read the leading share of rows that the limit is of the file.
    const rowLimit = this.source.size > opts.limitBytes ? Math.floor((this.totalRows * opts.limitBytes) / this.source.size) : this.totalRows;
    let groupStart = 0;
    for (const group of this.metadata.row_groups) {
      const groupEnd = groupStart + Number(group.num_rows);
      const end = Math.min(groupEnd, rowLimit);
      if (end > groupStart) {
        // One column at a time: hyparquet decodes a column chunk synchronously, so this bounds how
        // long the thread is held to one column of one row group, not the whole group.
        const columns: ColumnSlice[] = [];
        for (const name of this.columns) {
          columns.push(await this.column(name, groupStart, end));
          await slicer.tick();
        }
        const cells: unknown[] = new Array(columns.length);
        for (let row = groupStart; row < end; row++) {
          if (slicer.due()) await slicer.pause();
          for (let c = 0; c < columns.length; c++) cells[c] = columns[c]!.at(row);
          onRow(cells, row + 1);
        }
      }
      groupStart = groupEnd;
      if (groupStart >= rowLimit) break;
    }
    return { sampled: rowLimit < this.totalRows };
  }

  /** The values of one top-level column for rows [start, end) of one row group. */
  private async column(name: string, start: number, end: number): Promise<ColumnSlice> {
    const chunks: { rowStart: number; data: ArrayLike<unknown> }[] = [];
    try {
      await parquetRead({
        file: this.file,
        metadata: this.metadata,
        columns: [name],
        rowStart: start,
        rowEnd: end,
        compressors,
        onChunk: ({ rowStart, columnData }) => chunks.push({ rowStart, data: columnData as ArrayLike<unknown> }),
      });
    } catch (error) {
      this.fail(error);
    }
    return new ColumnSlice(chunks);
  }

  async readRows(ranges: readonly RowRange[], signal?: AbortSignal): Promise<unknown[][]> {
    const out: unknown[][] = new Array(ranges.length);
    const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.start - ranges[b]!.start);
    // Rows near each other are read in one call: hyparquet decodes whole pages anyway.
    for (let k = 0; k < order.length; ) {
      const first = ranges[order[k]!]!.start;
      let j = k;
      while (j + 1 < order.length && ranges[order[j + 1]!]!.start - first < 4096) j++;
      const rows = await this.rowsBetween(first, ranges[order[j]!]!.start + 1);
      for (let m = k; m <= j; m++) out[order[m]!] = rows[ranges[order[m]!]!.start - first] ?? [];
      if (signal?.aborted) throw new CancelledError();
      k = j + 1;
    }
    return out;
  }
}
