// The CLI side of W&B parity: what the library has and a script needs.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

describe('log --overwrite / --merge / --skip-cache, files', () => {
  it('a later PATH replaces a file only with --overwrite; a folder replaces changed files only with --merge', async () => {
    const cli = cliIn(tempDir());
    const a = tempDir();
    const b = tempDir();
    await writeTree(a, { 'x.txt': 'first', 'keep.txt': 'k' });
    await writeTree(b, { 'x.txt': 'second' });
    const clash = await cli.run(['log', `${a}/x.txt=data.txt`, `${b}/x.txt=data.txt`, '--name', 'f', '--type', 'dataset']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/Cannot add the same path twice: data\.txt/);
    await cli.ok(['log', `${a}/x.txt=data.txt`, `${b}/x.txt=data.txt`, '--name', 'f', '--type', 'dataset', '--overwrite']);
    expect((await cli.json<{ files: Array<{ name: string; size: number }> }>(['files', 'f'])).files).toEqual([{ name: 'data.txt', size: 6, digest: expect.any(String) }]);
    expect((await cli.run(['log', a, b, '--name', 'd', '--type', 'dataset'])).stderr).toMatch(/Cannot add the same path twice: x\.txt/);
    await cli.ok(['log', a, b, '--name', 'd', '--type', 'dataset', '--merge', '--skip-cache']);
    const root = tempDir();
    await cli.ok(['download', 'd', '--root', root]);
    expect(await fsp.readFile(path.join(root, 'x.txt'), 'utf8')).toBe('second');
  });

  it('files lists path, size and digest, page by page', async () => {
    const cli = cliIn(tempDir());
    const dir = tempDir();
    await writeTree(dir, Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, 'x'.repeat(i + 1)])));
    await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset']);
    const page2 = await cli.json<{ total: number; page: number; files: Array<{ name: string; size: number }> }>(['files', 'ds', '--per-page', '2', '--page', '2']);
    expect(page2).toMatchObject({ total: 5, page: 2, perPage: 2 });
    expect(page2.files.map((f) => [f.name, f.size])).toEqual([['f2.txt', 3], ['f3.txt', 4]]);
    const text = await cli.ok(['files', 'ds', '--per-page', '2']);
    expect(text.stdout.trim().split('\n')).toHaveLength(6); // a header and five rows across three pages
    expect(text.stdout).toMatch(/^PATH\s+SIZE\s+DIGEST\nf0\.txt\s+1 B\s+\S+==/);
    expect((await cli.run(['files', 'ds', '--page', '0'])).code).toBe(2);
  });
});
