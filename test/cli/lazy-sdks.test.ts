/**
 * The cloud SDKs are bundles of their own (dist/sdk/), loaded only when a bucket or container is
 * first used: a folder registry never loads them, and a bucket registry loads only its own SDK.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';

const DIST = path.resolve(__dirname, '../../dist');

/** Runs `body` in a fresh Node with the built library; prints the dist/sdk files it loaded. */
function loadedSdks(body: string): string[] {
  const script = `
    const { Registry } = require(${JSON.stringify(path.join(DIST, 'index.js'))});
    const sdks = () => Object.keys(require.cache).filter((f) => f.includes('/dist/sdk/')).map((f) => f.split('/').pop()).sort();
    (async () => { ${body} })().then(
      () => process.stdout.write(JSON.stringify(sdks())),
      () => process.stdout.write(JSON.stringify(sdks())), // a closed port: the request fails after loading the SDK
    );`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AZURE_STORAGE_KEY: 'a2V5' } }));
}

describe('cloud SDKs load lazily', () => {
  it('are bundled apart from the CLI, the library and the extension', () => {
    for (const f of ['aws-s3.js', 'azure-storage-blob.js', 'azure-identity.js']) expect(existsSync(path.join(DIST, 'sdk', f)), f).toBe(true);
  });

  it('a folder registry loads none', () => {
    const reg = tempDir();
    expect(loadedSdks(`const r = new Registry({ root: ${JSON.stringify(reg)} }); await r.listEntities();`)).toEqual([]);
  });

  it('a bucket registry loads its SDK on its first request, not when it is opened', () => {
    expect(loadedSdks(`new Registry({ root: 's3://some-bucket/p?endpoint=http://127.0.0.1:9' });`)).toEqual([]);
    // A closed port: the request fails, but the SDK had to be loaded to make it.
    const s3 = loadedSdks(`const r = new Registry({ root: 's3://some-bucket/p?endpoint=http://127.0.0.1:9' }); await r.listEntities();`);
    expect(s3).toContain('aws-s3.js');
    expect(s3).toEqual(['aws-s3.js']);
    const azure = loadedSdks(`const r = new Registry({ root: 'azure://acct123/cc1?endpoint=http://127.0.0.1:9/acct123' }); await r.listEntities();`);
    expect(azure).toContain('azure-storage-blob.js');
    expect(azure).not.toContain('aws-s3.js');
  });
});
