import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors';
import { Manifest } from '../../src/core/manifest';

describe('manifest v1', () => {
  it('writes W&B JSON: no path, no client-only keys, defaults omitted, sorted keys', () => {
    const m = new Manifest([
      { path: 'b.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5, localPath: '/tmp/x', skipCache: true },
      { path: 'a/remote.bin', digest: 'abc', ref: 'http://example.com/remote.bin', size: 256, extra: { etag: '"abc"' } },
      { path: 'c', digest: 'ref://x', ref: 'ref://x' },
    ]);
    expect(m.serialize()).toBe(
      JSON.stringify({
        version: 1,
        storagePolicy: 'wandb-storage-policy-v1',
        storagePolicyConfig: { storageLayout: 'V2' },
        contents: {
          'a/remote.bin': { digest: 'abc', ref: 'http://example.com/remote.bin', size: 256, extra: { etag: '"abc"' } },
          'b.txt': { digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5 },
          c: { digest: 'ref://x', ref: 'ref://x' },
        },
      }),
    );
    expect(m.size).toBe(261);
    expect(m.fileCount).toBe(3);
  });

  it('keeps paths that look like numbers in sorted order, and writes what toJSON holds', () => {
    // A plain object would put integer-like keys ("10", "9") first, in numeric order.
    const m = new Manifest([
      { path: 'b', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5 },
      { path: '9', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5, birthArtifactID: 'QXJ0aWZhY3Q6MTIz' },
      { path: '10', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 0, extra: { k: [1, 'two'] } },
      { path: 'ü "quoted"\\x', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5 },
    ]);
    const text = m.serialize();
    expect([...text.matchAll(/"((?:[^"\\]|\\.)*)":\{"digest"/g)].map((x) => JSON.parse(`"${x[1]}"`))).toEqual(['10', '9', 'b', 'ü "quoted"\\x']);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Manifest.parse(text).digest).toBe(m.digest);
  });

  it("reads what W&B's Go core writes (local_path, skip_cache, birthArtifactID, missing size)", () => {
    const m = Manifest.parse(
      JSON.stringify({
        version: 1,
        storagePolicy: 'wandb-storage-policy-v1',
        storagePolicyConfig: { storageLayout: 'V2', storageRegion: 'coreweave-us' },
        contents: {
          'file1.txt': { digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5, local_path: '/tmp/staging/abc', skip_cache: false, birthArtifactID: 'QXJ0aWZhY3Q6MTIz' },
          'nosize.bin': { digest: 'rL0Y20zC+Fzt72VPzMSk2A==' },
        },
      }),
    );
    expect(m.get('file1.txt')).toEqual({ path: 'file1.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==', size: 5, birthArtifactID: 'QXJ0aWZhY3Q6MTIz' });
    expect(m.get('nosize.bin')?.size).toBeUndefined();
    expect(m.storagePolicyConfig.storageRegion).toBe('coreweave-us');
    expect(m.size).toBe(5);
    // Round trip keeps the region and the birth id, drops the client-only keys.
    expect(JSON.parse(m.serialize()).contents['file1.txt']).toEqual({ digest: 'XUFAKrxLKna5cZ2REBfFkg==', birthArtifactID: 'QXJ0aWZhY3Q6MTIz', size: 5 });
  });

  it('rejects a missing or unknown version and an unknown storage policy', () => {
    expect(() => Manifest.parse('{"contents":{}}')).toThrow(/Must contain version field/);
    expect(() => Manifest.parse('{"version":2,"contents":{}}')).toThrow(/Invalid manifest version/);
    expect(() => Manifest.parse('{"version":1,"storagePolicy":"other","contents":{}}')).toThrow(/Failed to find storage policy/);
    expect(() => Manifest.parse('not json')).toThrow(ValidationError);
  });

  it('refuses the same path with another digest unless overwrite; same digest replaces silently', () => {
    const m = new Manifest();
    m.add({ path: 'a', digest: 'd1', size: 1 });
    m.add({ path: 'a', digest: 'd1', size: 1 });
    expect(() => m.add({ path: 'a', digest: 'd2' })).toThrow(/Cannot add the same path twice: a/);
    m.add({ path: 'a', digest: 'd2' }, { overwrite: true });
    expect(m.get('a')?.digest).toBe('d2');
  });

  it('recomputes the digest after changes', () => {
    const m = new Manifest([{ path: 'file1.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==' }]);
    expect(m.digest).toBe('a00c2239f036fb656c1dcbf9a32d89b4');
    m.delete('file1.txt');
    expect(m.digest).toBe('64e7c61456b10382e2f3b571ac24b659');
  });
});
