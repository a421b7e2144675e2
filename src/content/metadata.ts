/**
 * What changed in the editable data of two versions: metadata (by key path), description, aliases,
 * tags and TTL. Takes plain values, so it works on logged versions, drafts and JSON from the CLI.
 */
import { diffValues, type ValueDiff, type ValueDiffOptions } from './value-diff';

/** `number` = seconds, `null` = never expires, `'inherit'` = the registry default (core/ttl's Ttl). */
export type TtlValue = number | null | 'inherit';

/** The fields of a version this differ reads; pass `artifact.ttlSetting` as `ttl` (its `ttl` getter may throw). */
export interface VersionMetadata {
  metadata?: Record<string, unknown> | null;
  description?: string | null;
  aliases?: readonly string[];
  tags?: readonly string[];
  ttl?: TtlValue;
}

export interface SetChange {
  added: string[];
  removed: string[];
}

export interface MetadataDiff {
  kind: 'metadata';
  /** Changes inside `metadata`, paths relative to it (`a.b[2].c`). */
  metadata: ValueDiff;
  /** `null` when unchanged. */
  description: { before: string | null; after: string | null; collapse?: true } | null;
  aliases: SetChange;
  tags: SetChange;
  /** `null` when unchanged; `delta` in seconds when both are durations. */
  ttl: { before: TtlValue; after: TtlValue; delta?: number } | null;
  /** Anything at all differs. */
  changed: boolean;
}

function setChange(before: readonly string[] = [], after: readonly string[] = []): SetChange {
  const a = new Set(before);
  const b = new Set(after);
  return { added: [...b].filter((x) => !a.has(x)), removed: [...a].filter((x) => !b.has(x)) };
}

/** Compares two versions' editable data; `null` stands for a version that does not exist (all added or removed). */
export async function diffVersionMetadata(before: VersionMetadata | null, after: VersionMetadata | null, opts: ValueDiffOptions = {}): Promise<MetadataDiff> {
  const metadata = await diffValues(before ? (before.metadata ?? {}) : undefined, after ? (after.metadata ?? {}) : undefined, opts);
  const descBefore = before?.description ?? null;
  const descAfter = after?.description ?? null;
  let description: MetadataDiff['description'] = null;
  if (descBefore !== descAfter) {
    description = { before: descBefore, after: descAfter };
    const long = opts.longValueChars ?? 80;
    if ([descBefore, descAfter].some((d) => d !== null && (d.length > long || d.includes('\n')))) description.collapse = true;
  }
  const ttlBefore = before?.ttl ?? 'inherit';
  const ttlAfter = after?.ttl ?? 'inherit';
  let ttl: MetadataDiff['ttl'] = null;
  if (ttlBefore !== ttlAfter) {
    ttl = { before: ttlBefore, after: ttlAfter };
    if (typeof ttlBefore === 'number' && typeof ttlAfter === 'number') ttl.delta = ttlAfter - ttlBefore;
  }
  const aliases = setChange(before?.aliases, after?.aliases);
  const tags = setChange(before?.tags, after?.tags);
  const { added, removed, changed } = metadata.counts;
  const anything = added + removed + changed > 0 || description !== null || ttl !== null || [aliases, tags].some((s) => s.added.length + s.removed.length > 0);
  return { kind: 'metadata', metadata, description, aliases, tags, ttl, changed: anything };
}
