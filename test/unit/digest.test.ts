import { describe, expect, it } from 'vitest';
import { artifactDigest, b64ToHex, compareCodePoints, EMPTY_ARTIFACT_DIGEST, hexToB64, md5B64, sortPaths } from '../../src/core/digest';

// The test vectors of ../shared/spec/wandb-artifacts.md §2.5 (recomputed there with python hashlib).
describe('W&B digest vectors', () => {
  it('#1 file bytes "hello" → base64 MD5', () => {
    expect(md5B64('hello')).toBe('XUFAKrxLKna5cZ2REBfFkg==');
    expect(b64ToHex('XUFAKrxLKna5cZ2REBfFkg==')).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(hexToB64('5d41402abc4b2a76b9719d911017c592')).toBe('XUFAKrxLKna5cZ2REBfFkg==');
  });
  it('#2 {file1.txt: hello}', () => {
    expect(artifactDigest([{ path: 'file1.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==' }])).toBe('a00c2239f036fb656c1dcbf9a32d89b4');
  });
  it('#3 {great-file.txt: hello}', () => {
    expect(artifactDigest([{ path: 'great-file.txt', digest: 'XUFAKrxLKna5cZ2REBfFkg==' }])).toBe('585b9ada17797e37c9cbab391e69b8c5');
  });
  it('#6 HTTP reference with ETag "abc"', () => {
    expect(artifactDigest([{ path: 'file1.txt', digest: 'abc' }])).toBe('48237ccc050a88af9dcd869dd5a7e9f4');
  });
  it('#7 unknown-scheme reference: the digest is the URI', () => {
    expect(artifactDigest([{ path: 'ref', digest: 'ref://example.com/somefile.txt' }])).toBe('410ade94865e89ebe1f593f4379ac228');
  });
  it('#9 md5_string', () => {
    expect(md5B64('')).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(md5B64('foo')).toBe('rL0Y20zC+Fzt72VPzMSk2A==');
  });
  it('#11 empty manifest', () => {
    expect(artifactDigest([])).toBe(EMPTY_ARTIFACT_DIGEST);
    expect(EMPTY_ARTIFACT_DIGEST).toBe('64e7c61456b10382e2f3b571ac24b659');
  });
  it('does not depend on input order', () => {
    const a = [
      { path: 'b', digest: 'x' },
      { path: 'a', digest: 'y' },
    ];
    expect(artifactDigest(a)).toBe(artifactDigest([...a].reverse()));
  });
});

describe('code-point order', () => {
  it('puts astral characters after U+E000–U+FFFF, unlike UTF-16 order', () => {
    const astral = '\u{1F600}'; // surrogate pair D83D DE00
    const privateUse = '\uFF21'; // fullwidth A, above the surrogate range
    expect([astral, privateUse].sort()).toEqual([astral, privateUse]); // UTF-16 order: wrong for Python/Go
    expect(sortPaths([astral, privateUse])).toEqual([privateUse, astral]);
    expect(compareCodePoints(privateUse, astral)).toBeLessThan(0);
    expect(Buffer.compare(Buffer.from(privateUse), Buffer.from(astral))).toBeLessThan(0);
  });
  it('matches UTF-8 byte order on a mixed set', () => {
    const paths = ['z', 'a/b', 'a-b', 'é', '\u{10000}x', '\uFFFF', 'A', '_', '日本', '\u{1F600}'];
    const byBytes = [...paths].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sortPaths([...paths])).toEqual(byBytes);
  });
  it('gives the artifact digest of the byte-sorted lines', async () => {
    const { createHash } = await import('node:crypto');
    const entries = [
      { path: '\u{1F600}.txt', digest: 'd1' },
      { path: '\uFF21.txt', digest: 'd2' },
    ];
    const expected = createHash('md5').update('wandb-artifact-manifest-v1\n\uFF21.txt:d2\n\u{1F600}.txt:d1\n').digest('hex');
    expect(artifactDigest(entries)).toBe(expected);
  });
});
