/**
 * The lineage graph of a version: runs and versions as nodes, `used` (version → run) and `produced`
 * (run → version) edges, upstream (the run that logged it → the versions that run used → …) and
 * downstream (the runs that used it → the versions they logged → …) to a depth counted in runs.
 * Pure: it reads through a LineageSource (the registry gives one over its store), so it is tested on
 * a real registry and on made-up graphs alike. Nodes and edges are deduplicated; the work is bounded
 * by `maxNodes` (the graph says `truncated`) and by a fixed number of reads at once.
 */
import type { RunRecord } from '../core/artifact-backend';
import { formatRef, type CollectionPath } from './refs';

export type VersionKey = CollectionPath & { index: number };

/** What the builder needs to know about one version. */
export interface VersionFacts {
  type: string;
  aliases: string[];
  digest: string | null;
  createdAt: string;
  state: 'COMMITTED' | 'DELETED';
  /** The id of the run that logged it, when recorded. */
  loggedBy: string | null;
}

/** Where the builder reads lineage from (every read may fail: the graph then shows what it got). */
export interface LineageSource {
  /** A source version's facts (undefined: no such version). */
  version(v: VersionKey): Promise<VersionFacts | undefined>;
  /** A run (null: no record of it). */
  run(id: string): Promise<RunRecord | null>;
  /** The ids of the runs that used a version. */
  usedBy(v: VersionKey): Promise<string[]>;
  /** The versions a run used. */
  inputs(runId: string): Promise<VersionKey[]>;
  /** The versions a run logged. */
  outputs(runId: string): Promise<VersionKey[]>;
}

export interface LineageVersionNode {
  kind: 'version';
  /** `version:<entity>/<project>/<collection>:v<N>` */
  id: string;
  /** `<entity>/<project>/<collection>:v<N>`, a ref every command takes. */
  ref: string;
  entity: string;
  project: string;
  collection: string;
  index: number;
  /** null: the version is not in the registry (deleted for good, or never copied here). */
  type: string | null;
  aliases: string[];
  digest: string | null;
  createdAt: string | null;
  state: 'COMMITTED' | 'DELETED' | 'MISSING';
  /** Runs from the root: negative upstream, positive downstream, 0 for the root. */
  depth: number;
}

export interface LineageRunNode {
  kind: 'run';
  /** `run:<id>` */
  id: string;
  runId: string;
  /** null: the run's record is missing (the edges still say what it did). */
  run: RunRecord | null;
  depth: number;
}

export type LineageNode = LineageVersionNode | LineageRunNode;

export interface LineageEdge {
  from: string;
  to: string;
  /** `used`: a version (from) was used by a run (to); `produced`: a run (from) logged a version (to). */
  kind: 'used' | 'produced';
}

export interface LineageGraph {
  /** The id of the version the graph is of. */
  root: string;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when maxNodes stopped the walk: there is more than the graph shows. */
  truncated: boolean;
}

export interface LineageOptions {
  /** Runs to follow in each direction (default 3). */
  depth?: number;
  /** Upstream, downstream or both (default). */
  direction?: 'upstream' | 'downstream' | 'both';
  /** Stop adding nodes past this many (default 2,000). */
  maxNodes?: number;
  /** Reads at once (default 8). */
  concurrency?: number;
  /** Called with an error the graph went on without (a run or a listing that could not be read). */
  onError?: (e: unknown) => void;
}

export const DEFAULT_LINEAGE_DEPTH = 3;
export const MAX_LINEAGE_DEPTH = 50;

export function versionNodeId(v: VersionKey): string {
  return `version:${formatRef(v)}`;
}

export function runNodeId(id: string): string {
  return `run:${id}`;
}

/** `f` over `items`, at most `limit` at once, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Builds the lineage graph of the source version `root` (see the top of this file). */
export async function buildLineageGraph(source: LineageSource, root: VersionKey, opts: LineageOptions = {}): Promise<LineageGraph> {
  const depth = Math.max(0, Math.min(MAX_LINEAGE_DEPTH, Math.floor(opts.depth ?? DEFAULT_LINEAGE_DEPTH)));
  const direction = opts.direction ?? 'both';
  const maxNodes = Math.max(1, opts.maxNodes ?? 2000);
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const onError = opts.onError ?? (() => undefined);
  const safe = async <T>(p: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await p();
    } catch (e) {
      onError(e);
      return fallback;
    }
  };

  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  let truncated = false;
  const facts = new Map<string, VersionFacts | undefined>();

  const addEdge = (from: string, to: string, kind: LineageEdge['kind']) => {
    const key = `${from}\n${to}\n${kind}`;
    if (!edges.has(key)) edges.set(key, { from, to, kind });
  };
  /** The node's id, or undefined when the graph is full and it is not in it yet. */
  const room = (id: string): boolean => {
    if (nodes.has(id)) return true;
    if (nodes.size >= maxNodes) {
      truncated = true;
      return false;
    }
    return true;
  };
  const versionFacts = async (v: VersionKey) => {
    const id = versionNodeId(v);
    if (!facts.has(id)) facts.set(id, await safe(() => source.version(v), undefined));
    return facts.get(id);
  };
  const addVersion = async (v: VersionKey, d: number): Promise<string | undefined> => {
    const id = versionNodeId(v);
    if (!room(id)) return undefined;
    if (nodes.has(id)) return id;
    const f = await versionFacts(v);
    if (!room(id)) return undefined; // others filled the graph meanwhile
    if (!nodes.has(id)) {
      nodes.set(id, {
        kind: 'version',
        id,
        ref: formatRef(v),
        entity: v.entity,
        project: v.project,
        collection: v.collection,
        index: v.index,
        type: f?.type ?? null,
        aliases: f?.aliases ?? [],
        digest: f?.digest ?? null,
        createdAt: f?.createdAt ?? null,
        state: f?.state ?? 'MISSING',
        depth: d,
      });
    }
    return id;
  };
  const runs = new Map<string, Promise<RunRecord | null>>();
  const addRun = async (runId: string, d: number): Promise<string | undefined> => {
    const id = runNodeId(runId);
    if (!room(id)) return undefined;
    if (nodes.has(id)) return id;
    if (!runs.has(runId)) runs.set(runId, safe(() => source.run(runId), null));
    const run = await runs.get(runId)!;
    if (!room(id)) return undefined;
    if (!nodes.has(id)) nodes.set(id, { kind: 'run', id, runId, run, depth: d });
    return id;
  };

  const rootId = (await addVersion(root, 0))!;
  const seen = { upstream: new Set<string>([rootId]), downstream: new Set<string>([rootId]) };
  const seenRuns = { upstream: new Set<string>(), downstream: new Set<string>() };

  const walk = async (dir: 'upstream' | 'downstream') => {
    const sign = dir === 'upstream' ? -1 : 1;
    let frontier: VersionKey[] = [root];
    for (let level = 1; level <= depth && frontier.length > 0 && !truncated; level++) {
      // Versions → runs.
      const runIds: string[] = [];
      await mapLimit(frontier, concurrency, async (v) => {
        const vId = versionNodeId(v);
        const ids = dir === 'upstream' ? [(await versionFacts(v))?.loggedBy].filter((x): x is string => !!x) : await safe(() => source.usedBy(v), []);
        for (const runId of ids) {
          const rId = await addRun(runId, sign * level);
          if (!rId) continue;
          if (dir === 'upstream') addEdge(rId, vId, 'produced');
          else addEdge(vId, rId, 'used');
          if (!seenRuns[dir].has(runId)) {
            seenRuns[dir].add(runId);
            runIds.push(runId);
          }
        }
      });
      // Runs → versions.
      const next: VersionKey[] = [];
      await mapLimit(runIds, concurrency, async (runId) => {
        const rId = runNodeId(runId);
        const versions = await safe(() => (dir === 'upstream' ? source.inputs(runId) : source.outputs(runId)), []);
        for (const v of versions) {
          const vId = await addVersion(v, sign * level);
          if (!vId) continue;
          if (dir === 'upstream') addEdge(vId, rId, 'used');
          else addEdge(rId, vId, 'produced');
          if (!seen[dir].has(vId)) {
            seen[dir].add(vId);
            next.push(v);
          }
        }
      });
      frontier = next;
    }
  };
  if (direction !== 'downstream') await walk('upstream');
  if (direction !== 'upstream') await walk('downstream');

  return { root: rootId, depth, nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}

/** The label a run goes by: its name, else its command. */
export function runLabel(node: LineageRunNode): string {
  return node.run?.name || node.run?.command || node.runId;
}

/** Graphviz DOT of a lineage graph (versions as boxes, runs as ellipses, the root filled). */
export function lineageToDot(g: LineageGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
  // l10n-ignore: Graphviz syntax
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
  for (const n of g.nodes) {
    if (n.kind === 'version') {
      const label = `${n.collection}:v${n.index}${n.type ? `\n${n.type}` : ''}${n.aliases.length ? `\n${n.aliases.join(', ')}` : ''}`;
      // l10n-ignore: Graphviz attributes
      const style = n.id === g.root ? ', style="filled,bold", fillcolor="#ffe9a8"' : n.state === 'COMMITTED' ? '' : ', style=dashed';
      // l10n-ignore: Graphviz syntax
      lines.push(`  ${q(n.id)} [shape=box, label=${q(label)}, tooltip=${q(n.ref)}${style}];`);
    } else {
      const exit = n.run?.end ? (n.run.end.exitCode === null ? n.run.end.signal ?? '' : `exit ${n.run.end.exitCode}`) : '';
      const label = `${runLabel(n)}${exit ? `\n${exit}` : ''}`;
      // l10n-ignore: Graphviz syntax
      lines.push(`  ${q(n.id)} [shape=ellipse, label=${q(label)}, tooltip=${q(n.run?.command ?? n.runId)}${n.run ? '' : ', style=dashed'}];`);
    }
  }
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.kind)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
