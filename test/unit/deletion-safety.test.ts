// The pin / announce protocol of pins.ts, with the interleavings forced: a real registry folder,
// with the store's deletes held at a gate so gc stops exactly where a race would hurt.
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5B64 } from '../../src/core/digest';
import { blobKey } from '../../src/registry/layout';
import { Registry } from '../../src/registry/registry';
import { LocalObjectStore } from '../../src/store/local-store';
import { tempDir, writeTree } from '../support/tmp';

/** A local store whose deletes of `key` wait until `open()` is called. */
function gatedStore(root: string, key: string) {
  const store = new LocalObjectStore(root);
  let reached!: () => void;
  let open!: () => void;
  const atGate = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (open = r));
  const hold = async (k: string) => {
    if (k === key) {
      reached();
      await gate;
    }
  };
  const wrapped = Object.assign(Object.create(store) as LocalObjectStore, {
    delete: async (k: string) => {
      await hold(k);
      return store.delete(k);
    },
    deleteIfUnchanged: async (k: string, v: string) => {
      await hold(k);
      return store.deleteIfUnchanged(k, v);
    },
  });
  return { store: wrapped, atGate, open };
}

async function logFile(reg: Registry, dir: string, policy: 'mutable' | 'immutable' = 'immutable') {
  const draft = reg.newArtifact('x', 'dataset');
  await draft.addFile(path.join(dir, 'x.bin'), { policy });
  return (await reg.log(draft)).artifact;
}

/** A local store whose first write under `prefix` waits until `open()` is called. */
function putGatedStore(root: string, prefix: string) {
  const store = new LocalObjectStore(root);
  let reached!: () => void;
  let open!: () => void;
  const atGate = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (open = r));
  let held = false;
  const wrapped = Object.assign(Object.create(store) as LocalObjectStore, {
    put: async (k: string, body: Buffer | string) => {
      if (k.startsWith(prefix) && !held) {
        held = true;
        reached();
        await gate;
      }
      return store.put(k, body);
    },
  });
  return { store: wrapped, atGate, open };
}

describe('gc beside a log of content it is deleting', () => {
  it('a version committed (and unpinned) after gc computed its first live set keeps its blobs', async () => {
    const content = 'committed while gc was deciding';
    const root = tempDir();
    const key = blobKey(md5B64(content));
    const dir = tempDir();
    await writeTree(dir, { 'x.bin': content });
    // X exists as garbage: logged, deleted.
    const plain = new Registry({ root, entity: 'a', project: 'p' });
    await (await logFile(plain, dir)).delete({ deleteAliases: true });
    const { store, atGate, open } = putGatedStore(root, 'gc/');
    const reg = new Registry({ store, entity: 'a', project: 'p' });
    const gc = reg.gc({ graceMs: 0 });
    await atGate; // gc listed X as garbage (its live set has no v1) and is about to announce it
    const v1 = await logFile(plain, dir); // pins X, finds it, commits v1, releases the pin
    open();
    expect((await gc).deletedBlobs).toBe(0);
    expect(existsSync(store.local!.pathOf(key))).toBe(true);
    const out = tempDir();
    await v1.download(out);
    expect(await fsp.readFile(path.join(out, 'x.bin'), 'utf8')).toBe(content);
  });

  const content = 'the only copy of X';

  it('a log that pins after gc read the pins waits for that batch and stores the blob again', async () => {
    const root = tempDir();
    const key = blobKey(md5B64(content));
    const { store, atGate, open } = gatedStore(root, key);
    const reg = new Registry({ store, entity: 'a', project: 'p' });
    const dir = tempDir();
    await writeTree(dir, { 'x.bin': content });
    await (await logFile(reg, dir)).delete({ deleteAliases: true });
    const gc = reg.gc({ graceMs: 0 });
    await atGate; // gc announced X, read the pins (none), and is about to delete it
    let logged = false;
    const relog = logFile(reg, dir).then((a) => ((logged = true), a));
    await new Promise((r) => setTimeout(r, 400));
    expect(logged).toBe(false); // the log waits for gc's announced batch
    open();
    expect((await gc).deletedBlobs).toBe(1);
    const v1 = await relog;
    expect(v1.version).toBe('v1');
    expect(existsSync(store.local!.pathOf(key))).toBe(true);
    const out = tempDir();
    await v1.download(out);
    expect(await fsp.readFile(path.join(out, 'x.bin'), 'utf8')).toBe(content);
  });

  it('gc skips what a log pinned before gc read the pins', async () => {
    const root = tempDir();
    const key = blobKey(md5B64(content));
    const reg = new Registry({ root, entity: 'a', project: 'p' });
    const dir = tempDir();
    await writeTree(dir, { 'x.bin': content });
    await (await logFile(reg, dir)).delete({ deleteAliases: true });
    // A pin for X, as a log writes it first.
    const pinned = await (reg as unknown as { pins: import('../../src/registry/pins').Pins }).pins.pin([key]);
    expect((await reg.gc({ graceMs: 0 })).deletedBlobs).toBe(0);
    expect(existsSync(reg.store.local!.pathOf(key))).toBe(true);
    await pinned.release();
    expect((await reg.gc({ graceMs: 0 })).deletedBlobs).toBe(1);
  });

  it('a draft that finds the same content already stored keeps it out of its staging; if gc takes it, the log stores it again', async () => {
    const root = tempDir();
    const key = blobKey(md5B64(content));
    const { store, atGate, open } = gatedStore(root, key);
    const reg = new Registry({ store, entity: 'a', project: 'p' });
    const dir = tempDir();
    await writeTree(dir, { 'x.bin': content });
    await (await logFile(reg, dir)).delete({ deleteAliases: true });
    const gc = reg.gc({ graceMs: 0 });
    await atGate;
    // The draft sees X in the store (the same size) and does not write it again.
    const draft = reg.newArtifact('x', 'dataset');
    await draft.addFile(path.join(dir, 'x.bin'));
    open();
    expect((await gc).deletedBlobs).toBe(1);
    const { artifact } = await reg.log(draft);
    expect(artifact.version).toBe('v1');
    const out = tempDir();
    await artifact.download(out);
    expect(await fsp.readFile(path.join(out, 'x.bin'), 'utf8')).toBe(content);
  });
});
