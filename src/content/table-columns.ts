/**
 * Per-column profile of one side of a table, built while it streams by: the inferred type and, for
 * numeric columns, count / nulls / min / max / mean. Text cells (CSV, TSV) are classified by their
 * spelling; typed cells (JSON Lines, Parquet) by their JavaScript type.
 */

export type ColumnType = 'empty' | 'integer' | 'number' | 'boolean' | 'date' | 'string' | 'json' | 'binary' | 'mixed';

export interface NumericStats {
  /** Numeric values. */
  count: number;
  /** Empty or null cells (CSV: '', NA, N/A, NaN, nan, null, NULL, None). */
  nulls: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

const INT = 1;
const NUM = 2;
const BOOL = 4;
const DATE = 8;
const STRING = 16;
const JSON_ = 32;
const BINARY = 64;

const NULL_TEXT = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None']); // l10n-ignore: how files spell an empty cell
const INT_TEXT = /^[-+]?\d+$/;
const NUM_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const BOOL_TEXT = /^(?:true|false|TRUE|FALSE|True|False)$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export class ColumnProfile {
  private kinds = 0;
  nulls = 0;
  private count = 0;
  private min = Infinity;
  private max = -Infinity;
  private mean = 0;

  private addNumber(x: number): void {
    this.count += 1;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.mean += (x - this.mean) / this.count;
  }

  /** A cell of a text format. Once a column holds free text it stays `string`, so later cells cost one check. */
  addText(v: string | undefined): void {
    if (v === undefined || (v.length <= 4 && NULL_TEXT.has(v))) {
      this.nulls += 1;
      return;
    }
    const k = this.kinds;
    if (k & STRING) return;
    // One regex per numeric cell: integers are told apart only while no fraction has been seen.
    if ((k & NUM) === 0 && INT_TEXT.test(v)) {
      this.kinds |= INT;
      this.addNumber(Number(v));
    } else if (NUM_TEXT.test(v)) {
      this.kinds |= NUM;
      this.addNumber(Number(v));
    } else if (BOOL_TEXT.test(v)) this.kinds |= BOOL;
    else if (DATE_TEXT.test(v)) this.kinds |= DATE;
    else this.kinds |= STRING;
  }

  /** A typed cell (JSON Lines, Parquet). */
  addValue(v: unknown): void {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      this.nulls += 1;
      return;
    }
    switch (typeof v) {
      case 'number':
        this.kinds |= Number.isInteger(v) ? INT : NUM;
        this.addNumber(v);
        return;
      case 'bigint':
        this.kinds |= INT;
        this.addNumber(Number(v));
        return;
      case 'boolean':
        this.kinds |= BOOL;
        return;
      case 'string':
        this.kinds |= STRING;
        return;
      default:
        if (v instanceof Date) this.kinds |= DATE;
        else if (v instanceof Uint8Array) this.kinds |= BINARY;
        else this.kinds |= JSON_;
    }
  }

  get type(): ColumnType {
    const k = this.kinds;
    if (k === 0) return 'empty';
    if ((k & ~INT) === 0) return 'integer';
    if ((k & ~(INT | NUM)) === 0) return 'number';
    // A text column with numbers and words is a string column.
    if (k & STRING && (k & (JSON_ | BINARY)) === 0) return 'string';
    switch (k) {
      case BOOL:
        return 'boolean';
      case DATE:
        return 'date';
      case JSON_:
        return 'json';
      case BINARY:
        return 'binary';
      default:
        return 'mixed';
    }
  }

  /** Statistics of a numeric column, `null` for others. */
  get stats(): NumericStats | null {
    const t = this.type;
    if (t !== 'integer' && t !== 'number') return null;
    return { count: this.count, nulls: this.nulls, min: this.min, max: this.max, mean: this.mean };
  }
}
