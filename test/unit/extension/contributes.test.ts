/**
 * package.json's `contributes` against the code: the command table (commands/ids.ts), the commands
 * activate() registers, the views it creates, the context values the view models give their rows
 * and the context keys the code sets. Runs the real composition root against a fake `vscode`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../support/tmp';
import { recorded } from './support/fake-vscode';
import { GROUP_IDS } from '../../../src/extension/model/tracked-model';
import { SCM_PROVIDER_ID } from '../../../src/extension/scm/tracked-scm';

vi.mock('vscode', () => import('./support/fake-vscode'));

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
/** package.nls.json: the English text of each `%key%` in package.json. */
const nls = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** A `%key%` of package.json as VS Code shows it in English (other text as it is). */
function resolved(text: string): string {
  const m = /^%([^%]+)%$/.exec(text);
  if (!m) return text;
  expect(nls[m[1]!], `package.nls.json has ${m[1]}`).toBeTypeOf('string');
  return nls[m[1]!]!;
}

/** Every string of contributes that VS Code shows, with where it is. */
function shownTexts(): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  const visit = (v: unknown, where: string, key?: string) => {
    if (typeof v === 'string') {
      if (key && ['title', 'category', 'name', 'contextualTitle', 'contents', 'description', 'markdownDescription'].includes(key)) out.push({ where, text: v });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${where}[${i}]`, key === 'enumDescriptions' ? 'description' : undefined));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) visit(x, `${where}.${k}`, k);
    }
  };
  visit(contributes, 'contributes');
  return out;
}

type WhenAtom = { key: string; op?: '==' | '!=' | '=~'; value?: string };

/** The atoms of a `when` clause: `key`, `!key`, `key == v`, `key != v`, `key =~ /re/`, `true`, `false`. */
function whenAtoms(when: string): WhenAtom[] {
  return when
    .split(/&&|\|\|/)
    .map((part) => part.trim().replace(/^!+/, '').replace(/^\(+|\)+$/g, '').trim())
    .filter((part) => part !== 'true' && part !== 'false')
    .map((part) => {
      const m = /^([\w.]+)\s*(==|!=|=~)\s*(.+)$/.exec(part);
      if (!m) {
        if (!/^[\w.]+$/.test(part)) throw new Error(`Cannot read the when clause part '${part}' of '${when}'`);
        return { key: part };
      }
      return { key: m[1]!, op: m[2] as WhenAtom['op'], value: m[3]!.trim() };
    });
}

/** Every `when` clause of contributes, with where it is. */
function whenClauses(): Array<{ where: string; when: string }> {
  const out: Array<{ where: string; when: string }> = [];
  for (const [menu, entries] of Object.entries(contributes.menus as Record<string, Array<{ command: string; when?: string }>>)) {
    for (const e of entries) if (e.when) out.push({ where: `menus.${menu} ${e.command}`, when: e.when });
  }
  for (const views of Object.values(contributes.views as Record<string, Array<{ id: string; when?: string }>>)) {
    for (const v of views) if (v.when) out.push({ where: `views ${v.id}`, when: v.when });
  }
  for (const w of contributes.viewsWelcome as Array<{ view: string; when?: string }>) if (w.when) out.push({ where: `viewsWelcome ${w.view}`, when: w.when });
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

let ids: typeof import('../../../src/extension/commands/ids');
let contextValues: string[];
let subscriptions: Array<{ dispose(): unknown }>;
const previousRegistry = process.env.ARTIFACTS_REGISTRY;

beforeAll(async () => {
  process.env.ARTIFACTS_REGISTRY = tempDir();
  ids = await import('../../../src/extension/commands/ids');
  const { CONTEXT_VALUES } = await import('../../../src/extension/model/tree-model');
  const { DRAFT_CONTEXT_VALUES } = await import('../../../src/extension/model/drafts-model');
  const { VERIFICATION_CONTEXT_VALUES } = await import('../../../src/extension/model/verification-model');
  contextValues = [...CONTEXT_VALUES, ...DRAFT_CONTEXT_VALUES, ...VERIFICATION_CONTEXT_VALUES];
  const { activate } = await import('../../../src/extension/extension');
  subscriptions = [];
  activate({ subscriptions, workspaceState: { get: () => undefined, update: async () => undefined }, extensionUri: { scheme: 'file', path: ROOT } } as never);
});

afterAll(() => {
  for (const d of subscriptions.splice(0)) d.dispose();
  if (previousRegistry === undefined) delete process.env.ARTIFACTS_REGISTRY;
  else process.env.ARTIFACTS_REGISTRY = previousRegistry;
});

describe('package.json contributes, checked against the code', () => {
  it('contributes exactly the commands of the table, and activate() registers each of them', () => {
    const table = Object.values(ids.COMMANDS).sort();
    const contributed = (contributes.commands as Array<{ command: string; category: string }>).map((c) => c.command).sort();
    expect(contributed).toEqual(table);
    expect([...recorded.commands.keys()].sort()).toEqual(table);
    for (const c of contributes.commands) expect(resolved(c.category), c.command).toBe('Artifacts');
  });

  it('takes every title, name, description and welcome text from package.nls.json (%key%), and every key there is used', () => {
    const texts = shownTexts();
    expect(texts.length).toBeGreaterThan(40);
    for (const { where, text } of texts) expect(text, where).toMatch(/^%[\w.]+%$/);
    const used = new Set(texts.map(({ text }) => text.slice(1, -1)));
    expect(Object.keys(nls).filter((k) => !used.has(k)), 'unused keys of package.nls.json').toEqual([]);
    for (const key of used) expect(nls[key], key).toBeTypeOf('string');
    expect(resolved('%command.logFiles.title%')).toBe('Log Files or Folder as New Version…');
  });

  it('has menu entries and welcome links only for contributed commands', () => {
    const known = new Set<string>(Object.values(ids.COMMANDS));
    for (const [menu, entries] of Object.entries(contributes.menus as Record<string, Array<{ command: string }>>)) {
      for (const e of entries) expect(known.has(e.command), `${menu}: ${e.command}`).toBe(true);
    }
    for (const w of contributes.viewsWelcome as Array<{ contents: string }>) {
      for (const [, id] of resolved(w.contents).matchAll(/\(command:(artifacts\.[\w.]+)/g)) expect(known.has(id!), `welcome link ${id}`).toBe(true);
    }
  });

  it('contributes exactly the views of the table, and activate() creates each of them', () => {
    const views = Object.values(contributes.views as Record<string, Array<{ id: string }>>).flat().map((v) => v.id).sort();
    expect(views).toEqual(Object.values(ids.VIEWS).sort());
    expect([...recorded.treeViews].sort()).toEqual(views);
    for (const w of contributes.viewsWelcome) expect(views).toContain(w.view);
  });

  it('uses in when clauses only views, row context values and context keys the code has', () => {
    const views = new Set<string>(Object.values(ids.VIEWS));
    const keys = new Set<string>(Object.values(ids.CONTEXT_KEYS));
    for (const { where, when } of whenClauses()) {
      for (const atom of whenAtoms(when)) {
        const at = `${where}: ${when}`;
        if (atom.key === 'view') {
          expect(atom.op, at).toBe('==');
          expect(views.has(atom.value!), at).toBe(true);
        } else if (atom.key === 'viewItem') {
          if (atom.op === '=~') {
            const re = /^\/(.*)\/([a-z]*)$/.exec(atom.value!);
            expect(re, at).not.toBeNull();
            const regex = new RegExp(re![1]!.replace(/\\\\/g, '\\'), re![2]);
            expect(contextValues.filter((v) => regex.test(v)), at).not.toHaveLength(0);
          } else {
            expect(contextValues, at).toContain(atom.value);
          }
        } else if (atom.key === 'scmProvider') {
          expect(atom.value, at).toBe(SCM_PROVIDER_ID); // VS Code's key: the id of our SourceControls
        } else if (atom.key === 'scmResourceGroup') {
          expect(GROUP_IDS, at).toContain(atom.value); // VS Code's key: the id of a resource group of ours
        } else {
          expect(keys.has(atom.key), `${at}: unknown context key ${atom.key}`).toBe(true);
        }
      }
    }
  });

  it('has no dead context key: each is set by the code and read by a when clause', () => {
    const used = new Set(whenClauses().flatMap(({ when }) => whenAtoms(when).map((a) => a.key)));
    const sources = sourceFiles(path.join(ROOT, 'src/extension')).map((f) => ({ f, text: readFileSync(f, 'utf8') }));
    for (const [name, key] of Object.entries(ids.CONTEXT_KEYS)) {
      expect(used.has(key), `${key} is read by no when clause`).toBe(true);
      expect(sources.some(({ text }) => text.includes(`setContextKey(CONTEXT_KEYS.${name},`)), `${key} is set nowhere`).toBe(true);
    }
    // Context keys are set in one place, so the table above is complete.
    const setters = sources.filter(({ text }) => text.includes("'setContext'")).map(({ f }) => path.relative(ROOT, f));
    expect(setters).toEqual(['src/extension/ui/context-keys.ts']);
  });

  it('has commands call functions, not other commands of the extension', () => {
    for (const f of sourceFiles(path.join(ROOT, 'src/extension'))) {
      const text = readFileSync(f, 'utf8');
      for (const [, first] of text.matchAll(/executeCommand\(\s*([^,)]+)/g)) {
        const arg = first!.trim();
        const at = `${path.relative(ROOT, f)}: executeCommand(${arg}`;
        expect(arg.startsWith("'artifacts.") || arg.startsWith('"artifacts.') || arg.startsWith('COMMANDS.'), at).toBe(false);
        // VS Code's own commands, and the focus command VS Code makes for a view of ours.
        expect(/^'(vscode\.|workbench\.|revealInExplorer'|setContext')/.test(arg) || /^`\$\{VIEWS\.\w+\}\.focus`$/.test(arg), at).toBe(true);
      }
      // No hand-written command ids outside the table.
      if (!f.endsWith(path.join('commands', 'ids.ts'))) expect(text, path.relative(ROOT, f)).not.toMatch(/['"`]artifacts\.(?!diff\b)[a-zA-Z]+['"`]/);
    }
  });

  it('keeps view models, URIs and the id table free of vscode (pure, testable in Node)', () => {
    const pure = [
      ...sourceFiles(path.join(ROOT, 'src/extension/model')),
      path.join(ROOT, 'src/extension/fs/artifact-uri.ts'),
      path.join(ROOT, 'src/extension/fs/entry-bytes.ts'),
      path.join(ROOT, 'src/extension/commands/ids.ts'),
    ];
    for (const f of pure) expect(readFileSync(f, 'utf8'), path.relative(ROOT, f)).not.toMatch(/from ['"]vscode['"]/);
  });

  it('tracks every disposable on the context: disposing them unregisters every command', () => {
    expect(recorded.commands.size).toBe(Object.keys(ids.COMMANDS).length);
    for (const d of subscriptions.splice(0)) d.dispose();
    expect(recorded.commands.size).toBe(0);
  });
});
