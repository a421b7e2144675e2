/**
 * JSON and YAML files compared as data, by key path, not as text (see `value-diff.ts`).
 */
import * as l10n from '@vscode/l10n';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../core/errors';
import type { BaseContentOptions } from './options';
import { readAll, sideInfo, toSourceOrNull, type ContentInput, type ContentSource, type SideInfo } from './source';
import { diffValues, type ValueDiff, type ValueDiffOptions } from './value-diff';

import { structuredFormat, type StructuredFormat } from './formats';

export { structuredFormat, type StructuredFormat } from './formats';

/**
 * The default byte limit for JSON and YAML: both documents are parsed whole, and a parsed document
 * takes several times its size in memory. A caller's `limitBytes` replaces it.
 */
export const DEFAULT_STRUCTURED_LIMIT_BYTES = 32 * 1024 * 1024;

export interface StructuredDiff extends ValueDiff {
  kind: 'structured';
  format: StructuredFormat;
  before: SideInfo | null;
  after: SideInfo | null;
  /** Set when a side is over the byte limit: it was not parsed and nothing was compared. */
  skipped?: { reason: 'too-large'; limitBytes: number };
}

export type StructuredDiffOptions = BaseContentOptions & Omit<ValueDiffOptions, 'signal'>;

/** Parses a JSON or YAML document; a multi-document YAML stream becomes an array of its documents. */
export function parseStructured(text: string, format: StructuredFormat, name: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ValidationError(l10n.t('{0} is not valid JSON: {1}', name, (error as Error).message));
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const problem = doc.errors[0];
    if (problem) throw new ValidationError(l10n.t('{0} is not valid YAML: {1}', name, problem.message.split('\n')[0]!));
  }
  const values = list.map((doc) => doc.toJS());
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : values;
}

async function load(source: ContentSource | null, format: StructuredFormat, signal?: AbortSignal): Promise<unknown> {
  if (!source) return undefined;
  const bytes = await readAll(source, signal);
  return parseStructured(bytes.toString('utf8'), format, source.name);
}

/** Structural diff of two JSON or YAML files; a missing side (file added or removed) is `null`. */
export async function diffStructured(beforeInput: ContentInput | null, afterInput: ContentInput | null, opts: StructuredDiffOptions = {}): Promise<StructuredDiff> {
  const before = await toSourceOrNull(beforeInput);
  const after = await toSourceOrNull(afterInput);
  const name = after?.name ?? before?.name ?? '';
  const format = structuredFormat(name) ?? 'json';
  const limitBytes = opts.limitBytes ?? DEFAULT_STRUCTURED_LIMIT_BYTES;
  const base = { kind: 'structured' as const, format, before: sideInfo(before), after: sideInfo(after) };
  if ((before?.size ?? 0) > limitBytes || (after?.size ?? 0) > limitBytes) {
    return { ...base, changes: [], arrays: [], counts: { added: 0, removed: 0, changed: 0 }, truncated: false, skipped: { reason: 'too-large', limitBytes } };
  }
  const [a, b] = await Promise.all([load(before, format, opts.signal), load(after, format, opts.signal)]);
  return { ...base, ...(await diffValues(a, b, opts)) };
}
