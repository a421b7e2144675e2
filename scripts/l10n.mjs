// The message catalogue, from the sources (see src/core/l10n.ts):
//   node scripts/l10n.mjs          writes l10n/bundle.l10n.json (every l10n.t message in src/ and
//                                  media/, found by @vscode/l10n-dev) and package.nls.<lang>.json
//                                  for each l10n/bundle.l10n.<lang>.json
//   node scripts/l10n.mjs --nls    only the package.nls.<lang>.json files (the build runs this)
//   node scripts/l10n.mjs --check  exits 1 naming what is stale or missing (the tests run this)
// A language is one file, l10n/bundle.l10n.<lang>.json: English message → translation, for the
// messages of the code and for the English values of package.nls.json (titles, settings), from
// which package.nls.<lang>.json is derived here.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getL10nJson } from '@vscode/l10n-dev';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const L10N = path.join(ROOT, 'l10n');
const SOURCES = ['src', 'media'];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every message of the sources, sorted by key (stable diffs). */
export async function exportMessages() {
  const files = SOURCES.flatMap((s) => sourceFiles(path.join(ROOT, s))).sort();
  const found = await getL10nJson(files.map((f) => ({ contents: readFileSync(f, 'utf8'), extension: path.extname(f) })));
  return Object.fromEntries(Object.keys(found).sort().map((k) => [k, found[k]]));
}

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));
const messageOf = (v) => (typeof v === 'string' ? v : v.message);

/** The languages that have a bundle: `ja` for l10n/bundle.l10n.ja.json. */
export function languages() {
  return readdirSync(L10N)
    .map((n) => /^bundle\.l10n\.([a-z]{2,3}(?:-[a-z0-9]+)*)\.json$/.exec(n)?.[1])
    .filter(Boolean)
    .sort();
}

/** package.nls.<lang>.json: each key of package.nls.json, its English value translated. */
export function nlsFor(lang) {
  const english = readJson(path.join(ROOT, 'package.nls.json'));
  const bundle = readJson(path.join(L10N, `bundle.l10n.${lang}.json`));
  const out = {};
  const missing = [];
  for (const [key, value] of Object.entries(english)) {
    const text = messageOf(value);
    if (bundle[text] === undefined) missing.push(key);
    out[key] = bundle[text] === undefined ? text : messageOf(bundle[text]);
  }
  return { nls: out, missing };
}

const json = (o) => `${JSON.stringify(o, null, 2)}\n`;

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const problems = [];
  if (!args.includes('--nls')) {
    const messages = await exportMessages();
    const file = path.join(L10N, 'bundle.l10n.json');
    if (check) {
      let committed = {};
      try {
        committed = readJson(file);
      } catch {
        problems.push('l10n/bundle.l10n.json is missing');
      }
      const added = Object.keys(messages).filter((k) => !(k in committed));
      const gone = Object.keys(committed).filter((k) => !(k in messages));
      if (added.length || gone.length) problems.push(`l10n/bundle.l10n.json is stale (run npm run l10n): ${added.length} new, ${gone.length} gone${added.length ? `, e.g. ${JSON.stringify(added[0])}` : ''}`);
    } else {
      writeFileSync(file, json(messages));
    }
  }
  for (const lang of existsSync(path.join(ROOT, 'package.nls.json')) ? languages() : []) {
    const { nls, missing } = nlsFor(lang);
    if (check) {
      if (missing.length) problems.push(`l10n/bundle.l10n.${lang}.json lacks ${missing.length} title(s) of package.nls.json, e.g. ${missing[0]}`);
    } else {
      writeFileSync(path.join(ROOT, `package.nls.${lang}.json`), json(nls));
    }
  }
  if (problems.length) {
    for (const p of problems) console.error(`l10n: ${p}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
