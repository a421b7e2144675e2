/**
 * `artifacts diff A B|DIR --content PATH [--key COL] [--max-changed FRACTION] [--json]`: what changed
 * inside one file (or a folder of images) of two versions, or of a version and a folder, with the
 * content differs of src/content; and the version-metadata section of the plain `diff` output.
 *
 * Exit codes: 1 when `--max-changed` is given and more than that fraction changed (a CI gate: within
 * the budget exits 0); without it, 1 when the content differs, like `diff`; 2 for bad input.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as l10n from '@vscode/l10n';
import { Option, type Command } from 'commander';
import type { Artifact } from '../../core/artifact';
import { NotFoundError, ValidationError } from '../../core/errors';
import { diffVersionMetadata } from '../../content/metadata';
import { detectContentKind, imageFormatOfName } from '../../content/formats';
import type { ImageFolderDiff } from '../../content/image';
import type { ChangeBudget, ContentDiff } from '../../content/index';
import type { ContentSource } from '../../content/source';

/**
 * The differs and their decoders (yaml, hyparquet, pngjs…) are most of the CLI's size: loaded on
 * the first content diff (the bundle keeps them in dist/content.js), so other commands start fast.
 */
function content(): Promise<typeof import('../../content/index')> {
  return import('../../content/index');
}
import type { ChangedRowsPage } from '../../content/table';
import type { Registry } from '../../registry/registry';
import type { Context } from '../context';
import { EXIT_DIFFERENCE } from '../exit-codes';
import { contentDiffText, imageFolderText, metadataText } from './content-diff-text';

export interface ContentDiffFlags {
  content?: string;
  key?: string;
  maxChanged?: string;
}

/** Changed rows printed as text; `--json` carries a first window of this many. */
const TEXT_ROWS = 20;
const JSON_ROWS = 100;

/** Adds `--content`, `--key` and `--max-changed` to the `diff` command. */
export function contentDiffOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--content <path>', l10n.t('compare what changed inside this file (a table, JSON/YAML, an image, weights) or folder of images')))
    .addOption(new Option('--key <column>', l10n.t('with --content on a table: match rows by this column (default: a unique id-like column, else whole rows)')))
    .addOption(new Option('--max-changed <fraction>', l10n.t('with --content: exit 1 only when more than this changed (0.01 or 1%: rows, pixels or tensors), else 0')));
}

/** `--max-changed 0.01` or `1%` as a fraction from 0 to 1. */
export function parseFraction(text: string): number {
  const t = text.trim();
  const percent = t.endsWith('%');
  const n = Number(percent ? t.slice(0, -1) : t);
  const value = percent ? n / 100 : n;
  if (t === '' || t === '%' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ValidationError(l10n.t("Invalid --max-changed '{0}': use a fraction from 0 to 1 (0.01) or a percentage (1%)", text));
  }
  return value;
}

/** A path inside an artifact as the user wrote it: `/`-separated, relative, no `..`. */
function logicalPath(text: string): string {
  const p = text.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new ValidationError(l10n.t("Invalid --content path '{0}': give the path of a file inside the version, such as data/train.csv", text));
  }
  return p;
}

/** One side of the comparison: a logged version or a folder on disk. */
type Side = { kind: 'version'; artifact: Artifact; label: string } | { kind: 'folder'; root: string; label: string };

/** Temp copies of entries that are not local files (a remote registry, references); removed at the end. */
class Spool {
  private dir: string | undefined;
  private n = 0;

  async file(name: string): Promise<string> {
    this.dir ??= await fsp.mkdtemp(path.join(tmpdir(), 'artifacts-content-'));
    return path.join(this.dir, `${++this.n}-${path.basename(name)}`);
  }

  async dispose(): Promise<void> {
    if (this.dir) await fsp.rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * The bytes of one entry of a version as a source with ranged reads: the stored object itself in a
 * local registry (asked of the registry, never a hard-coded path), else a temp copy read through
 * `openEntry`, which checks the digest.
 */
async function entrySource(registry: Registry, artifact: Artifact, logical: string, spool: Spool, signal?: AbortSignal): Promise<ContentSource | null> {
  const { fileSource } = await content();
  const file = await registry.entryFile(
    artifact,
    logical,
    async (stream, name) => {
      const copy = await spool.file(name);
      await pipeline(stream, createWriteStream(copy), { signal });
      return copy;
    },
    { signal },
  );
  return file === undefined ? null : fileSource(file, logical);
}

async function folderSource(root: string, logical: string): Promise<ContentSource | null> {
  const { fileSource } = await content();
  const file = path.join(root, ...logical.split('/'));
  const st = await fsp.stat(file).catch(() => undefined);
  return st?.isFile() ? fileSource(file, logical) : null;
}

async function sourceOf(registry: Registry, side: Side, logical: string, spool: Spool, signal?: AbortSignal): Promise<ContentSource | null> {
  return side.kind === 'version' ? entrySource(registry, side.artifact, logical, spool, signal) : folderSource(side.root, logical);
}

/** Paths of the images under `dir/` on one side. */
async function imagesUnder(side: Side, dir: string): Promise<string[]> {
  if (side.kind === 'version') return side.artifact.manifest.entriesUnder(dir).map((e) => e.path).filter((p) => imageFormatOfName(p));
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fsp.readdir(path.join(side.root, ...rel.split('/')), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile() && imageFormatOfName(e.name)) out.push(child);
    }
  };
  await walk(dir);
  return out;
}

async function md5Of(source: ContentSource): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of (await source.open()) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('base64');
}

async function bytesDiffer(before: ContentSource | null, after: ContentSource | null): Promise<boolean> {
  if (!before || !after) return before !== after;
  if (before.size !== after.size) return true;
  return (await md5Of(before)) !== (await md5Of(after));
}

/** Whether the content differs, by the differ's own measure where it has one, else by the bytes. */
async function contentChanged(diff: ContentDiff, before: ContentSource | null, after: ContentSource | null): Promise<boolean> {
  switch (diff.kind) {
    case 'table': {
      const { added, removed, changed } = diff.rowChanges;
      const s = diff.schema;
      return added + removed + changed + s.added.length + s.removed.length + s.renamed.length + s.typeChanged.length > 0 || s.reordered;
    }
    case 'structured':
      return diff.skipped ? bytesDiffer(before, after) : diff.counts.added + diff.counts.removed + diff.counts.changed > 0;
    case 'image':
      if (!diff.before || !diff.after) return true;
      if (diff.compared) return diff.changedPixels! > 0;
      return bytesDiffer(before, after);
    case 'weights': {
      if (diff.opaque || diff.valuesChanged === null) return bytesDiffer(before, after);
      const t = diff.tensors;
      return t.added.length + t.removed.length + t.changed.length + diff.valuesChanged.length + diff.metadata.counts.added + diff.metadata.counts.removed + diff.metadata.counts.changed > 0;
    }
    default:
      return bytesDiffer(before, after);
  }
}

function folderBudget(diff: ImageFolderDiff, maxFraction: number): ChangeBudget {
  const changed = diff.changed.length + diff.omitted;
  const total = changed + diff.unchanged;
  const fraction = total === 0 ? 0 : changed / total;
  const pct = (x: number): string => `${+(x * 100).toPrecision(3)}%`;
  const ok = fraction <= maxFraction;
  const message = ok
    ? l10n.t('{0} of images changed, within the {1} allowed', pct(fraction), pct(maxFraction))
    : l10n.t('{0} of images changed, more than the {1} allowed', pct(fraction), pct(maxFraction));
  return { ok, fraction, message };
}

/**
 * `diff A B --content PATH` (see the file comment); false, doing nothing, without `--content` (the
 * plain `diff` runs then).
 */
export async function contentDiff(ctx: Context, a: string, b: string, isFolder: boolean, flags: ContentDiffFlags): Promise<boolean> {
  if (flags.content === undefined) {
    if (flags.key !== undefined) throw new ValidationError(l10n.t('--key needs --content PATH: the file to compare inside the versions'));
    if (flags.maxChanged !== undefined) throw new ValidationError(l10n.t('--max-changed needs --content PATH: the file to compare inside the versions'));
    return false;
  }
  const logical = logicalPath(flags.content);
  const maxChanged = flags.maxChanged === undefined ? undefined : parseFraction(flags.maxChanged);
  const registry = ctx.registry;
  const signal = ctx.signal;
  const before: Side = await registry.get(a).then((artifact) => ({ kind: 'version' as const, artifact, label: artifact.qualifiedName }));
  const after: Side = isFolder ? { kind: 'folder', root: path.resolve(b), label: path.resolve(b) } : await registry.get(b).then((artifact) => ({ kind: 'version' as const, artifact, label: artifact.qualifiedName }));
  const spool = new Spool();
  try {
    const [x, y] = await Promise.all([sourceOf(registry, before, logical, spool, signal), sourceOf(registry, after, logical, spool, signal)]);
    if (!x && !y) {
      const images = [...new Set([...(await imagesUnder(before, logical)), ...(await imagesUnder(after, logical))])].sort();
      if (images.length === 0) throw new NotFoundError(l10n.t('Neither {0} nor {1} has a file {2} (or images under {2}/)', before.label, after.label, logical));
      if (flags.key !== undefined) throw new ValidationError(l10n.t('--key applies to tables (CSV, TSV, JSON Lines, Parquet); {0} is a folder of images', logical));
      const pairs = await Promise.all(images.map(async (p) => ({ path: p, before: await sourceOf(registry, before, p, spool, signal), after: await sourceOf(registry, after, p, spool, signal) })));
      const diff = await (await content()).diffImageFolder(pairs, { signal });
      const budget = maxChanged === undefined ? undefined : folderBudget(diff, maxChanged);
      ctx.print({ before: before.label, after: after.label, path: logical, diff, ...(budget ? { budget } : {}) }, () =>
        [`--- ${before.label} ${logical}/`, `+++ ${after.label} ${logical}/`, imageFolderText(diff, logical), ...(budget ? [budget.message] : [])].join('\n'),
      );
      finish(budget, diff.changed.length + diff.omitted > 0);
      return true;
    }
    const kind = detectContentKind(logical);
    if (flags.key !== undefined && kind !== 'table') throw new ValidationError(l10n.t('--key applies to tables (CSV, TSV, JSON Lines, Parquet); {0} is not one', logical));
    const { diffContent, checkChangeBudget } = await content();
    const diff = await diffContent(x, y, { key: flags.key, signal });
    const changed = await contentChanged(diff, x, y);
    const budget = maxChanged === undefined ? undefined : checkChangeBudget(diff, maxChanged);
    let rows: ChangedRowsPage | undefined;
    if (diff.kind === 'table') rows = await diff.rows(0, ctx.json ? JSON_ROWS : TEXT_ROWS, undefined, signal);
    ctx.print({ before: before.label, after: after.label, path: logical, changed, diff, ...(rows ? { rows } : {}), ...(budget ? { budget } : {}) }, () =>
      [
        x ? `--- ${before.label} ${logical}` : l10n.t('--- {0} {1} (absent)', before.label, logical),
        y ? `+++ ${after.label} ${logical}` : l10n.t('+++ {0} {1} (absent)', after.label, logical),
        contentDiffText(diff, rows, changed),
        ...(budget ? [budget.message] : []),
      ].join('\n'),
    );
    finish(budget, changed);
    return true;
  } finally {
    await spool.dispose();
  }
}

/** Exit 1 over the budget (the message also on stderr), else as `diff`: 1 when something changed. */
function finish(budget: ChangeBudget | undefined, changed: boolean): void {
  if (budget) {
    if (!budget.ok) {
      process.stderr.write(`artifacts: ${budget.message}\n`);
      process.exitCode = EXIT_DIFFERENCE;
    }
    return;
  }
  if (changed) process.exitCode = EXIT_DIFFERENCE;
}

/**
 * The metadata, description, aliases, tags and TTL that differ between two versions, as lines to
 * follow the plain `diff` output; '' when nothing differs or `b` is a folder.
 */
export async function metadataDiffText(registry: Registry, a: string, b: string, isFolder: boolean): Promise<string> {
  if (isFolder) return '';
  const [x, y] = await Promise.all([registry.get(a, { manifest: false }), registry.get(b, { manifest: false })]);
  const side = (v: Artifact) => ({ metadata: v.metadata, description: v.description, aliases: v.aliases, tags: v.tags, ttl: v.ttlSetting });
  const d = await diffVersionMetadata(side(x), side(y));
  return d.changed ? `\n${metadataText(d)}` : '';
}
