// Tracked folders: the tracking file, what leaves it out, status against the version, commit.
import { existsSync, promises as fsp, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { commitTracked, folderStatus, registryOfTracked, statusOf, trackedFolderOf } from '../../src/app/tracked-folder';
import { ConflictError, NotFoundError, ValidationError } from '../../src/core/errors';
import { hashPool } from '../../src/core/hashing/pool';
import { Manifest } from '../../src/core/manifest';
import { findTrackedRoot, isTrackingFile, parseTrackingState, readTracking, TRACKING_FILE, trackingState, writeTracking } from '../../src/core/tracking';
import { setWarningHandler } from '../../src/core/warnings';
import { Registry } from '../../src/registry/registry';
import { tempDir, writeTree } from '../support/tmp';

function registry(root = tempDir()) {
  return new Registry({ root, entity: 'alice', project: 'demo' });
}

async function logTree(reg: Registry, files: Record<string, string>, name = 'ds') {
  const dir = tempDir();
  await writeTree(dir, files);
  const d = reg.newArtifact(name, 'dataset');
  await d.addDir(dir);
  return (await reg.log(d)).artifact;
}

/** A downloaded, tracked folder of a fresh version; its files' mtimes are set an hour back. */
async function trackedCopy(files: Record<string, string> = { 'a.txt': 'alpha', 'sub/b.txt': 'beta', 'c.txt': 'gamma' }) {
  const reg = registry();
  const v0 = await logTree(reg, files);
  const root = tempDir();
  await v0.download(root, { track: true });
  return { reg, v0, root };
}

const entry = (p: string, digest: string, extra: { ref?: string } = {}) => ({ path: p, digest, size: 1, ...extra });

describe('the tracking file', () => {
  it('is written atomically with the version, its digest and the registry, and read back', async () => {
    const root = tempDir();
    const state = trackingState({ entity: 'alice', project: 'demo', collection: 'ds', index: 3, digest: 'abc' }, '/data/registry', new Date('2026-01-02T03:04:05Z'));
    await writeTracking(root, state);
    expect(await fsp.readdir(root)).toEqual([TRACKING_FILE]);
    const text = await fsp.readFile(path.join(root, TRACKING_FILE), 'utf8');
    expect(JSON.parse(text)).toEqual({
      format: 'artifacts-tracking-v1',
      entity: 'alice',
      project: 'demo',
      collection: 'ds',
      version: 'v3',
      digest: 'abc',
      registry: path.resolve('/data/registry'),
      trackedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(await readTracking(root)).toEqual(state);
    expect(await readTracking(tempDir())).toBeUndefined();
  });

  it('records no registry for the built-in default, and a bucket as written', () => {
    const v = { entity: 'e', project: 'p', collection: 'c', index: 0, digest: 'd' };
    expect(trackingState(v, path.join(homedir(), '.artifacts')).registry).toBeUndefined();
    expect(trackingState(v, 's3://bucket/prefix?region=eu-west-1').registry).toBe('s3://bucket/prefix?region=eu-west-1');
  });

  it('refuses a file of another format and names the damaged field', () => {
    expect(() => parseTrackingState('{"format":"other"}', 'f')).toThrow(/not a tracking file/);
    expect(() => parseTrackingState('nope', 'f')).toThrow(ValidationError);
    const good = { format: 'artifacts-tracking-v1', entity: 'e', project: 'p', collection: 'c', version: 'v1', digest: 'd', trackedAt: 't' };
    expect(parseTrackingState(JSON.stringify(good), 'f')).toEqual(good);
    expect(() => parseTrackingState(JSON.stringify({ ...good, version: 'latest' }), 'f')).toThrow(/version "latest" is not vN/);
    expect(() => parseTrackingState(JSON.stringify({ ...good, digest: 3 }), 'f')).toThrow(/digest is missing/);
    expect(() => parseTrackingState(JSON.stringify({ ...good, collection: '../x' }), 'f')).toThrow(/damaged/);
  });

  it('is found from a folder inside the tracked one, and only up to stopAt', async () => {
    const { root } = await trackedCopy();
    expect(await findTrackedRoot(path.join(root, 'sub'))).toBe(root);
    expect(await findTrackedRoot(path.join(root, 'sub'), { stopAt: path.join(root, 'sub') })).toBeUndefined();
    expect((await trackedFolderOf(path.join(root, 'sub'))).root).toBe(root);
    await expect(trackedFolderOf(tempDir())).rejects.toThrow(NotFoundError);
    expect(isTrackingFile('.artifact.json')).toBe(true);
    expect(isTrackingFile('.artifact.json.tmp-123-0011aabb')).toBe(true);
    expect(isTrackingFile('sub/.artifact.json')).toBe(false);
  });
});

describe('download and checkout record it (with track), and leave it out of the contents', () => {
  it('download writes it only with track and without pathPrefix; a link is tracked as its source', async () => {
    const reg = registry();
    const v0 = await logTree(reg, { 'a.txt': 'a', 'img/x.png': 'x' });
    const plain = tempDir();
    await v0.download(plain);
    expect(existsSync(path.join(plain, TRACKING_FILE))).toBe(false);
    const part = tempDir();
    await v0.download(part, { track: true, pathPrefix: 'img' });
    expect(existsSync(path.join(part, TRACKING_FILE))).toBe(false);
    const link = await v0.link('portfolio');
    const tracked = tempDir();
    await link.download(tracked, { track: true });
    expect(await readTracking(tracked)).toMatchObject({ entity: 'alice', project: 'demo', collection: 'ds', version: 'v0', digest: v0.digest, registry: reg.location });
  });

  it('log, verify and a checkout plan leave the tracking file out; checkout keeps it and tracks the new version', async () => {
    const { reg, v0, root } = await trackedCopy();
    const d = reg.newArtifact('ds', 'dataset');
    await d.addDir(root);
    expect([...d.manifest.paths()].sort()).toEqual(['a.txt', 'c.txt', 'sub/b.txt']);
    expect(d.manifest.digest).toBe(v0.digest);
    expect((await v0.verify(root)).ok).toBe(true);
    const v1 = await logTree(reg, { 'a.txt': 'alpha 2' });
    const plan = await v1.planCheckout(root);
    expect([...plan.deletions]).toEqual(['c.txt', 'sub/b.txt']);
    await plan.execute({ track: true });
    expect((await fsp.readdir(root)).sort()).toEqual([TRACKING_FILE, 'a.txt', 'sub']); // checkout leaves emptied folders
    expect(await readTracking(root)).toMatchObject({ version: 'v1', digest: v1.digest });
  });

  it('a version that holds its own .artifact.json is downloaded as it is and not tracked (with a warning)', async () => {
    const reg = registry();
    const dir = tempDir();
    await writeTree(dir, { 'a.txt': 'a' });
    const d = reg.newArtifact('odd', 'dataset');
    await d.addDir(dir);
    await d.addFile(path.join(dir, 'a.txt'), { name: TRACKING_FILE });
    const v = (await reg.log(d)).artifact;
    const warnings: string[] = [];
    const previous = setWarningHandler((m) => warnings.push(m));
    try {
      const root = tempDir();
      await v.download(root, { track: true });
      expect(await fsp.readFile(path.join(root, TRACKING_FILE), 'utf8')).toBe('a');
      expect(warnings.join('\n')).toMatch(/cannot track it/);
    } finally {
      setWarningHandler(previous);
    }
  });
});

describe('status', () => {
  it('statusOf: modified, added and deleted, sorted; references are not compared', () => {
    const version = new Manifest();
    for (const e of [entry('b', 'x'), entry('a', 'x'), entry('gone', 'x'), entry('ref', 'etag', { ref: 'https://h/r' })]) version.add(e);
    const folder = new Manifest();
    for (const e of [entry('b', 'y'), entry('a', 'y'), entry('new', 'z'), entry('ref', 'other')]) folder.add(e);
    expect(statusOf(version, folder)).toEqual({ modified: ['a', 'b'], added: ['new'], deleted: ['gone'], referencesSkipped: 1, clean: false });
    expect(statusOf(version, version).clean).toBe(true);
  });

  it('finds the changes of a tracked folder and reads only the changed files, once', async () => {
    const { reg, root } = await trackedCopy();
    const folder = await trackedFolderOf(root);
    const spy = vi.spyOn(hashPool(), 'hashAll');
    try {
      const clean = await folderStatus(reg, folder);
      expect(clean).toMatchObject({ clean: true, ref: 'alice/demo/ds:v0', modified: [], added: [], deleted: [] });
      expect(spy.mock.calls.map((c) => c[0].length)).toEqual([0]); // every file known from the download's records
      writeFileSync(path.join(root, 'a.txt'), 'ALPHA');
      await writeTree(root, { 'd/new.txt': 'new' });
      await fsp.rm(path.join(root, 'sub/b.txt'));
      const past = Date.now() / 1000 - 60;
      for (const f of ['a.txt', 'd/new.txt']) utimesSync(path.join(root, f), past, past);
      const changed = await folderStatus(reg, folder);
      expect(changed).toMatchObject({ clean: false, modified: ['a.txt'], added: ['d/new.txt'], deleted: ['sub/b.txt'] });
      expect(spy.mock.calls.at(-1)![0].length).toBe(2);
      await folderStatus(reg, folder); // the two files read were recorded: nothing is read now
      expect(spy.mock.calls.at(-1)![0].length).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('says when the tracked version is gone or has another digest', async () => {
    const { reg, root } = await trackedCopy();
    const folder = await trackedFolderOf(root);
    await writeTracking(root, { ...folder.tracking, digest: 'not-it' });
    await expect(folderStatus(reg, await trackedFolderOf(root))).rejects.toThrow(ConflictError);
    await writeTracking(root, { ...folder.tracking, version: 'v9' });
    await expect(folderStatus(reg, await trackedFolderOf(root))).rejects.toThrow(/The tracked version alice\/demo\/ds:v9 is not in the registry/);
  });
});

describe('commit', () => {
  it('logs the folder as the next version (message as description, aliases), tracks it, and refuses a clean folder', async () => {
    const { reg, root } = await trackedCopy();
    writeFileSync(path.join(root, 'a.txt'), 'ALPHA');
    const folder = await trackedFolderOf(root);
    const other = new Registry({ root: reg.location, entity: 'bob', project: 'elsewhere' }); // the version's entity and project win
    const r = await commitTracked(other, folder, { message: 'capitals', aliases: ['best'] });
    expect(r.artifact.qualifiedName).toBe('alice/demo/ds:v1');
    expect(r.previous).toBe('alice/demo/ds:v0');
    expect(r.artifact.description).toBe('capitals');
    expect(r.artifact.aliases).toEqual(['latest', 'best']);
    expect(r.artifact.type).toBe('dataset');
    expect(await readTracking(root)).toMatchObject({ version: 'v1', digest: r.artifact.digest });
    expect(r.artifact.manifest.has(TRACKING_FILE)).toBe(false);
    const after = await folderStatus(reg, await trackedFolderOf(root));
    expect(after.clean).toBe(true);
    await expect(commitTracked(reg, await trackedFolderOf(root), {})).rejects.toThrow(/Nothing to commit/);
  });

  it('opens the registry the tracking file records', async () => {
    const { reg, root } = await trackedCopy();
    const t = (await trackedFolderOf(root)).tracking;
    expect(registryOfTracked(t).location).toBe(reg.location);
    expect(registryOfTracked({ ...t, registry: undefined }).location).toBe(path.join(homedir(), '.artifacts'));
    expect(registryOfTracked(t, { location: tempDir() }).location).not.toBe(reg.location);
  });
});
