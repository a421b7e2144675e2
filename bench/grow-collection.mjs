// Gives e/p/many N versions (all of its v0's content) in one compare-and-swap of its document, as
// years of logging would: the listing benchmark needs the document, not N logs.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { LocalObjectStore } = require('../dist/index.js');

const [root, n] = process.argv.slice(2);
const store = new LocalObjectStore(root);
const key = 'entities/e/projects/p/collections/many/index.json';
const cur = await store.get(key);
const doc = JSON.parse(cur.body.toString());
const v0 = doc.versions[0];
for (let i = 1; i < Number(n); i++) doc.versions.push({ ...v0, index: i, id: `${v0.id.slice(0, 8)}${String(i).padStart(8, '0')}` });
doc.nextIndex = Number(n);
doc.aliases = { latest: Number(n) - 1 };
if (!(await store.compareAndSwap(key, cur.etag, JSON.stringify(doc)))) throw new Error('the collection changed meanwhile');
