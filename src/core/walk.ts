import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { formatNumber } from './l10n';

/** A walk found more files than its limit (it stops there instead of walking on). */
export class WalkLimitError extends Error {
  constructor(readonly limit: number) {
    super(limit === 1 ? l10n.t('more than 1 file') : l10n.t('more than {0} files', formatNumber(limit)));
  }
}

export interface WalkedFile {
  /** Absolute path on disk. */
  absPath: string;
  /** Path relative to the walked root, with `/` separators. */
  relPath: string;
}

/** What a folder's walk found, in listing order: files, walked folders, and symlinks to resolve. */
type Item = WalkedFile | { folder: Item[] } | { link: string; rel: string; resolved?: Item[] };

/**
 * Lists the regular files under `root`, in a stable order (each folder's listing order, depth
 * first). With `followSymlinks` (W&B's add_dir) symlinked folders are entered unless they lead to a
 * folder already walked (a real folder of the tree always wins, so a link to a sibling is not added
 * twice and a link to an ancestor cannot loop); without it (file:// references) they are skipped.
 * Symlinked files are always listed, like os.walk does.
 *
 * The real folders are read concurrently (a folder's real path is its parent's plus its name, so
 * only the root and the symlinks need a realpath); symlinks are resolved afterwards, in order.
 */
export async function walkFiles(root: string, { followSymlinks = true, limit = Infinity }: { followSymlinks?: boolean; limit?: number } = {}): Promise<WalkedFile[]> {
  const seen = new Set<string>();
  let count = 0;
  const readFolder = async (dir: string, real: string, rel: string): Promise<Item[]> => {
    seen.add(real);
    const dirents = await fsp.readdir(dir, { withFileTypes: true });
    // dir and real are absolute and normal: a name appended needs no join.
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    const realPrefix = real.endsWith(path.sep) ? real : real + path.sep;
    const items: Item[] = [];
    const folders: Promise<void>[] = [];
    for (const d of dirents) {
      const abs = prefix + d.name;
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        const entry = { folder: [] as Item[] };
        items.push(entry);
        folders.push(readFolder(abs, realPrefix + d.name, relPath).then((found) => void (entry.folder = found)));
      } else if (d.isFile()) {
        items.push({ absPath: abs, relPath });
        if (++count > limit) throw new WalkLimitError(limit);
      } else if (d.isSymbolicLink()) {
        items.push({ link: abs, rel: relPath });
      }
    }
    await Promise.all(folders);
    return items;
  };
  /** A symlink: a file is listed; a folder (when followed and new) is walked. */
  const resolve = async (link: string, rel: string): Promise<Item[]> => {
    const st = await fsp.stat(link).catch(() => undefined); // a dangling link is skipped
    if (st?.isFile()) {
      if (++count > limit) throw new WalkLimitError(limit);
      return [{ absPath: link, relPath: rel }];
    }
    if (!st?.isDirectory() || !followSymlinks) return [];
    const real = await fsp.realpath(link);
    return seen.has(real) ? [] : readFolder(link, real, rel);
  };
  const out: WalkedFile[] = [];
  const flatten = async (items: Item[]): Promise<void> => {
    for (const item of items) {
      if ('absPath' in item) out.push(item);
      else if ('folder' in item) await flatten(item.folder);
      else await flatten(await resolve(item.link, item.rel));
    }
  };
  const abs = path.resolve(root);
  await flatten(await readFolder(abs, await fsp.realpath(abs), ''));
  return out;
}

/**
 * What a folder holds, seen without following any symlink: regular files and symlinks (each an
 * entry of its own: deleting it removes the link, never what it points to) and the folders.
 */
export async function scanTree(root: string): Promise<{ entries: string[]; folders: string[] }> {
  const entries: string[] = [];
  const folders: string[] = [];
  const visit = async (dir: string, rel: string): Promise<void> => {
    let dirents;
    try {
      dirents = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && rel !== '') return; // removed meanwhile
      throw e;
    }
    for (const d of dirents) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        folders.push(r);
        await visit(path.join(dir, d.name), r);
      } else {
        entries.push(r); // files, symlinks, and anything else that is not a folder
      }
    }
  };
  if (await fsp.lstat(root).then((s) => s.isDirectory(), () => false)) await visit(path.resolve(root), '');
  return { entries, folders };
}
