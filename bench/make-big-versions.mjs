// Logs two versions with N entries each that differ in 1% (0.5% modified, 0.25% added, 0.25%
// removed). Entries are references, so no file data is needed: the manifests are the point.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { Registry } = require('../dist/index.js');

const [registryRoot, n] = process.argv.slice(2);
const N = Number(n);
const registry = new Registry({ root: registryRoot, entity: 'bench', project: 'bench' });
const digest = (s) => createHash('md5').update(s).digest('base64');
const entry = (i, salt = '') => ({
  path: `shard-${String(i % 100).padStart(3, '0')}/item-${String(i).padStart(7, '0')}.jpg`,
  digest: digest(`${i}${salt}`),
  size: 1000 + (i % 5000),
  ref: `bench://images/${i}`,
});

for (const version of [0, 1]) {
  const draft = registry.newArtifact('big', 'dataset');
  for (let i = 0; i < N; i++) {
    const bucket = i % 400; // 1% of entries change: 2 modified, 1 removed, 1 added per 400
    if (version === 1 && bucket === 0) continue; // removed
    draft.manifest.add(entry(i, version === 1 && (bucket === 1 || bucket === 2) ? 'changed' : ''));
  }
  if (version === 1) for (let i = N; i < N + Math.floor(N / 400); i++) draft.manifest.add(entry(i));
  await registry.log(draft);
}
