// A writer process for race tests: logs COUNT versions (each with content of its own and a file all
// versions share) into COLLECTION of the registry at LOCATION through the built library, one after
// another, and prints the refs it got as JSON lines. Credentials come from the environment.
//   node log-versions.cjs LOCATION COLLECTION COUNT WRITER_ID
const { mkdtempSync, writeFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { Registry } = require('../../dist/index.js');

const [location, collection, count, writer] = process.argv.slice(2);
(async () => {
  const reg = new Registry({ root: location, entity: 'alice', project: 'demo' });
  for (let i = 0; i < Number(count); i++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'writer-'));
    writeFileSync(path.join(dir, 'shared.txt'), 'the same in every version');
    writeFileSync(path.join(dir, 'own.txt'), `writer ${writer} version ${i} ${process.pid} ${Date.now()}`);
    const draft = reg.newArtifact(collection, 'dataset');
    await draft.addDir(dir);
    const { artifact } = await reg.log(draft);
    process.stdout.write(`${JSON.stringify({ ref: artifact.qualifiedName, digest: artifact.digest })}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(3);
});
