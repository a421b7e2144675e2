/**
 * The extension's registries side by side, without VS Code (a fake `vscode` module) and with the
 * real servers behind the bucket rows: the rows of the settings, an unreadable registry's row
 * (wrong credentials, a stopped server) saying so with its actions, credentials typed into
 * SecretStorage opening it, and a collection of 10,000 versions in a bucket showing its first
 * page from one document read.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeSecret, CREDENTIAL_CHOICES, secretEnv, secretKey } from '../../src/extension/model/credentials';
import { registryEntries, registryKey } from '../../src/extension/model/registry-list';
import { present, TreeModel, VERSION_PAGE, type TreeNode } from '../../src/extension/model/tree-model';
import { parseArtifactUri } from '../../src/extension/fs/artifact-uri';
import { newCollection } from '../../src/registry/collection-doc';
import { collectionKey } from '../../src/registry/layout';
import { Registry } from '../../src/registry/registry';
import { openStoreLazily } from '../../src/store/lazy-store';
import { recordingStore } from '../support/counting-store';
import { startFaultProxy } from '../support/fault-proxy';
import { describeEachStore, registryAt } from '../support/registry-stores';
import { tempDir, writeTree } from '../support/tmp';

// A `vscode` whose settings and secret storage the tests set.
const settings: Record<string, unknown> = {};
const secrets = new Map<string, string>();
vi.mock('vscode', async () => {
  const fake = await import('../unit/extension/support/fake-vscode');
  return {
    ...fake,
    workspace: { ...fake.workspace, getConfiguration: () => ({ get: (k: string) => settings[k] }) },
  };
});

function fakeSecretStorage() {
  return {
    get: async (k: string) => secrets.get(k),
    store: async (k: string, v: string) => void secrets.set(k, v),
    delete: async (k: string) => void secrets.delete(k),
    onDidChange: () => ({ dispose: () => undefined }),
  };
}

async function logTree(reg: Registry, name: string, files: Record<string, string>) {
  const dir = tempDir();
  await writeTree(dir, files);
  const a = reg.newArtifact(name, 'dataset');
  await a.addDir(dir);
  return reg.log(a);
}

const labels = (nodes: TreeNode[]) => nodes.map((n) => present(n).label);

describe('registry rows from the settings', () => {
  it('the default registry first, then the named ones; a wrong entry keeps its row and says why', () => {
    const rows = registryEntries('/home/me/.artifacts', [
      { name: 'team', location: 's3://team-bucket/reg?endpoint=http://127.0.0.1:7480' },
      { name: 'archive', location: '/data/archive' },
      { name: 'azure', location: 'azure://acct123/cc1/reg' },
      { name: 'bad', location: 's3://Bad_Bucket/x' },
      { name: 'team', location: '/elsewhere' },
      { name: 'nowhere' },
      { name: 'again', location: '/home/me/.artifacts' },
    ]);
    expect(rows.map((r) => [r.name, r.store, Boolean(r.problem)])).toEqual([
      [undefined, 'folder', false],
      ['team', 's3', false],
      ['archive', 'folder', false],
      ['azure', 'azure', false],
      ['bad', 's3', true],
      ['team', 'folder', true],
      ['nowhere', 'folder', true],
    ]);
    expect(rows[4]!.problem).toMatch(/not a valid bucket name/);
    expect(rows[5]!.problem).toMatch(/used twice/);
    expect(rows[1]!.key).toBe(registryKey('s3://team-bucket/reg?endpoint=http://127.0.0.1:7480'));
    expect(rows[1]!.key).toMatch(/^r[0-9a-f]{12}$/);
    expect(registryEntries('/x', undefined)).toHaveLength(1);
  });

  it('typed credentials become the variables of the standard chains, and nothing else', () => {
    const s3 = encodeSecret('s3', CREDENTIAL_CHOICES.s3[0]!, { accessKeyId: 'AKIA1', secretAccessKey: 'sekrit' });
    expect(secretEnv(s3)).toEqual({ AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'sekrit' });
    const sas = encodeSecret('azure', CREDENTIAL_CHOICES.azure[1]!, { sas: 'sv=1&sig=x' });
    expect(secretEnv(sas)).toEqual({ AZURE_STORAGE_SAS_TOKEN: 'sv=1&sig=x' });
    expect(secretEnv('not json')).toEqual({});
    expect(secretKey('s3://b/p')).toBe('artifacts.credentials:s3://b/p');
  });

  it('a version of another row opens as artifact://<row key>/…, and is marked for Pull to Local Registry', async () => {
    const reg = new Registry({ root: tempDir(), entity: 'alice', project: 'p' });
    await logTree(reg, 'ds', { 'a.txt': 'a' });
    const model = new TreeModel(reg, { key: 'r0123456789ab', name: 'archive', store: 'folder' });
    const [project] = await model.children(model.root);
    const [type] = await model.children(project);
    const [collection] = await model.children(type);
    const [version] = await model.children(collection);
    expect(present(version!).contextValue).toBe('version.latest.remote');
    const [file] = await model.children(version);
    const uri = present(file!).resourceUri!;
    expect(parseArtifactUri(uri)).toEqual({ registry: 'r0123456789ab', version: 'alice/p/ds:v0', path: 'a.txt' });
    expect(present(model.root)).toMatchObject({ label: 'archive', contextValue: 'registry' });
    expect(present(model.root).id).not.toBe(present(new TreeModel(reg).root).id);
  });
});

describeEachStore(
  'registry rows on the real servers',
  (kind) => {
    it('an unreadable registry says so on its row (wrong credentials, a server that does not answer), never with a secret; Retry reads it again', async () => {
      const location = kind.location();
      await logTree(registryAt(kind, location), 'ds', { 'a.txt': 'a' });
      const wrong = kind.name.startsWith('S3') ? { ...kind.env, AWS_SECRET_ACCESS_KEY: 'wrong-secret-0123456789abcdefghij' } : { ...kind.env, AZURE_STORAGE_KEY: Buffer.from('x'.repeat(40)).toString('base64') };
      let notified = 0;
      const model = new TreeModel(new Registry({ store: openStoreLazily(location, { ...process.env, ...wrong }), localRoot: tempDir() }), { key: 'r1', name: 'team', store: kind.name.startsWith('S3') ? 's3' : 'azure', onRootChanged: () => (notified += 1) });
      const rows = await model.children(model.root);
      expect(rows[0]!.kind).toBe('message');
      const row = present(model.root);
      expect(row.contextValue).toBe('registry.remote.error');
      expect(row.icon).toBe('warning');
      expect(row.description).toMatch(/secret key does not match|account key or SAS token is not valid/);
      expect(`${row.description}${row.tooltip}${present(rows[0]!).label}`).not.toContain('wrong-secret');
      for (const secret of kind.secrets) expect(`${row.tooltip}`).not.toContain(secret);
      expect(notified).toBe(1);

      // A server that does not answer, then does: the row says it is unavailable; Retry (a refresh) reads it again.
      const proxy = await startFaultProxy(kind.target!);
      try {
        proxy.inject({ kind: 'close' }, { times: Infinity });
        const flaky = new TreeModel(new Registry({ store: openStoreLazily(kind.via(location, proxy.url), { ...process.env, ...kind.env }), localRoot: tempDir() }), { key: 'r2', store: 's3' });
        await flaky.children(flaky.root);
        expect(present(flaky.root).description).toMatch(/^unavailable: .*got no answer/);
        proxy.clear();
        expect(await flaky.refresh()).toBe('everything');
        expect(labels(await flaky.children(flaky.root))).toEqual(['demo']);
        expect(present(flaky.root).contextValue).toBe('registry.remote');
      } finally {
        await proxy.close();
      }
    }, 60_000);

    it('the view shows the rows side by side; typed credentials (SecretStorage only) open a row that failed', async () => {
      const { RegistryTreeProvider } = await import('../../src/extension/views/registry-view');
      const { ConfiguredRegistry } = await import('../../src/extension/services/configured-registry');
      const location = kind.location();
      await logTree(registryAt(kind, location), 'shared', { 'a.txt': 'team data' });
      const local = tempDir();
      await logTree(new Registry({ root: local, entity: 'alice', project: 'demo' }), 'mine', { 'b.txt': 'local data' });
      for (const k of Object.keys(settings)) delete settings[k];
      Object.assign(settings, { registry: local, entity: 'alice', project: 'demo', registries: [{ name: 'team', location }] });
      secrets.clear();
      // No credentials in the environment for this registry: the row fails until some are typed.
      const saved = { ...process.env };
      for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AZURE_STORAGE_KEY', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_SAS_TOKEN']) delete process.env[k];
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent';
      process.env.AWS_CONFIG_FILE = '/nonexistent';
      try {
        const configured = new ConfiguredRegistry(fakeSecretStorage() as never);
        const view = new RegistryTreeProvider(configured);
        const roots = await view.getChildren();
        expect(roots.map((n) => present(n).label)).toEqual([local.replace(require('node:os').homedir(), '~'), 'team']);
        expect(labels(await view.getChildren(roots[0]))).toEqual(['demo']);
        if (kind.name.startsWith('S3')) {
          // No credential anywhere: the SDK's default chain finds none; the row says so.
          await view.getChildren(roots[1]);
          expect(present(roots[1]!).contextValue).toBe('registry.remote.error');
          expect(present(roots[1]!).description).toMatch(/no AWS credentials found|access denied|could not|credential/i);
        }
        const values: Record<string, string> = kind.name.startsWith('S3') ? { accessKeyId: kind.env.AWS_ACCESS_KEY_ID!, secretAccessKey: kind.env.AWS_SECRET_ACCESS_KEY! } : { key: kind.env.AZURE_STORAGE_KEY! };
        const store = kind.name.startsWith('S3') ? 's3' : 'azure';
        await configured.setCredentials(location, encodeSecret(store, CREDENTIAL_CHOICES[store][0]!, values));
        expect([...secrets.keys()]).toEqual([secretKey(location)]);
        expect(JSON.stringify(settings)).not.toContain(Object.values(values)[Object.values(values).length - 1]!);
        await view.refresh();
        const again = await view.getChildren();
        expect(labels(await view.getChildren(again[1]))).toEqual(['demo']);
        expect(present(again[1]!).contextValue).toBe('registry.remote');
        expect(present(again[1]!).description).toMatch(/^(S3 bucket|Azure container) · /);
        const row = await view.registryOfNode(again[1]!);
        expect([row.name, row.location, row.key]).toEqual(['team', location, registryKey(location)]);
        configured.dispose();
        view.dispose();
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    }, 60_000);

    it('a collection of 10,000 versions in a bucket shows its first page from one document read; Load more reads nothing', async () => {
      const location = kind.location();
      const writer = registryAt(kind, location);
      const t = new Date().toISOString();
      const doc = newCollection({ entity: 'alice', project: 'demo', name: 'huge', type: 'dataset', kind: 'sequence' }, t);
      doc.versions = Array.from({ length: 10_000 }, (_, i) => ({ index: i, id: `id${i}`, state: 'COMMITTED' as const, createdAt: t, updatedAt: t, digest: `${i}`.padStart(32, '0'), manifest: `manifests/${`${i}`.padStart(32, '0')}.json`, size: 10, fileCount: 1, tags: [], metadata: { step: i } }));
      doc.nextIndex = 10_000;
      doc.aliases.latest = 9_999;
      await writer.store.put(collectionKey({ entity: 'alice', project: 'demo', collection: 'huge' }), JSON.stringify(doc));
      const recorded = recordingStore(openStoreLazily(location, { ...process.env, ...kind.env }));
      const model = new TreeModel(registryAt(kind, location, { store: recorded.store }), { key: 'r3', store: 's3' });
      const [project] = await model.children(model.root);
      const [type] = await model.children(project);
      const [collection] = await model.children(type);
      recorded.calls.length = 0;
      const t0 = performance.now();
      const page = await model.children(collection);
      const ms = performance.now() - t0;
      expect(page).toHaveLength(VERSION_PAGE + 1);
      expect(labels(page.slice(0, 2))).toEqual(['v9999', 'v9998']);
      expect(page.at(-1)).toMatchObject({ kind: 'loadMore', remaining: 10_000 - VERSION_PAGE });
      expect(recorded.calls.map((c) => c.method)).toEqual(['getIfChanged']); // the document, revalidated: nothing per version
      console.info(`${kind.name}: first page of 10,000 versions in ${ms.toFixed(0)} ms`);
      expect(ms).toBeLessThan(3000);
      recorded.calls.length = 0;
      model.loadMore(page.at(-1) as never);
      expect(await model.children(collection)).toHaveLength(2 * VERSION_PAGE + 1);
      expect(recorded.calls).toEqual([]);
    }, 60_000);
  },
  { remoteOnly: true },
);

afterAll(() => {
  for (const k of Object.keys(settings)) delete settings[k];
});
