// One timed log into a registry, in its own process so that its peak memory is its own.
// Usage: node log-once.mjs REGISTRY FOLDER  → prints {"ms":…,"maxRssBytes":…,"version":…}
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Registry } = require('../dist/index.js');

const [registryRoot, folder] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const registry = new Registry({ root: registryRoot, entity: 'bench', project: 'bench' });
const draft = registry.newArtifact('bench-data', 'dataset');
await draft.addDir(folder);
const { artifact } = await registry.log(draft);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, version: artifact.version, files: artifact.fileCount }));
