// End-to-end: a team registry in an S3 bucket (Ceph's RADOS Gateway on 127.0.0.1, started by
// scripts/servers.sh) beside the local one, in a real VS Code (code-server). The bucket registry is
// named in artifacts.registries, its credentials come from the standard chain (the environment);
// the test browses it in the tree, downloads a version from it into the workspace, pulls it into the
// local registry, and sees a registry whose bucket is missing say so on its own row.
// Screenshots of each step: test-results/e2e/team-registry/.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as h from './vscode-harness.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // the test's own admin client

const VSIX = path.join(h.REPO_ROOT, 'artifacts.vsix');
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');

/** The servers' addresses and test keys (scripts/servers.sh writes them), else ARTIFACTS_TEST_* variables. */
function s3Server() {
  const file = path.join(process.env.ARTIFACTS_SERVERS_DIR ?? path.join(h.REPO_ROOT, '.servers'), 'env');
  const vars = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)='?([^']*)'?$/.exec(line.trim());
      if (m) vars[m[1]] = m[2];
    }
  }
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith('ARTIFACTS_TEST_')) vars[k] = v;
  if (!vars.ARTIFACTS_TEST_S3_ENDPOINT) return undefined;
  return { endpoint: vars.ARTIFACTS_TEST_S3_ENDPOINT, region: vars.ARTIFACTS_TEST_S3_REGION ?? 'us-east-1', accessKeyId: vars.ARTIFACTS_TEST_S3_ACCESS_KEY, secretAccessKey: vars.ARTIFACTS_TEST_S3_SECRET_KEY };
}

const server = s3Server();
const reason = 'no S3 server configured (run `npm run servers`, or set ARTIFACTS_TEST_S3_* variables)';
// CI must never pass by skipping this suite.
const suite = server ? describe : process.env.CI === 'true' ? describe : describe.skip;
if (!server) console.warn(`[e2e] team registry skipped: ${reason}`);

const bucket = `artifacts-e2e-${randomBytes(4).toString('hex')}`;
const team = server && `s3://${bucket}/team?endpoint=${server.endpoint}`;
const missing = server && `s3://${bucket}-missing/team?endpoint=${server.endpoint}`;
const local = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-local-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'artifacts-e2e-teamdata-'));
const credentials = server && { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey, AWS_REGION: server.region };

function cli(registry, ...args) {
  return execFileSync(process.execPath, [CLI, '--registry', registry, '--entity', 'e2e', ...args], { encoding: 'utf8', env: { ...process.env, ...credentials, ARTIFACTS_REGISTRY: local } }).trim();
}

function write(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

let env;
let page;
let shot;
let admin;

async function answer(text) {
  const input = page.locator('.quick-input-widget input.input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.waitForTimeout(150);
  await input.press('Enter');
}

async function expandRow(label) {
  const row = h.treeRow(page, 'Registry', label);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  await page.waitForTimeout(300);
}

suite('a team registry in an S3 bucket, beside the local one', () => {
  beforeAll(async () => {
    if (!server) throw new Error(`CI=true: ${reason}`);
    admin = new S3Client({ endpoint: server.endpoint, region: server.region, forcePathStyle: true, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey } });
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    write(dataDir, { 'shared/features.csv': 'id,f\n1,0.5\n2,0.7\n', 'shared/notes/README.md': '# team features\n' });
    cli(team, '--project', 'teamwork', 'log', path.join(dataDir, 'shared'), '--name', 'features', '--type', 'dataset', '--alias', 'production');
    write(dataDir, { 'mine/a.txt': 'local only' });
    cli(local, '--project', 'homework', 'log', path.join(dataDir, 'mine'), '--name', 'scratch', '--type', 'dataset');

    env = await h.launch({
      vsix: VSIX,
      prefix: 'team-registry',
      env: { ARTIFACTS_REGISTRY: local, ...credentials },
      settings: {
        'artifacts.entity': 'e2e',
        'artifacts.registries': [
          { name: 'team', location: team },
          { name: 'gone', location: missing },
        ],
      },
    });
    page = env.page;
    shot = env.shot;
    await h.dismissStartupNoise(page);
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && shot) await shot(`failed-${ctx.task.name.replace(/[^\w-]+/g, '-').slice(0, 60)}`).catch(() => {});
  });

  afterAll(async () => {
    await env?.dispose();
    if (admin) {
      for (;;) {
        const page1 = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
        if (!page1.Contents?.length) break;
        await admin.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page1.Contents.map((o) => ({ Key: o.Key })) } }));
      }
      await admin.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => {});
      admin.destroy();
    }
    rmSync(local, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows each registry on its own row and browses the bucket down to a version’s files', async () => {
    await h.clickActivityBarItem(page, 'Artifacts');
    await h.treeRow(page, 'Registry', 'team').waitFor({ state: 'visible', timeout: 60_000 });
    let rows = await h.readTree(page, 'Registry');
    const teamRow = rows.find((r) => r.label === 'team');
    expect(teamRow.description).toMatch(/^S3 bucket · s3:\/\//);
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining(['team', 'gone', 'homework']));
    await expandRow('teamwork');
    await expandRow('features');
    await h.treeRow(page, 'Registry', 'v0').waitFor({ state: 'visible', timeout: 30_000 });
    rows = await h.readTree(page, 'Registry');
    expect(rows.find((r) => r.label === 'v0').description).toMatch(/latest, production/);
    await expandRow('v0');
    await h.treeRow(page, 'Registry', 'features.csv').waitFor({ state: 'visible', timeout: 30_000 });
    rows = await h.readTree(page, 'Registry');
    expect(rows.map((r) => r.label)).toEqual(expect.arrayContaining(['notes', 'features.csv']));
    await shot('01-team-registry-tree');
  });

  it('downloads a version from the bucket into the workspace', async () => {
    const v0 = h.treeRow(page, 'Registry', 'v0');
    const items = await h.openContextMenu(page, v0);
    expect(items).toEqual(expect.arrayContaining(['Download Version…', 'Push to Registry…', 'Pull to Local Registry']));
    await shot('02-version-menu');
    await h.clickContextMenuItem(page, 'Download Version…');
    await answer('artifacts/features-v0'); // the usual download folder in the workspace
    await h.waitForNotification(page, /Downloaded e2e\/teamwork\/features:v0/, { timeoutMs: 60_000 });
    const root = path.join(env.dirs.workspace, 'artifacts', 'features-v0');
    expect(readFileSync(path.join(root, 'features.csv'), 'utf8')).toBe('id,f\n1,0.5\n2,0.7\n');
    expect(readFileSync(path.join(root, 'notes', 'README.md'), 'utf8')).toBe('# team features\n');
    await shot('03-downloaded');
    await h.clearNotifications(page);
  });

  it('pulls the version into the local registry, same digest', async () => {
    await h.openContextMenu(page, h.treeRow(page, 'Registry', 'v0'));
    await h.clickContextMenuItem(page, 'Pull to Local Registry');
    // The download before already brought its files into this machine's cache (the local registry's folder).
    await h.waitForNotification(page, /e2e\/teamwork\/features:v0 → .* as e2e\/teamwork\/features:v0: \d+ files? copied/, { timeoutMs: 60_000 });
    const pulled = JSON.parse(cli(local, 'show', 'e2e/teamwork/features:v0', '--json'));
    const source = JSON.parse(cli(team, 'show', 'e2e/teamwork/features:production', '--json'));
    expect(pulled.digest).toBe(source.digest);
    await shot('04-pulled');
    await h.clearNotifications(page);
  });

  it('a registry whose bucket is missing says so on its row, with Retry and Set Credentials…', async () => {
    await expandRow('gone');
    const gone = h.treeRow(page, 'Registry', 'gone');
    await page.waitForFunction(
      () => [...document.querySelectorAll('.monaco-list-row')].some((r) => /the bucket does not exist/.test(r.textContent ?? '')),
      undefined,
      { timeout: 30_000 },
    );
    const rows = await h.readTree(page, 'Registry');
    expect(rows.find((r) => r.label === 'gone').description).toMatch(/the bucket does not exist/);
    expect(JSON.stringify(rows)).not.toContain(server.secretAccessKey);
    const items = await h.openContextMenu(page, gone);
    expect(items).toEqual(expect.arrayContaining(['Retry', 'Set Credentials…']));
    await page.keyboard.press('Escape');
    await shot('05-missing-bucket-row');
  });
});
