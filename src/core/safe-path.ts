/**
 * Turning a logical path from a manifest into a place on disk, safely: the path must be a clean
 * relative POSIX path, and no folder on the way may be a symlink that leads outside the root.
 * Files themselves are always replaced by rename, so a symlink at the destination is replaced, never
 * written through.
 */
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { ValidationError } from './errors';
import { isSafeLogicalPath } from './validate';

export class SafeRoot {
  readonly root: string;
  private readonly realRoot: string;
  /** Folders already checked (and created): relative POSIX path → true. */
  private readonly checked = new Set<string>(['']);

  constructor(root: string, { create = true } = {}) {
    this.root = path.resolve(root);
    if (create) mkdirSync(this.root, { recursive: true });
    this.realRoot = realpathSync(this.root);
  }

  /** Throws unless `logical` is a path this root may hold. */
  static check(logical: string): void {
    if (!isSafeLogicalPath(logical)) {
      throw new ValidationError(`Refusing the unsafe path ${JSON.stringify(logical)} from the manifest: it is absolute, empty or contains '..'`);
    }
  }

  /** The absolute destination of `logical`, with its parent folders created and checked. */
  destination(logical: string, { create = true } = {}): string {
    SafeRoot.check(logical);
    const parts = logical.replace(/\\/g, '/').split('/');
    let rel = '';
    for (const part of parts.slice(0, -1)) {
      rel = rel ? `${rel}/${part}` : part;
      if (this.checked.has(rel)) continue;
      const abs = path.join(this.root, ...rel.split('/'));
      const st = lstatOrUndefined(abs);
      if (st?.isSymbolicLink()) {
        const real = realpathOrUndefined(abs);
        if (!real || !isInside(this.realRoot, real)) {
          throw new ValidationError(`Refusing to write ${logical}: ${rel} is a symlink that leads outside ${this.root}`);
        }
      } else if (st && !st.isDirectory()) {
        throw new ValidationError(`Cannot write ${logical}: ${rel} is a file, not a folder`);
      } else if (!st) {
        if (!create) return path.join(this.root, ...parts);
        mkdirSync(abs, { recursive: true });
      }
      this.checked.add(rel);
    }
    return path.join(this.root, ...parts);
  }
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(p: string) {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
