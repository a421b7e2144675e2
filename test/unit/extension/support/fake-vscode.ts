/**
 * The part of the `vscode` API that activate() touches, as plain objects that record what the
 * extension registers (commands, views, context keys). Used with vi.mock('vscode') by tests that
 * run the composition root without VS Code.
 */
import * as l10nLib from '@vscode/l10n';

export const recorded = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as unknown[][],
  treeViews: [] as string[],
  panels: [] as Array<{ title: string; disposed: boolean; posted: unknown[]; html(): string; receive(m: unknown): void; close(): void }>,
  fileSystems: [] as string[],
  watchers: 0,
};

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...ds: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

const noop = () => new Disposable();

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  readonly event = (l: (e: T) => void) => {
    this.listeners.add(l);
    return new Disposable(() => this.listeners.delete(l));
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query: string, readonly fragment: string) {}
  static file(p: string): Uri {
    return new Uri('file', '', p, '', '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path, ...parts].join('/'), '', '');
  }
  get fsPath(): string {
    return this.path;
  }
}

export class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class TreeItem {
  constructor(readonly label: string, readonly collapsibleState?: number) {}
}
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };
export const ViewColumn = { Active: -1 };
export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };
export const FilePermission = { Readonly: 1 };
export class FileSystemError extends Error {
  static FileNotFound(m?: unknown) {
    return new FileSystemError(String(m));
  }
  static NoPermissions(m?: unknown) {
    return new FileSystemError(String(m));
  }
  static Unavailable(m?: unknown) {
    return new FileSystemError(String(m));
  }
}

export const version = '1.90.0-fake';
export const env = { appName: 'Fake Code', language: 'en', clipboard: { writeText: async () => undefined }, openExternal: async () => true };

/** vscode.l10n as @vscode/l10n: the English message with its {0}… filled, or a bundle's (l10n.config in a test). */
export const l10n = { t: l10nLib.t, bundle: undefined, uri: undefined };

export const commands = {
  registerCommand(id: string, run: (...args: unknown[]) => unknown) {
    if (recorded.commands.has(id)) throw new Error(`command ${id} registered twice`);
    recorded.commands.set(id, run);
    return new Disposable(() => recorded.commands.delete(id));
  },
  async executeCommand(...args: unknown[]) {
    recorded.executed.push(args);
    return undefined;
  },
};

const watcher = () => {
  recorded.watchers += 1;
  return { onDidChange: noop, onDidCreate: noop, onDidDelete: noop, dispose: () => undefined };
};

export const workspace = {
  getConfiguration: () => ({ get: () => undefined }),
  onDidChangeConfiguration: noop,
  createFileSystemWatcher: watcher,
  registerFileSystemProvider(scheme: string) {
    recorded.fileSystems.push(scheme);
    return new Disposable();
  },
  workspaceFolders: undefined,
  asRelativePath: (p: string) => p,
  findFiles: async () => [],
  onDidChangeWorkspaceFolders: noop,
};

export const scm = {
  createSourceControl(id: string, label: string) {
    const groups: unknown[] = [];
    return {
      id,
      label,
      inputBox: { value: '', placeholder: '' },
      createResourceGroup: (gid: string, glabel: string) => {
        const g = { id: gid, label: glabel, resourceStates: [] as unknown[], hideWhenEmpty: false, dispose: () => undefined };
        groups.push(g);
        return g;
      },
      dispose: () => undefined,
    };
  },
};

export const window = {
  state: { focused: true },
  onDidChangeWindowState: noop,
  createOutputChannel: () => ({ info: () => undefined, warn: () => undefined, error: () => undefined, show: () => undefined, dispose: () => undefined }),
  createTreeView(id: string) {
    recorded.treeViews.push(id);
    return { reveal: async () => undefined, dispose: () => undefined };
  },
  registerFileDecorationProvider: noop,
  onDidChangeActiveTextEditor: noop,
  activeTextEditor: undefined,
  createStatusBarItem: () => ({ text: '', tooltip: '', show: () => undefined, hide: () => undefined, dispose: () => undefined }),
  registerUriHandler: noop,
  showErrorMessage: async () => undefined,
  showInformationMessage: async () => undefined,
  showWarningMessage: async () => undefined,
  withProgress: (_options: unknown, task: (progress: { report(): void }, token: unknown) => unknown) =>
    task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: noop }),
  createWebviewPanel(_type: string, title: string) {
    const disposed = new EventEmitter<void>();
    const received = new EventEmitter<unknown>();
    const record = { title, disposed: false, posted: [] as unknown[], html: () => panel.webview.html, receive: (m: unknown) => received.fire(m), close: () => panel.dispose() };
    recorded.panels.push(record);
    const panel = {
      webview: {
        html: '',
        cspSource: 'fake:',
        asWebviewUri: (u: Uri) => u,
        /** A message from the page: `record.receive(m)`. */
        onDidReceiveMessage: received.event,
        postMessage: async (m: unknown) => void record.posted.push(m),
      },
      onDidDispose: disposed.event,
      dispose() {
        if (record.disposed) return;
        record.disposed = true;
        disposed.fire();
      },
    };
    return panel;
  },
};
