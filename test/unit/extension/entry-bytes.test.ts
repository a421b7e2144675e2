/** The bytes of a stored entry for the artifact: file system: one buffer, digest checked, size limited. */
import { chmodSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { md5B64 } from '../../../src/core/digest';
import { EntryTooLargeError, readAll, readEntry } from '../../../src/extension/fs/entry-bytes';
import { blobKey } from '../../../src/registry/layout';
import { Registry } from '../../../src/registry/registry';
import { tempDir, writeTree } from '../../support/tmp';

function chunks(...parts: string[]): Readable {
  return Readable.from(parts.map((p) => Buffer.from(p)));
}

describe('reading a stored entry', () => {
  it('fills one buffer of the recorded size from the stream and hashes it on the way', async () => {
    const { bytes, md5 } = await readAll(chunks('hello ', 'wor', 'ld'), 11, 100, 'x');
    expect(Buffer.from(bytes).toString()).toBe('hello world');
    expect(bytes.buffer.byteLength).toBe(11); // no slack, no second copy
    expect(md5).toBe(md5B64(Buffer.from('hello world')));
    await expect(readAll(chunks('too ', 'long'), 4, 100, 'x')).rejects.toThrow(/more bytes than its recorded size/);
    const unknown = await readAll(chunks('a'.repeat(70_000), 'b'), undefined, 200_000, 'x');
    expect(unknown.bytes.length).toBe(70_001);
    await expect(readAll(chunks('a'.repeat(70_000), 'b'.repeat(70_000)), undefined, 100_000, 'x')).rejects.toThrow(/the limit of/);
  });

  it('reads an entry of a logged version, refuses one above the limit and a damaged one', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'alpha', 'big.bin': Buffer.alloc(4096, 7) });
    const draft = reg.newArtifact('files', 'dataset');
    await draft.addDir(dir);
    const { artifact } = await reg.log(draft);
    const a = artifact.manifest.get('a.txt')!;
    expect(Buffer.from(await readEntry(reg, artifact, a)).toString()).toBe('alpha');
    const big = artifact.manifest.get('big.bin')!;
    await expect(readEntry(reg, artifact, big, 1024)).rejects.toBeInstanceOf(EntryTooLargeError);
    await expect(readEntry(reg, artifact, big, 1024)).rejects.toThrow(/big\.bin is 4(\.0)? ?KB?i?B?: too large to open from the registry \(the limit is 1(\.0)? ?KB?i?B?\)\. Download the version/);
    // A stored file whose bytes no longer match its digest is refused.
    const file = reg.store.local!.pathOf(blobKey(a.digest));
    chmodSync(file, 0o644);
    writeFileSync(file, 'alphX');
    await expect(readEntry(reg, artifact, a)).rejects.toThrow(/Corrupted object .*alice\/p\/files:v0 a\.txt/);
  });

  it('reads a file:// reference through its handler, and says where an untracked one lives', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    const src = tempDir();
    await writeTree(src, { 'ref.txt': 'referenced bytes' });
    const draft = reg.newArtifact('refs', 'dataset');
    await draft.addReference(`file://${src}/ref.txt`);
    await draft.addReference('s3x://bucket/key', { name: 'elsewhere.bin' });
    const { artifact } = await reg.log(draft);
    expect(Buffer.from(await readEntry(reg, artifact, artifact.manifest.get('ref.txt')!)).toString()).toBe('referenced bytes');
    await expect(readEntry(reg, artifact, artifact.manifest.get('elsewhere.bin')!)).rejects.toThrow(/cannot be downloaded/);
  });
});
