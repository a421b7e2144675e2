/**
 * The initializers (weights) of an ONNX model, read from its protobuf without loading it: the walk
 * reads each field's tag and length through small ranged reads and jumps over tensor data, so a
 * multi-gigabyte model costs a few reads per tensor. Wire decoding is @bufbuild/protobuf's.
 *
 * Fields used (onnx.proto3): ModelProto 1 ir_version, 2 producer_name, 3 producer_version,
 * 7 graph, 8 opset_import {1 domain, 2 version}; GraphProto 1 node, 5 initializer,
 * 15 sparse_initializer {1 values, 3 dims}; TensorProto 1 dims, 2 data_type, 8 name, 9 raw_data,
 * 4/5/7/10/11 typed data, 14 data_location (1 = external file).
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import * as l10n from '@vscode/l10n';
import { CancelledError, ValidationError } from '../core/errors';
import { formatNumber } from '../core/l10n';
import { TimeSlicer } from './options';
import { BlockReader, type ContentSource } from './source';

const DATA_TYPES = [
  'undefined', 'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool', 'float16', 'float64', 'uint32', 'uint64',
  'complex64', 'complex128', 'bfloat16', 'float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1', 'float8e8m0', 'uint2', 'int2',
];

export interface OnnxTensor {
  name: string;
  dtype: string;
  shape: number[];
  /** Bytes of the tensor's values in the file, or null when they live elsewhere (external data, sparse). */
  data: { start: number; end: number } | null;
}

export interface OnnxModel {
  info: { irVersion: number | null; producer: string | null; opsets: Record<string, number>; nodes: number };
  tensors: OnnxTensor[];
}

interface Field {
  no: number;
  wire: WireType;
  /** Varint value. */
  value: bigint;
  /** The value's bytes (length-delimited, fixed). */
  start: number;
  end: number;
}

class MalformedOnnx extends Error {}

class ProtoWalker {
  private readonly slicer: TimeSlicer;

  constructor(
    private readonly reader: BlockReader,
    signal?: AbortSignal,
  ) {
    this.slicer = new TimeSlicer(signal);
  }

  async *fields(start: number, end: number): AsyncGenerator<Field> {
    let pos = start;
    while (pos < end) {
      if (this.slicer.due()) await this.slicer.pause();
      const head = await this.reader.read(pos, Math.min(20, end - pos));
      const r = new BinaryReader(head);
      const [no, wire] = r.tag();
      let value = 0n;
      let valueStart: number;
      let valueEnd: number;
      switch (wire) {
        case WireType.Varint:
          value = BigInt(r.uint64());
          valueStart = valueEnd = pos + r.pos;
          break;
        case WireType.Bit64:
          valueStart = pos + r.pos;
          valueEnd = valueStart + 8;
          break;
        case WireType.Bit32:
          valueStart = pos + r.pos;
          valueEnd = valueStart + 4;
          break;
        case WireType.LengthDelimited: {
          const length = r.uint32();
          valueStart = pos + r.pos;
          valueEnd = valueStart + length;
          break;
        }
        default:
          throw new MalformedOnnx(l10n.t('unsupported protobuf wire type {0} at byte {1}', wire, formatNumber(pos)));
      }
      if (valueEnd > end) throw new MalformedOnnx(l10n.t('field {0} at byte {1} runs past the end of its message', no, formatNumber(pos)));
      yield { no, wire, value, start: valueStart, end: valueEnd };
      pos = valueEnd;
    }
  }

  async bytes(f: Field): Promise<Buffer> {
    return this.reader.read(f.start, f.end - f.start);
  }

  async text(f: Field): Promise<string> {
    return (await this.bytes(f)).toString('utf8');
  }

  /** A repeated int64: packed in one field, or one varint per field. */
  async int64s(f: Field, into: number[]): Promise<void> {
    if (f.wire === WireType.Varint) {
      into.push(Number(BigInt.asIntN(64, f.value)));
      return;
    }
    const r = new BinaryReader(await this.bytes(f));
    while (r.pos < r.len) into.push(Number(r.int64()));
  }
}

async function readTensor(w: ProtoWalker, start: number, end: number): Promise<OnnxTensor> {
  const tensor: OnnxTensor = { name: '', dtype: 'undefined', shape: [], data: null };
  let external = false;
  for await (const f of w.fields(start, end)) {
    switch (f.no) {
      case 1:
        await w.int64s(f, tensor.shape);
        break;
      case 2:
        tensor.dtype = DATA_TYPES[Number(f.value)] ?? `type ${f.value}`;
        break;
      case 8:
        tensor.name = await w.text(f);
        break;
      case 14:
        external = f.value === 1n;
        break;
      case 4:
      case 5:
      case 7:
      case 9:
      case 10:
      case 11:
        if (f.wire === WireType.LengthDelimited) tensor.data ??= { start: f.start, end: f.end };
        break;
    }
  }
  if (external) tensor.data = null;
  return tensor;
}

/** Lists the initializers of an ONNX model. A file that is not one is a ValidationError. */
export async function readOnnx(source: ContentSource, signal?: AbortSignal): Promise<OnnxModel> {
  const w = new ProtoWalker(new BlockReader(source, 1 << 16, 8, signal), signal);
  const model: OnnxModel = { info: { irVersion: null, producer: null, opsets: {}, nodes: 0 }, tensors: [] };
  let sawGraph = false;
  try {
    for await (const f of w.fields(0, source.size)) {
      if (f.no === 1 && f.wire === WireType.Varint) model.info.irVersion = Number(f.value);
      else if (f.no === 2 && f.wire === WireType.LengthDelimited) model.info.producer = await w.text(f);
      else if (f.no === 8 && f.wire === WireType.LengthDelimited) {
        let domain = '';
        let version = 0;
        for await (const g of w.fields(f.start, f.end)) {
          if (g.no === 1) domain = await w.text(g);
          else if (g.no === 2) version = Number(g.value);
        }
        model.info.opsets[domain || 'ai.onnx'] = version;
      } else if (f.no === 7 && f.wire === WireType.LengthDelimited) {
        sawGraph = true;
        for await (const g of w.fields(f.start, f.end)) {
          if (g.wire !== WireType.LengthDelimited) continue;
          if (g.no === 1) model.info.nodes += 1;
          else if (g.no === 5) model.tensors.push(await readTensor(w, g.start, g.end));
          else if (g.no === 15) {
            // Sparse: the dense shape is the sparse tensor's own dims; values are not compared.
            let values: OnnxTensor | null = null;
            const dims: number[] = [];
            for await (const s of w.fields(g.start, g.end)) {
              if (s.no === 1 && s.wire === WireType.LengthDelimited) values = await readTensor(w, s.start, s.end);
              else if (s.no === 3) await w.int64s(s, dims);
            }
            if (values) model.tensors.push({ ...values, shape: dims, data: null });
          }
        }
      }
    }
  } catch (error) {
    if (error instanceof CancelledError || error instanceof ValidationError) throw error;
    throw new ValidationError(l10n.t('{0} is not a valid ONNX model: {1}', source.name, (error as Error).message));
  }
  if (!sawGraph) throw new ValidationError(l10n.t('{0} is not a valid ONNX model: it has no graph', source.name));
  if (model.info.irVersion === null) throw new ValidationError(l10n.t('{0} is not a valid ONNX model: it has no IR version', source.name));
  return model;
}
