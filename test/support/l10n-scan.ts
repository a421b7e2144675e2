/**
 * Finds string literals a person would read that do not go through the message catalogue: prose
 * (two words or more) or a capitalised word (a button: `Cancel`) anywhere in src/ or media/, unless
 * it is the message of an `l10n.t(…)` call, a module name, a type, a property name, or marked with a
 * `l10n-ignore: <why>` comment on its line or the line above (command lines, HTML, protocol text).
 * The webview's code (media/) has no catalogue: all its words come from the extension host.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface Bypass {
  file: string;
  line: number;
  text: string;
}

const PROSE = /[A-Za-z]{2,}[^\n]*?\s[^\n]*?[A-Za-z]{2,}/;
const UI_WORD = /^[A-Z][a-z]{2,}(?:…|\.\.\.)?$/;
/** A command-line option's syntax (`-p, --project <name>`): the same in every language. */
const OPTION_FLAGS = /^(?:-[A-Za-z], )?--[a-z][a-z0-9-]*(?: [<[][a-z.…-]+[>\]])?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(d.name) && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The text of a literal with each `${…}` as `{}`. */
function literalText(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): string {
  if (!ts.isTemplateExpression(node)) return node.text;
  return node.head.text + node.templateSpans.map((s) => `{}${s.literal.text}`).join('');
}

function isCatalogueCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText());
}

/** Whether the literal is exempt by where it stands. */
function exemptByPlace(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  // The message of l10n.t('…', …) or l10n.t({ message: '…' }).
  if (isCatalogueCall(parent) && (parent as ts.CallExpression).arguments[0] === node) return true;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node && ['message', 'comment'].includes(parent.name.getText()) && isCatalogueCall(parent.parent.parent)) return true;
  if (ts.isArrayLiteralExpression(parent) && ts.isPropertyAssignment(parent.parent) && parent.parent.name.getText() === 'comment') return true;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent) || ts.isLiteralTypeNode(parent)) return true;
  if (ts.isCallExpression(parent) && ['require', 'import'].includes(parent.expression.getText())) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) return true;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) return true;
  return false;
}

function ignoredByComment(sf: ts.SourceFile, node: ts.Node, lines: string[]): boolean {
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
  for (let l = Math.max(0, line - 1); l <= end; l++) if (lines[l]!.includes('l10n-ignore')) return true;
  return false;
}

export function findBypasses(root: string, dirs = ['src', 'media']): Bypass[] {
  const out: Bypass[] = [];
  for (const file of dirs.flatMap((d) => sourceFiles(path.join(root, d))).sort()) {
    const text = readFileSync(file, 'utf8');
    if (/^\/\/ l10n-ignore-file:/m.test(text)) continue;
    const lines = text.split('\n');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        const t = literalText(node).trim();
        const shown = !OPTION_FLAGS.test(t) && (PROSE.test(t.replace(/\{\}/g, ' ')) || UI_WORD.test(t));
        if (shown && !exemptByPlace(node) && !ignoredByComment(sf, node, lines)) {
          out.push({ file: path.relative(root, file), line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: t.slice(0, 80) });
        }
        if (ts.isTemplateExpression(node)) node.templateSpans.forEach((s) => visit(s.expression));
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
