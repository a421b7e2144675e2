import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { CancelledError, ValidationError } from '../../../src/core/errors';
import { bufferSource } from '../../../src/content/source';
import { diffWeights } from '../../../src/content/weights';
import { readOnnx } from '../../../src/content/weights-onnx';
import { tempDir } from '../../support/tmp';

/** A safetensors file: tensors as [dtype, shape, bytes]. */
function safetensors(tensors: Record<string, [string, number[], Buffer]>, metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const [name, [dtype, shape, bytes]] of Object.entries(tensors)) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...Object.values(tensors).map((t) => t[2])]);
}

const f32 = (...values: number[]): Buffer => Buffer.from(Float32Array.from(values).buffer);

interface OnnxInit {
  name: string;
  dims: number[];
  type: number;
  raw?: Buffer;
  floats?: number[];
  external?: boolean;
}

/** A minimal ONNX ModelProto written field by field, as onnx.proto3 numbers them. */
function onnxModel(opts: { nodes: number; inits: OnnxInit[]; producer?: string; opset?: number; packedDims?: boolean }): Buffer {
  const w = new BinaryWriter();
  w.tag(1, 0).int64(8); // ir_version
  w.tag(2, 2).string(opts.producer ?? 'pytorch');
  w.tag(8, 2).fork().tag(1, 2).string('').tag(2, 0).int64(opts.opset ?? 17).join();
  w.tag(7, 2).fork(); // graph
  for (let i = 0; i < opts.nodes; i++) w.tag(1, 2).fork().tag(4, 2).string(`Relu_${i}`).join();
  w.tag(2, 2).string('main');
  for (const init of opts.inits) {
    w.tag(5, 2).fork();
    if (opts.packedDims) {
      w.tag(1, 2).fork();
      for (const d of init.dims) w.int64(d);
      w.join();
    } else for (const d of init.dims) w.tag(1, 0).int64(d);
    w.tag(2, 0).int32(init.type);
    if (init.floats) {
      w.tag(4, 2).fork();
      for (const f of init.floats) w.float(f);
      w.join();
    }
    w.tag(8, 2).string(init.name);
    if (init.raw) w.tag(9, 2).bytes(init.raw);
    if (init.external) {
      w.tag(13, 2).fork().tag(1, 2).string('location').tag(2, 2).string('weights.bin').join();
      w.tag(14, 0).int32(1);
    }
    w.join();
  }
  w.join();
  return Buffer.from(w.finish());
}

describe('diffWeights: safetensors', () => {
  const before = safetensors(
    { 'layer.w': ['F32', [2, 3], f32(1, 2, 3, 4, 5, 6)], 'layer.b': ['F32', [4], f32(0, 0, 0, 0)], step: ['I64', [2], Buffer.alloc(16)], 'emb.w': ['F32', [2], f32(7, 8)] },
    { format: 'pt' },
  );
  const after = safetensors(
    { 'layer.w': ['F32', [2, 3], f32(1, 2, 3, 4, 5, 60)], 'layer.b': ['F16', [4], Buffer.alloc(8)], 'head.w': ['F32', [5, 5], Buffer.alloc(100)], 'emb.w': ['F32', [2], f32(7, 8)] },
    { format: 'pt', epoch: '3' },
  );

  it('lists tensors added, removed, changed in dtype or shape, values changed, and parameter counts', async () => {
    const d = await diffWeights(bufferSource('model.safetensors', before), bufferSource('model.safetensors', after));
    expect(d.format).toBe('safetensors');
    expect(d.opaque).toBe(false);
    expect(d.tensors.added).toEqual([{ name: 'head.w', dtype: 'F32', shape: [5, 5], parameters: 25 }]);
    expect(d.tensors.removed).toEqual([{ name: 'step', dtype: 'I64', shape: [2], parameters: 2 }]);
    expect(d.tensors.changed).toEqual([{ name: 'layer.b', before: { dtype: 'F32', shape: [4] }, after: { dtype: 'F16', shape: [4] }, dtypeChanged: true, shapeChanged: false }]);
    expect(d.tensors.unchanged).toBe(2);
    expect(d.valuesChanged).toEqual(['layer.w']);
    expect(d.tensorCount).toEqual({ before: 4, after: 4 });
    expect(d.parameters).toEqual({ before: 6 + 4 + 2 + 2, after: 6 + 4 + 25 + 2, delta: 23 });
    expect(d.metadata.changes).toEqual([{ path: 'epoch', kind: 'added', after: '3' }]);
  });

  it('still lists tensors of files over the limit, without comparing values', async () => {
    const d = await diffWeights(bufferSource('m.safetensors', before), bufferSource('m.safetensors', after), { limitBytes: 64 });
    expect(d.valuesChanged).toBeNull();
    expect(d.tensors.added.map((t) => t.name)).toEqual(['head.w']);
  });

  it('rejects a malformed header with a ValidationError naming the file', async () => {
    const bad = Buffer.alloc(16);
    bad.writeBigUInt64LE(1000n);
    await expect(diffWeights(bufferSource('x.safetensors', bad), bufferSource('x.safetensors', after))).rejects.toThrow(
      new ValidationError('x.safetensors is not a valid safetensors file: its header length (1000 bytes) does not fit the file'),
    );
    const notJson = Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{no}')]);
    await expect(diffWeights(bufferSource('y.safetensors', notJson), null)).rejects.toThrow(/^y\.safetensors is not a valid safetensors file: its header is not JSON/);
    const outside = safetensors({ a: ['F32', [1], f32(1)] }).subarray(0, -2);
    await expect(diffWeights(bufferSource('z.safetensors', outside), null)).rejects.toThrow("tensor 'a' needs a dtype, a shape and data offsets inside the file");
  });

  it('an added file is all added tensors', async () => {
    const d = await diffWeights(null, bufferSource('m.safetensors', after));
    expect(d.tensors.added).toHaveLength(4);
    expect(d.parameters).toEqual({ before: 0, after: 37, delta: 37 });
    expect(d.valuesChanged).toBeNull();
  });
});

describe('diffWeights: ONNX', () => {
  it('reads initializers (raw, typed, packed or not, external) and compares them', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.onnx');
    const b = path.join(dir, 'b.onnx');
    await writeFile(
      a,
      onnxModel({
        nodes: 3,
        inits: [
          { name: 'fc.weight', dims: [3, 4], type: 1, raw: f32(...Array.from({ length: 12 }, (_, i) => i)) },
          { name: 'fc.bias', dims: [4], type: 1, floats: [0, 1, 2, 3] },
          { name: 'big.table', dims: [1000, 64], type: 1, external: true },
          { name: 'old', dims: [7], type: 7, raw: Buffer.alloc(56) },
        ],
      }),
    );
    await writeFile(
      b,
      onnxModel({
        nodes: 4,
        opset: 18,
        packedDims: true,
        inits: [
          { name: 'fc.weight', dims: [3, 4], type: 1, raw: f32(...Array.from({ length: 12 }, (_, i) => (i === 11 ? 99 : i))) },
          { name: 'fc.bias', dims: [4], type: 1, floats: [0, 1, 2, 3] },
          { name: 'big.table', dims: [1000, 128], type: 10, external: true },
          { name: 'new', dims: [2, 2], type: 6, raw: Buffer.alloc(16) },
        ],
      }),
    );
    const model = await readOnnx(bufferSource('a.onnx', await readFile(a)));
    expect(model.info).toEqual({ irVersion: 8, producer: 'pytorch', opsets: { 'ai.onnx': 17 }, nodes: 3 });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.data ? t.data.end - t.data.start : null])).toEqual([
      ['fc.weight', 'float32', [3, 4], 48],
      ['fc.bias', 'float32', [4], 16],
      ['big.table', 'float32', [1000, 64], null],
      ['old', 'int64', [7], 56],
    ]);

    const d = await diffWeights(a, b);
    expect(d.format).toBe('onnx');
    expect(d.tensors.added).toEqual([{ name: 'new', dtype: 'int32', shape: [2, 2], parameters: 4 }]);
    expect(d.tensors.removed).toEqual([{ name: 'old', dtype: 'int64', shape: [7], parameters: 7 }]);
    expect(d.tensors.changed).toEqual([
      { name: 'big.table', before: { dtype: 'float32', shape: [1000, 64] }, after: { dtype: 'float16', shape: [1000, 128] }, dtypeChanged: true, shapeChanged: true },
    ]);
    expect(d.tensors.unchanged).toBe(2);
    expect(d.valuesChanged).toEqual(['fc.weight']);
    expect(d.parameters).toEqual({ before: 12 + 4 + 64_000 + 7, after: 12 + 4 + 128_000 + 4, delta: 64_000 - 3 });
    expect(d.metadata.changes).toEqual([
      { path: 'opsets["ai.onnx"]', kind: 'changed', before: 17, after: 18, delta: 1 },
      { path: 'nodes', kind: 'changed', before: 3, after: 4, delta: 1 },
    ]);
  });

  it('reads only headers of a large model: tensor data is skipped by position', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 1);
    const source = bufferSource('big.onnx', onnxModel({ nodes: 1, inits: [{ name: 'w', dims: [2 * 1024 * 1024], type: 1, raw: big }] }));
    let bytesRead = 0;
    const counting = { ...source, open: async (range?: { start: number; end?: number }) => {
      bytesRead += (range?.end ?? source.size) - (range?.start ?? 0);
      return source.open(range);
    } };
    const model = await readOnnx(counting);
    expect(model.tensors[0]!.shape).toEqual([2 * 1024 * 1024]);
    expect(bytesRead).toBeLessThan(300_000);
  });

  it('rejects a file that is not ONNX with a ValidationError', async () => {
    await expect(diffWeights(bufferSource('m.onnx', Buffer.from('hello, this is text')), null)).rejects.toThrow(/^m\.onnx is not a valid ONNX model/);
    await expect(diffWeights(bufferSource('m.onnx', Buffer.from([0x08, 0x08])), null)).rejects.toThrow('m.onnx is not a valid ONNX model: it has no graph');
  });
});

describe('diffWeights: other formats', () => {
  it('reports PyTorch checkpoints as opaque instead of guessing', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]);
    const pickle = Buffer.from([0x80, 0x02, 0x8a, 0x0a]);
    const d = await diffWeights(bufferSource('model.pt', zip), bufferSource('model.pt', pickle));
    expect(d).toMatchObject({ format: 'pytorch', opaque: true, before: { size: 104 }, after: { size: 4 } });
    expect(d.reason).toMatch(/^PyTorch checkpoints are Python pickles/);
    const other = await diffWeights(bufferSource('blob.bin', 'plain bytes'), bufferSource('blob.bin', 'other bytes'));
    expect(other).toMatchObject({ format: 'unknown', opaque: true, reason: 'blob.bin is not in a weights format this comparison reads (safetensors, ONNX)' });
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(diffWeights(bufferSource('m.safetensors', Buffer.alloc(8)), null, { signal: controller.signal })).rejects.toThrow(CancelledError);
  });
});
