import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** A walk found more files than its limit (it stops there instead of walking on). */
export class WalkLimitError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} files`);
  }
}

export interface WalkedFile {
  /** Absolute path on disk. */
  absPath: string;
  /** Path relative to the walked root, with `/` separators. */
  relPath: string;
}

/**
 * Lists the regular files under `root`. With `followSymlinks` (W&B's add_dir) symlinked folders are
 * entered, guarded against cycles by real path; without it (file:// references) they are skipped.
 * Symlinked files are always listed, like os.walk does.
 */
export async function walkFiles(root: string, { followSymlinks = true, limit = Infinity }: { followSymlinks?: boolean; limit?: number } = {}): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string, rel: string): Promise<void> => {
    const real = await fsp.realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const dirents = await fsp.readdir(dir, { withFileTypes: true });
    for (const d of dirents) {
      const abs = path.join(dir, d.name);
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        const st = await fsp.stat(abs).catch(() => undefined); // a dangling link is skipped
        if (!st) continue;
        isFile = st.isFile();
        isDir = st.isDirectory() && followSymlinks;
      }
      if (isDir) await visit(abs, relPath);
      else if (isFile) {
        out.push({ absPath: abs, relPath });
        if (out.length > limit) throw new WalkLimitError(limit);
      }
    }
  };
  await visit(path.resolve(root), '');
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
