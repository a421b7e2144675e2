// The first page of a long collection through the library call the extension's tree uses
// (Registry.versionListing, then a slice of 50), in a fresh process each time (no warm caches).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [root, runs] = process.argv.slice(2);
if (process.argv[4] === 'child') {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { Registry } = require('../dist/index.js');
  const reg = new Registry({ root, entity: 'e', project: 'p' });
  const t0 = process.hrtime.bigint();
  const listing = await reg.versionListing({ entity: 'e', project: 'p', collection: 'many' });
  const page = await listing.slice(0, 50);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (page.length !== 50) throw new Error(`first page has ${page.length} versions`);
  process.stdout.write(String(ms));
} else {
  const firstPageMs = [];
  for (let i = 0; i < Number(runs); i++) {
    firstPageMs.push(Number(execFileSync(process.execPath, [fileURLToPath(import.meta.url), root, runs, 'child'], { encoding: 'utf8' })));
  }
  process.stdout.write(JSON.stringify({ firstPageMs }));
}
