// The CLI in Japanese (LANG=ja_JP.UTF-8): its own messages, commander's words and the help are
// translated from l10n/bundle.l10n.ja.json (beside dist/), while --json output stays English.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliIn, runCli } from '../support/cli';
import { tempDir, writeTree } from '../support/tmp';

const BUNDLE = path.resolve(__dirname, '../../l10n/bundle.l10n.ja.json');
const JA = { LANG: 'ja_JP.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined };
const EN = { LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined };

let bundle: Record<string, string | { message: string }> = {};

/** The Japanese of an English message, with its placeholders filled in as l10n.t does. */
function ja(english: string, ...args: string[]): string {
  const entry = bundle[english];
  if (entry === undefined) throw new Error(`l10n/bundle.l10n.ja.json has no translation of ${JSON.stringify(english)}`);
  const text = typeof entry === 'string' ? entry : entry.message;
  return text.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]!);
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it)`);
  bundle = JSON.parse(readFileSync(BUNDLE, 'utf8'));
});

async function logged() {
  const registry = tempDir();
  const dir = tempDir();
  await writeTree(dir, { 'a.txt': 'hello', 'sub/b.txt': 'world' });
  const cli = cliIn(registry);
  await cli.ok(['log', dir, '--name', 'ds', '--type', 'dataset'], { env: EN });
  return { cli, dir };
}

describe('the CLI in Japanese', () => {
  it('--help shows the titles, the descriptions and commander’s own words in Japanese', async () => {
    const top = await runCli(['--help'], { env: JA });
    expect(top.code).toBe(0);
    expect(top.stdout.startsWith(`${ja('Usage:')} artifacts [options] [command]\n`)).toBe(true);
    expect(top.stdout).toContain(`\n${ja('Options:')}\n`);
    expect(top.stdout).toContain(`\n${ja('Commands:')}\n`);
    const flat = (text: string) => text.replace(/\s+/g, ''); // the description is wrapped to the terminal
    expect(flat(top.stdout)).toContain(flat(ja('Versioned datasets and models (the W&B Artifact model) on storage you own.')));
    expect(top.stdout).toMatch(new RegExp(`\n  show \\[options\\] <ref> +${ja('show one version')}\n`));
    expect(top.stdout).toContain(ja('output the version number'));
    expect(top.stdout).toContain(ja('print machine-readable JSON'));
    expect(top.stdout).toContain(ja("A REF is [entity/][project/]collection[:alias|vN]; without ':…' it means ':latest'."));
    expect(top.stdout).not.toMatch(/display help for command|output the version number|Usage:|Options:/);

    const log = await runCli(['log', '--help'], { env: JA });
    expect(log.code).toBe(0);
    expect(log.stdout).toContain(`\n${ja('Arguments:')}\n`);
    expect(log.stdout).toContain(ja('display help for command'));
    expect(flat(log.stdout)).toContain(flat(ja('default: {0}', '"mutable"')));
    expect(log.stdout).toMatch(/--reference <uri>/); // option names stay as they are
    // Wrapped to the width of a terminal, counting a Japanese character as two columns.
    for (const line of log.stdout.split('\n')) {
      const width = [...line].reduce((w, c) => w + (JAPANESE.test(c) || /[\uff00-\uffef、。]/.test(c) ? 2 : 1), 0);
      expect(width, line).toBeLessThanOrEqual(80);
    }
  });

  it('says a usage mistake in Japanese, on one line, with the same exit code', async () => {
    const { cli, dir } = await logged();
    const unknown = await cli.run(['show', 'ds', '--bogus'], { env: JA });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`${ja('artifacts: error: {0}', ja("unknown option '{0}'", '--bogus'))}\n${ja('(run with --help for usage)')}\n`);

    const required = await cli.run(['log', dir, '--type', 'dataset'], { env: JA });
    expect(required.code).toBe(2);
    expect(required.stderr.split('\n')[0]).toBe(ja('artifacts: error: {0}', ja("required option '{0}' not specified", '--name <collection>')));

    const nothing = await cli.run(['describe', 'ds:v0'], { env: JA });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(`${ja('artifacts: error: {0}', ja('Nothing to change: give --description and/or --metadata'))}\n`);

    // A missing folder and a bad ref: the library's messages, translated too.
    for (const args of [['log', path.join(dir, 'nope'), '--name', 'x', '--type', 'dataset'], ['show', 'a/b/c/d']]) {
      const japanese = await cli.run(args, { env: JA });
      const english = await cli.run(args, { env: EN });
      expect(japanese.code, args.join(' ')).toBe(2);
      expect(english.code, args.join(' ')).toBe(2);
      const prefix = ja('artifacts: error: {0}', '');
      expect(japanese.stderr.startsWith(prefix), japanese.stderr).toBe(true);
      const message = japanese.stderr.slice(prefix.length);
      expect(message, args.join(' ')).toMatch(JAPANESE);
      expect(message).not.toBe(english.stderr.replace(/^artifacts: error: /, ''));
      expect(japanese.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('prints human output in Japanese and --json output unchanged', async () => {
    const { cli, dir } = await logged();
    const listing = await cli.ok(['ls'], { env: JA });
    expect(listing.stdout.split('\n')[0]).toMatch(new RegExp(`^${ja('COLLECTION')}\\s+${ja('TYPE')}\\s+${ja('KIND')}`));
    const verified = await cli.ok(['verify', 'ds', '--root', dir], { env: JA });
    expect(verified.stdout.trim()).toBe(ja('OK: {0} matches {1}, {2}', dir, 'alice/demo/ds:v0', ja('{0} files', '2')));

    for (const args of [['show', 'ds:v0'], ['ls', 'alice/demo/ds'], ['verify', 'ds', '--root', dir], ['files', 'ds']]) {
      const japanese = await cli.json(args, { env: JA });
      const english = await cli.json(args, { env: EN });
      expect(japanese, args.join(' ')).toEqual(english);
    }
    const shown = await cli.json<Record<string, unknown>>(['show', 'ds:v0'], { env: JA });
    expect(Object.keys(shown)).toEqual(expect.arrayContaining(['ref', 'version', 'aliases', 'fileCount', 'createdAt', 'loggedBy']));
    expect(shown).toMatchObject({ ref: 'alice/demo/ds:v0', type: 'dataset', state: 'COMMITTED', aliases: ['latest'] });
  });
});
