/**
 * Turning a logical path from a manifest into a place on disk, safely: the path must be a clean
 * relative POSIX path within the platform's limits, and no folder on the way may be a symlink or a
 * file. Symlinks inside the destination are never followed for writing or deleting (checkout
 * removes a link that stands where a folder belongs; download refuses it). Files themselves are
 * always replaced by rename, so a symlink at the destination is replaced, never written through.
 */
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { ValidationError } from './errors';
import { isSafeLogicalPath } from './validate';

export class SafeRoot {
  readonly root: string;
  /** Folders already checked (and created): relative POSIX path → true. */
  private readonly checked = new Set<string>(['']);

  constructor(root: string, { create = true } = {}) {
    if (typeof root !== 'string' || root.trim() === '') throw new ValidationError(l10n.t('The destination folder is empty: name a folder (e.g. --root ./data)'));
    this.root = path.resolve(root);
    const st = lstatOrUndefined(this.root);
    if (st && !st.isDirectory() && !(st.isSymbolicLink() && statIsDir(this.root))) {
      throw new ValidationError(l10n.t('The destination {0} is a file, not a folder', this.root));
    }
    if (create && !st) {
      try {
        mkdirSync(this.root, { recursive: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTDIR' || code === 'EEXIST') throw new ValidationError(l10n.t('Cannot create the folder {0}: a file is in the way', this.root));
        if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new ValidationError(l10n.t('Cannot create the folder {0}: {1}', this.root, code));
        throw e;
      }
    }
  }

  /** Throws unless `logical` is a path this root may hold. */
  static check(logical: string): void {
    if (!isSafeLogicalPath(logical)) {
      throw new ValidationError(
        l10n.t(
          "Refusing the unsafe path {0} from the manifest: it is absolute, empty, contains '..', or is longer or deeper than a file system allows",
          JSON.stringify(logical.length > 200 ? `${logical.slice(0, 200)}…` : logical),
        ),
      );
    }
  }

  /** Where `logical` is, with no check at all (for reading what is there). */
  pathOf(logical: string): string {
    return path.join(this.root, ...logical.split('/'));
  }

  /** The absolute destination of `logical`, with its parent folders checked (and created). */
  destination(logical: string, { create = true } = {}): string {
    SafeRoot.check(logical);
    // A checked path has no empty, '.' or '..' segment: joining is appending.
    const posix = logical.includes('\\') ? logical.replace(/\\/g, '/') : logical;
    const slash = posix.lastIndexOf('/');
    if (slash > 0 && !this.checked.has(posix.slice(0, slash))) {
      for (let i = posix.indexOf('/'); i > 0; i = posix.indexOf('/', i + 1)) {
        const rel = posix.slice(0, i);
        if (this.checked.has(rel)) continue;
        const abs = this.under(rel);
        const st = lstatOrUndefined(abs);
        if (st?.isSymbolicLink()) {
          throw new ValidationError(l10n.t('Refusing to write {0}: {1} in {2} is a symlink, which is never followed (checkout replaces it with a folder)', logical, rel, this.root));
        } else if (st && !st.isDirectory()) {
          throw new ValidationError(l10n.t('Cannot write {0}: {1} in {2} is a file, not a folder', logical, rel, this.root));
        } else if (!st) {
          if (!create) return this.under(posix);
          mkdirSync(abs, { recursive: true });
        }
        this.checked.add(rel);
      }
    }
    return this.under(posix);
  }

  /** A clean relative POSIX path under the root, as a platform path. */
  private under(posix: string): string {
    const prefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    return prefix + (path.sep === '/' ? posix : posix.replaceAll('/', path.sep));
  }
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function statIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
