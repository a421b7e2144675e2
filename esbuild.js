// Bundles the CLI, the library, the extension, the content diff worker and the diff and lineage views' pages
// into dist/, and copies the WebP decoder's WebAssembly next to the bundles that decode images.
const fs = require('node:fs');
const esbuild = require('esbuild');
const { version } = require('./package.json');

const watch = process.argv.includes('--watch');

// VS Code's titles and settings in every language we have (package.nls.<lang>.json, derived from
// l10n/bundle.l10n.<lang>.json: see scripts/l10n.mjs).
require('node:child_process').execFileSync(process.execPath, [require('node:path').join(__dirname, 'scripts', 'l10n.mjs'), '--nls'], { stdio: 'inherit' });
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  define: { PACKAGE_VERSION: JSON.stringify(version) },
};

/**
 * `import('…/content/index')` (a dynamic import) resolves to dist/content.js at run time instead of
 * inlining the differs and their decoders: most of the CLI's size, needed by `diff --content` alone.
 */
function contentOutside() {
  return {
    name: 'content-outside',
    setup(build) {
      build.onResolve({ filter: /\/content\/index$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './content.js', external: true } : undefined));
    },
  };
}

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The decoders run here, on a worker thread the extension starts on first use (ContentDiffWorker).
  { ...common, entryPoints: ['src/content/worker.ts'], outfile: 'dist/content-worker.js' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { diff: 'media/diff/main.ts', lineage: 'media/lineage/main.ts' },
    outdir: 'dist/media',
    define: {},
  },
  { ...common, platform: 'browser', entryPoints: ['media/diff/diff.css'], outfile: 'dist/media/diff.css', define: {} },
  { ...common, platform: 'browser', entryPoints: ['media/lineage/lineage.css'], outfile: 'dist/media/lineage.css', define: {} },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [contentOutside()] },
  // The content differs for the CLI, loaded by `diff --content` only (see contentOutside).
  { ...common, entryPoints: ['src/content/index.ts'], outfile: 'dist/content.js' },
  { ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' },
];

// ---- Cloud SDKs (team registries in S3 and Azure Blob) -----------------------------------------
// Each SDK is a bundle of its own in dist/sdk/, required only when a bucket or container is first
// used (src/store/lazy-store.ts): the other bundles map the SDK packages to those files instead of
// inlining them, so a CLI run or a VS Code window on a folder registry never loads ~1.5 MB of SDK.
const CLOUD_SDKS = { '@aws-sdk/client-s3': 'aws-s3', '@azure/storage-blob': 'azure-storage-blob', '@azure/identity': 'azure-identity' };
const cloudSdksOutside = {
  name: 'cloud-sdks-outside',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(CLOUD_SDKS).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./sdk/${CLOUD_SDKS[args.path]}.js`, external: true }));
  },
};
for (const b of builds) if (b.platform === 'node') b.plugins = [...(b.plugins ?? []), cloudSdksOutside];
for (const [pkg, name] of Object.entries(CLOUD_SDKS)) {
  builds.push({
    ...common,
    entryPoints: [`src/store/sdk/${name}.ts`],
    outfile: `dist/sdk/${name}.js`,
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    // The Azure SDKs read import.meta.url, which a CommonJS bundle lacks (they crash at load without it).
    ...(pkg.startsWith('@azure/')
      ? { define: { ...common.define, 'import.meta.url': '__importMetaUrl' }, banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" } }
      : {}),
  });
}

/** src/content/image-codecs.ts looks for webp_dec.wasm next to the bundle (dist/). */
function copyWasm() {
  fs.mkdirSync('dist', { recursive: true });
  fs.copyFileSync(require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm'), 'dist/webp_dec.wasm');
}

(async () => {
  copyWasm();
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  }
})().catch(() => process.exit(1));
