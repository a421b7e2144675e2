/**
 * Which differ a file calls for, by its name alone. No imports: a caller that only needs to know
 * the kind of a file (the extension host deciding between its compare view and VS Code's text diff
 * editor) loads this module without loading any decoder.
 */

export type ContentKind = 'table' | 'structured' | 'image' | 'weights' | 'text' | 'binary';
export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';
export type StructuredFormat = 'json' | 'yaml';
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type WeightsFormat = 'safetensors' | 'onnx' | 'pytorch' | 'unknown';

function extensionOf(name: string): string | undefined {
  return name.toLowerCase().split('.').pop();
}

export function tableFormat(name: string): TableFormat | null {
  switch (extensionOf(name)) {
    case 'csv':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'jsonl':
    case 'ndjson':
      return 'jsonl';
    case 'parquet':
    case 'pq':
      return 'parquet';
    default:
      return null;
  }
}

export function structuredFormat(name: string): StructuredFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return null;
}

export function imageFormatOfName(name: string): ImageFormat | null {
  const ext = extensionOf(name);
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  if (ext === 'gif') return 'gif';
  if (ext === 'webp') return 'webp';
  return null;
}

export function weightsFormatOfName(name: string): WeightsFormat | null {
  const ext = extensionOf(name);
  if (ext === 'safetensors') return 'safetensors';
  if (ext === 'onnx') return 'onnx';
  if (ext === 'pt' || ext === 'pth' || ext === 'bin' || ext === 'ckpt') return 'pytorch';
  return null;
}

const TEXT_EXTENSIONS = new Set(
  // l10n-ignore: file name extensions
  (
    'txt md markdown rst adoc tex log py pyi ipynb r jl js mjs cjs ts tsx jsx java kt scala c h cc cpp hpp cs go rs rb php pl lua swift ' + // l10n-ignore: file name extensions
    'sh bash zsh fish ps1 bat cmd sql proto graphql html htm xml svg css scss less vue toml ini cfg conf env properties gradle lock diff patch'
  ).split(' '),
);
const TEXT_NAMES = new Set(['readme', 'license', 'licence', 'notice', 'changelog', 'makefile', 'dockerfile', 'gemfile', 'procfile', '.gitignore', '.gitattributes', '.dockerignore']);

/** The differ for a file, by its name; null when the name does not tell (then `diffContent` looks at the bytes). */
export function detectContentKind(path: string): ContentKind | null {
  const base = path.split(/[\\/]/).pop() ?? path;
  if (tableFormat(base)) return 'table';
  if (structuredFormat(base)) return 'structured';
  if (imageFormatOfName(base)) return 'image';
  if (weightsFormatOfName(base)) return 'weights';
  const lower = base.toLowerCase();
  if (TEXT_NAMES.has(lower)) return 'text';
  const dot = lower.lastIndexOf('.');
  if (dot > 0 && TEXT_EXTENSIONS.has(lower.slice(dot + 1))) return 'text';
  return null;
}
