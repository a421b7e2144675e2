/** The integrity report the extension opens, from fsck on a real registry folder with real damage. */
import { promises as fsp } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { md5B64 } from '../../../src/core/digest';
import { integrityMarkdown } from '../../../src/extension/model/integrity-report';
import { blobKey } from '../../../src/registry/layout';
import { Registry } from '../../../src/registry/registry';
import { tempDir, writeTree } from '../../support/tmp';

describe('integrity report', () => {
  it('says when nothing is wrong, and lists each problem with where and what repair did', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'alpha', 'b|c.txt': 'beta' });
    const draft = reg.newArtifact('ds', 'dataset');
    await draft.addDir(dir);
    await reg.log(draft);
    expect(integrityMarkdown(reg.location, await reg.fsck(), false)).toMatch(/No problem found\./);
    const blob = reg.store.local!.pathOf(blobKey(md5B64('alpha')));
    await fsp.chmod(blob, 0o644);
    await fsp.writeFile(blob, 'alphX');
    const found = integrityMarkdown(reg.location, await reg.fsck(), false);
    expect(found).toMatch(/1 problem:/);
    expect(found).toMatch(/\| Stored file whose bytes do not match its name \| `objects\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}` \| .*needed by alice\/p\/ds:v0 a\.txt \| — \|/);
    expect(found).toMatch(/\*Repair\* removes/);
    const repaired = integrityMarkdown(reg.location, await reg.fsck({ repair: true }), true);
    expect(repaired).toMatch(/\(after repair\)/);
    expect(repaired).toMatch(/\| moved to quarantine\//);
    expect(repaired).not.toMatch(/\*Repair\* removes/);
  });
});
