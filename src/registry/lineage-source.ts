/** What the lineage graph builder (lineage-graph.ts, pure) reads, from a registry's documents and run records. */
import { findVersion, type CollectionDoc } from './collection-doc';
import type { CollectionStore } from './collections';
import type { RunLog } from './lineage';
import type { LineageSource, VersionKey } from './lineage-graph';

/** Reads each collection document once per graph. */
export function lineageSource(collections: CollectionStore, runs: RunLog): LineageSource {
  const docs = new Map<string, Promise<CollectionDoc | undefined>>();
  const doc = (v: VersionKey) => {
    const key = `${v.entity}/${v.project}/${v.collection}`;
    let p = docs.get(key);
    if (!p) {
      p = collections.load(v).then((l) => l?.doc);
      docs.set(key, p);
    }
    return p;
  };
  return {
    version: async (v) => {
      const d = await doc(v);
      const found = d && findVersion(d, v.index);
      if (!d || !found) return undefined;
      const aliases = Object.entries(d.aliases)
        .filter(([, i]) => i === v.index)
        .map(([a]) => a);
      return { type: d.type, aliases, digest: found.digest ?? null, createdAt: found.createdAt, state: found.state, loggedBy: found.loggedBy ?? null };
    },
    run: (id) => runs.readRecord(id),
    usedBy: (v) => runs.usedByIds(v),
    inputs: (id) => runs.edges(id, 'inputs'),
    outputs: (id) => runs.edges(id, 'outputs'),
  };
}
