/**
 * Drafts staged from the Explorer, kept as plain data in VS Code's workspace storage so that they
 * survive a window reload. A draft records what to add (files and folders at target paths) and, when
 * it started from a logged version (`newDraft`), that version and the paths removed from it. The
 * bytes are hashed and stored when the draft is committed.
 */
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { NotFoundError, ValidationError } from '../../core/errors';
import { validateArtifactName, validateLogicalPath, validateType } from '../../core/validate';

export interface DraftSource {
  /** Absolute local path of a file or folder. */
  localPath: string;
  kind: 'file' | 'folder';
  /** Where it goes in the artifact: a file's path, or the folder the folder's contents go under ('' = root). */
  target: string;
}

export interface Draft {
  id: string;
  name: string;
  type: string;
  /** The version this draft started from (a qualified ref), if any. */
  base?: string;
  /** Paths (files or folders) removed from the base version. */
  removed: string[];
  sources: DraftSource[];
  createdAt: string;
}

/** The part of VS Code's Memento the store needs (workspaceState satisfies it). */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'artifacts.drafts.v1';

export class DraftStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: KeyValueStorage) {}

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  list(): Draft[] {
    return this.storage.get<Draft[]>(KEY) ?? [];
  }

  get(id: string): Draft {
    const d = this.list().find((x) => x.id === id);
    if (!d) throw new NotFoundError(l10n.t('The draft {0} no longer exists', id));
    return d;
  }

  private async save(drafts: Draft[]): Promise<void> {
    await this.storage.update(KEY, drafts);
    for (const l of this.listeners) l();
  }

  private async change(id: string, edit: (d: Draft) => void): Promise<Draft> {
    const drafts = this.list().map((d) => ({ ...d, sources: [...d.sources], removed: [...d.removed] }));
    const d = drafts.find((x) => x.id === id);
    if (!d) throw new NotFoundError(l10n.t('The draft {0} no longer exists', id));
    edit(d);
    await this.save(drafts);
    return d;
  }

  async create(name: string, type: string, base?: string): Promise<Draft> {
    validateArtifactName(name);
    validateType(type, name);
    const draft: Draft = { id: randomBytes(6).toString('hex'), name, type, base, removed: [], sources: [], createdAt: new Date().toISOString() };
    await this.save([...this.list(), draft]);
    return draft;
  }

  /**
   * Adds files and folders. A source with the same target as an earlier one replaces it (the newest
   * choice wins); a file under a path removed from the base brings that path back.
   */
  async addSources(id: string, sources: DraftSource[]): Promise<Draft> {
    const clean = sources.map((s) => ({ ...s, target: s.target === '' && s.kind === 'folder' ? '' : validateLogicalPath(s.target) }));
    return this.change(id, (d) => {
      for (const s of clean) {
        d.sources = d.sources.filter((x) => !(x.target === s.target && x.kind === s.kind));
        d.sources.push(s);
        d.removed = d.removed.filter((r) => r !== s.target);
      }
    });
  }

  async removeSource(id: string, target: string, kind: DraftSource['kind']): Promise<Draft> {
    return this.change(id, (d) => {
      const before = d.sources.length;
      d.sources = d.sources.filter((s) => !(s.target === target && s.kind === kind));
      if (d.sources.length === before) throw new NotFoundError(target ? l10n.t('{0} is not staged in {1}', target, d.name) : l10n.t('The root is not staged in {0}', d.name));
    });
  }

  /** Removes a path (file or folder) inherited from the base version. */
  async removeFromBase(id: string, logicalPath: string): Promise<Draft> {
    const p = validateLogicalPath(logicalPath);
    return this.change(id, (d) => {
      if (!d.base) throw new ValidationError(l10n.t('{0} did not start from a version: remove staged entries instead', d.name));
      if (!d.removed.includes(p)) d.removed.push(p);
    });
  }

  /** Takes back a removal from the base version. */
  async restoreToBase(id: string, logicalPath: string): Promise<Draft> {
    return this.change(id, (d) => {
      d.removed = d.removed.filter((r) => r !== logicalPath);
    });
  }

  async delete(id: string): Promise<void> {
    await this.save(this.list().filter((d) => d.id !== id));
  }
}

function basename(p: string): string {
  return p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
}

function join(at: string, name: string): string {
  const prefix = at.replace(/^\/+|\/+$/g, '');
  return prefix ? `${prefix}/${name}` : name;
}

/**
 * Where a selection from the Explorer goes under `at` (a folder in the artifact, '' = its root).
 * One folder alone puts its contents at `at`, like W&B's add_dir; otherwise each file and folder
 * keeps its name under `at`, so that several folders do not pour into one another.
 */
export function planSources(selection: Array<{ localPath: string; kind: DraftSource['kind'] }>, at: string): DraftSource[] {
  const single = selection.length === 1 && selection[0]!.kind === 'folder';
  return selection.map((s) => ({ ...s, target: single ? at.replace(/^\/+|\/+$/g, '') : join(at, basename(s.localPath)) }));
}
