/**
 * The extension's default folder for a version equals the folder the built CLI writes into: the
 * usual folder offered for a workspace folder is where `artifacts download REF` run in that folder
 * puts the files, with and without $ARTIFACTS_DIR, for a version and for a link to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { usualDownloadFolder } from '../../../src/extension/model/download-folder';
import { Registry } from '../../../src/registry/registry';
import { CLI, cliIn } from '../../support/cli';
import { tempDir, writeTree } from '../../support/tmp';

describe("the extension's default download folder", () => {
  it('is where the built CLI downloads to from the same folder', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true);
    const root = tempDir();
    const reg = new Registry({ root, entity: 'alice', project: 'demo' });
    for (const content of ['one', 'two']) {
      const dir = tempDir();
      await writeTree(dir, { 'data.txt': content });
      const draft = reg.newArtifact('animals', 'dataset');
      await draft.addDir(dir);
      await reg.log(draft);
    }
    await (await reg.get('animals:v1')).link('prod');
    const cli = cliIn(root);

    const cases: Array<{ ref: string; env: NodeJS.ProcessEnv; expected: (ws: string) => string }> = [
      { ref: 'animals:v0', env: {}, expected: (ws) => path.join(ws, 'artifacts', 'animals-v0') },
      { ref: 'animals:latest', env: { ARTIFACTS_DIR: 'data-root' }, expected: (ws) => path.join(ws, 'data-root', 'animals-v1') },
      { ref: 'prod:v0', env: {}, expected: (ws) => path.join(ws, 'artifacts', 'animals-v1') }, // a link goes where its source goes
    ];
    for (const { ref, env, expected } of cases) {
      const workspace = tempDir();
      const artifact = await reg.get(ref);
      const folder = usualDownloadFolder(artifact, workspace, { ...env });
      expect(folder).toBe(expected(workspace));
      await cli.ok(['download', ref], { cwd: workspace, env: { ARTIFACTS_DIR: undefined, ...env } });
      expect(readFileSync(path.join(folder, 'data.txt'), 'utf8'), `${ref} with ${JSON.stringify(env)}`).toBe(ref === 'animals:v0' ? 'one' : 'two');
    }

    // An absolute $ARTIFACTS_DIR is the same for every workspace folder.
    const absolute = tempDir();
    const workspace = tempDir();
    const folder = usualDownloadFolder(await reg.get('animals:v0'), workspace, { ARTIFACTS_DIR: absolute });
    expect(folder).toBe(path.join(absolute, 'animals-v0'));
    await cli.ok(['download', 'animals:v0'], { cwd: workspace, env: { ARTIFACTS_DIR: absolute } });
    expect(existsSync(path.join(folder, 'data.txt'))).toBe(true);
  });
});
