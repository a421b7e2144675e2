/**
 * Model weights: which tensors were added, removed or changed in shape or dtype, the parameter
 * count on each side and, for files within the byte limit, which same-shaped tensors hold different
 * values. Reads safetensors (8-byte little-endian header length, then a JSON header of names,
 * dtypes, shapes and data offsets) and ONNX initializers (weights-onnx.ts). PyTorch checkpoints are
 * Python pickles that only Python can read, so they are reported as opaque rather than guessed at.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { ValidationError } from '../core/errors';
import { DEFAULT_LIMIT_BYTES, TimeSlicer, type BaseContentOptions } from './options';
import { readRange, sideInfo, toSourceOrNull, type ContentInput, type ContentSource, type SideInfo } from './source';
import { diffValues, type ValueDiff } from './value-diff';
import { readOnnx } from './weights-onnx';

import { weightsFormatOfName, type WeightsFormat } from './formats';

export { weightsFormatOfName, type WeightsFormat } from './formats';

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  parameters: number;
}

export interface TensorChange {
  name: string;
  before: { dtype: string; shape: number[] };
  after: { dtype: string; shape: number[] };
  dtypeChanged: boolean;
  shapeChanged: boolean;
}

export interface WeightsDiff {
  kind: 'weights';
  format: WeightsFormat;
  before: SideInfo | null;
  after: SideInfo | null;
  /** The format cannot be read here (PyTorch pickles, unknown binaries); `reason` says why. */
  opaque: boolean;
  reason?: string;
  tensors: { added: TensorInfo[]; removed: TensorInfo[]; changed: TensorChange[]; unchanged: number };
  tensorCount: { before: number; after: number };
  parameters: { before: number; after: number; delta: number };
  /**
   * Tensors with the same name, dtype and shape whose bytes differ; null when values were not
   * compared (a file over the limit, or `compareValues: false`). Tensors whose bytes are not in the
   * file (ONNX external or sparse data) are never listed.
   */
  valuesChanged: string[] | null;
  /** safetensors `__metadata__`; ONNX IR version, producer, opsets and node count. */
  metadata: ValueDiff;
}

export interface WeightsOptions extends BaseContentOptions {
  /** Hash same-shaped tensors to find those whose values changed. Default true (within limitBytes). */
  compareValues?: boolean;
}

interface Tensor {
  name: string;
  dtype: string;
  shape: number[];
  data: { start: number; end: number } | null;
}

interface Parsed {
  tensors: Tensor[];
  metadata: Record<string, unknown>;
}

const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024; // the format's own limit

export async function readSafetensors(source: ContentSource, signal?: AbortSignal): Promise<Parsed> {
  const bad = (message: string): never => {
    throw new ValidationError(message);
  };
  const file = source.name;
  if (source.size < 8) bad(l10n.t('{0} is not a valid safetensors file: it is shorter than its 8-byte header length', file));
  const length = Number((await readRange(source, 0, 8, signal)).readBigUInt64LE(0));
  if (length > MAX_SAFETENSORS_HEADER || 8 + length > source.size) bad(l10n.t('{0} is not a valid safetensors file: its header length ({1} bytes) does not fit the file', file, length));
  let header: unknown;
  try {
    header = JSON.parse((await readRange(source, 8, 8 + length, signal)).toString('utf8'));
  } catch (error) {
    bad(l10n.t('{0} is not a valid safetensors file: its header is not JSON ({1})', file, (error as Error).message));
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) bad(l10n.t('{0} is not a valid safetensors file: its header is not a JSON object', file));
  const dataStart = 8 + length;
  const tensors: Tensor[] = [];
  let metadata: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry as Record<string, unknown>) ?? {};
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const shapeOk = Array.isArray(e?.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0);
    const offsets = e?.data_offsets as number[] | undefined;
    const offsetsOk = Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isInteger(o) && o >= 0) && offsets[0]! <= offsets[1]! && dataStart + offsets[1]! <= source.size;
    if (typeof e?.dtype !== 'string' || !shapeOk || !offsetsOk) {
      bad(l10n.t("{0} is not a valid safetensors file: tensor '{1}' needs a dtype, a shape and data offsets inside the file", file, name));
    }
    tensors.push({ name, dtype: e.dtype as string, shape: e.shape as number[], data: { start: dataStart + offsets![0]!, end: dataStart + offsets![1]! } });
  }
  return { tensors, metadata };
}

async function readOnnxWeights(source: ContentSource, signal?: AbortSignal): Promise<Parsed> {
  const model = await readOnnx(source, signal);
  return { tensors: model.tensors, metadata: model.info };
}

/** Is this a PyTorch checkpoint (a zip archive, or a pickle from torch < 1.6)? */
async function looksLikePytorch(source: ContentSource, signal?: AbortSignal): Promise<boolean> {
  const head = await readRange(source, 0, 4, signal);
  const zip = head.length === 4 && head.readUInt32LE(0) === 0x04034b50;
  const pickle = head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5;
  return zip || pickle;
}

const parameters = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** MD5 of each range's bytes, one ranged read per range. */
async function digests(source: ContentSource, tensors: readonly Tensor[], slicer: TimeSlicer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of tensors) {
    if (!t.data) continue;
    const hash = createHash('md5');
    const stream = await source.open({ start: t.data.start, end: t.data.end });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      await slicer.tick();
    }
    out.set(t.name, hash.digest('base64'));
  }
  return out;
}

async function parse(source: ContentSource | null, format: WeightsFormat, signal?: AbortSignal): Promise<Parsed | null> {
  if (!source) return null;
  return format === 'safetensors' ? readSafetensors(source, signal) : readOnnxWeights(source, signal);
}

/** Compares two weight files; a missing side (file added or removed) is `null`. */
export async function diffWeights(beforeInput: ContentInput | null, afterInput: ContentInput | null, opts: WeightsOptions = {}): Promise<WeightsDiff> {
  const slicer = new TimeSlicer(opts.signal);
  const [before, after] = await Promise.all([toSourceOrNull(beforeInput), toSourceOrNull(afterInput)]);
  const name = after?.name ?? before?.name ?? '';
  let format = weightsFormatOfName(name) ?? 'unknown';
  const empty: WeightsDiff = {
    kind: 'weights',
    format,
    before: sideInfo(before),
    after: sideInfo(after),
    opaque: true,
    tensors: { added: [], removed: [], changed: [], unchanged: 0 },
    tensorCount: { before: 0, after: 0 },
    parameters: { before: 0, after: 0, delta: 0 },
    valuesChanged: null,
    metadata: await diffValues({}, {}),
  };
  if (format === 'pytorch' || format === 'unknown') {
    const sides = [before, after].filter((s): s is ContentSource => s !== null);
    const pytorch = (await Promise.all(sides.map((s) => looksLikePytorch(s, opts.signal)))).every(Boolean);
    if (!pytorch) format = 'unknown';
    const reason =
      format === 'pytorch'
        ? l10n.t('PyTorch checkpoints are Python pickles: their tensors cannot be listed without running Python code, so only the file sizes are compared')
        : l10n.t('{0} is not in a weights format this comparison reads (safetensors, ONNX)', name);
    return { ...empty, format, reason };
  }
  const [a, b] = await Promise.all([parse(before, format, opts.signal), parse(after, format, opts.signal)]);
  const beforeByName = new Map((a?.tensors ?? []).map((t) => [t.name, t]));
  const afterByName = new Map((b?.tensors ?? []).map((t) => [t.name, t]));
  const info = (t: Tensor): TensorInfo => ({ name: t.name, dtype: t.dtype, shape: t.shape, parameters: parameters(t.shape) });
  const tensors: WeightsDiff['tensors'] = { added: [], removed: [], changed: [], unchanged: 0 };
  const same: string[] = [];
  for (const t of b?.tensors ?? []) {
    const old = beforeByName.get(t.name);
    if (!old) {
      tensors.added.push(info(t));
      continue;
    }
    const dtypeChanged = old.dtype !== t.dtype;
    const shapeChanged = old.shape.join(',') !== t.shape.join(',');
    if (dtypeChanged || shapeChanged) {
      tensors.changed.push({ name: t.name, before: { dtype: old.dtype, shape: old.shape }, after: { dtype: t.dtype, shape: t.shape }, dtypeChanged, shapeChanged });
    } else {
      tensors.unchanged += 1;
      same.push(t.name);
    }
  }
  for (const t of a?.tensors ?? []) if (!afterByName.has(t.name)) tensors.removed.push(info(t));

  let valuesChanged: string[] | null = null;
  const limitBytes = opts.limitBytes ?? DEFAULT_LIMIT_BYTES;
  if (before && after && opts.compareValues !== false && before.size <= limitBytes && after.size <= limitBytes) {
    const [da, db] = await Promise.all([
      digests(before, same.map((n) => beforeByName.get(n)!), slicer),
      digests(after, same.map((n) => afterByName.get(n)!), slicer),
    ]);
    valuesChanged = same.filter((n) => da.has(n) && db.has(n) && da.get(n) !== db.get(n));
  }
  const count = (p: Parsed | null): number => (p?.tensors ?? []).reduce((n, t) => n + parameters(t.shape), 0);
  const pBefore = count(a);
  const pAfter = count(b);
  return {
    ...empty,
    opaque: false,
    tensors,
    tensorCount: { before: a?.tensors.length ?? 0, after: b?.tensors.length ?? 0 },
    parameters: { before: pBefore, after: pAfter, delta: pAfter - pBefore },
    valuesChanged,
    metadata: await diffValues(a?.metadata, b?.metadata, { signal: opts.signal }),
  };
}
