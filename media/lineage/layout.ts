/**
 * The lineage page's model and layout, without the DOM: which nodes are visible given the collapsed
 * ones, how large each node's box is, and where dagre puts boxes and edges (left to right: what a
 * version was made from on its left, what was made from it on its right).
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { LineageEdge, LineageGraph, LineageNode } from '../../src/registry/lineage-graph';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  node: LineageNode;
  /** The box's centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Nodes this one would hide if collapsed (its side of the graph, away from the root). */
  hasChildren: boolean;
  /** Nodes hidden because this one is collapsed. */
  hidden: number;
}

export interface PlacedEdge {
  edge: LineageEdge;
  points: Point[];
}

export interface LaidOut {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 40;
const CHAR_WIDTH = 6.6;

/** A box wide enough for its longer line (an estimate: measuring 1,000 labels would cost more than the layout). */
export function boxWidth(lines: string[]): number {
  const longest = Math.max(...lines.map((l) => l.length));
  return Math.round(Math.min(280, Math.max(96, longest * CHAR_WIDTH + 28)));
}

/**
 * The children of a node: the nodes on its far side from the root (upstream nodes' inputs and
 * makers, downstream nodes' users and outputs). The root's children are both sides.
 */
export function childrenOf(graph: LineageGraph): Map<string, string[]> {
  const depth = new Map(graph.nodes.map((n) => [n.id, n.depth]));
  const children = new Map<string, string[]>();
  const add = (parent: string, child: string) => {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  };
  for (const e of graph.edges) {
    const df = depth.get(e.from);
    const dt = depth.get(e.to);
    if (df === undefined || dt === undefined) continue;
    // Upstream (depth ≤ 0): the edge's source is the child of its target; downstream: the other way.
    if (dt <= 0 && df < 0 && df <= dt) add(e.to, e.from);
    if (df >= 0 && dt > 0 && dt >= df) add(e.from, e.to);
  }
  return children;
}

/** The nodes shown when `collapsed` are collapsed: those reachable from the root through expanded nodes. */
export function visibleNodes(graph: LineageGraph, children: Map<string, string[]>, collapsed: ReadonlySet<string>): Set<string> {
  const visible = new Set<string>([graph.root]);
  const queue = [graph.root];
  while (queue.length) {
    const id = queue.pop()!;
    if (collapsed.has(id)) continue;
    for (const c of children.get(id) ?? []) {
      if (!visible.has(c)) {
        visible.add(c);
        queue.push(c);
      }
    }
  }
  return visible;
}

/** How many nodes a collapsed node hides (those only it leads to). */
function hiddenBehind(id: string, children: Map<string, string[]>, visible: ReadonlySet<string>): number {
  const seen = new Set<string>();
  const queue = [...(children.get(id) ?? [])];
  while (queue.length) {
    const c = queue.pop()!;
    if (seen.has(c) || visible.has(c)) continue;
    seen.add(c);
    queue.push(...(children.get(c) ?? []));
  }
  return seen.size;
}

/** Lays out the visible part of the graph. `label` gives each node's lines of text (for its width). */
export function layoutLineage(graph: LineageGraph, collapsed: ReadonlySet<string>, label: (n: LineageNode) => string[]): LaidOut {
  const children = childrenOf(graph);
  const visible = visibleNodes(graph, children, collapsed);
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 64, edgesep: 8, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  const byId = new Map<string, LineageNode>();
  for (const n of graph.nodes) {
    if (!visible.has(n.id)) continue;
    byId.set(n.id, n);
    g.setNode(n.id, { width: boxWidth(label(n)), height: NODE_HEIGHT });
  }
  const edges = graph.edges.filter((e) => byId.has(e.from) && byId.has(e.to));
  for (const e of edges) g.setEdge(e.from, e.to);
  layout(g);
  const nodes: PlacedNode[] = [];
  for (const [id, node] of byId) {
    const box = g.node(id) as { x: number; y: number; width: number; height: number };
    const hasChildren = (children.get(id)?.length ?? 0) > 0 && id !== graph.root;
    nodes.push({ node, x: box.x, y: box.y, width: box.width, height: box.height, hasChildren, hidden: collapsed.has(id) ? hiddenBehind(id, children, visible) : 0 });
  }
  const placedEdges = edges.map((edge) => ({ edge, points: ((g.edge(edge.from, edge.to) as { points?: Point[] } | undefined)?.points ?? []).map((p) => ({ x: p.x, y: p.y })) }));
  const size = g.graph() as { width?: number; height?: number };
  return { nodes, edges: placedEdges, width: size.width ?? 0, height: size.height ?? 0 };
}
