// Bundles the CLI, the library, the extension and the diff view's page into dist/.
const esbuild = require('esbuild');
const { version } = require('./package.json');

const watch = process.argv.includes('--watch');
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

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { diff: 'media/diff/main.ts' },
    outdir: 'dist/media',
    define: {},
  },
  { ...common, platform: 'browser', entryPoints: ['media/diff/diff.css'], outfile: 'dist/media/diff.css', define: {} },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' },
];

(async () => {
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  }
})().catch(() => process.exit(1));
