/**
 * The lineage view without a browser: the message protocol's run-time checks, and the page's model
 * (which nodes a collapsed node hides) and layout (dagre, left to right) on made-up graphs.
 */
import { describe, expect, it } from 'vitest';
import { childrenOf, layoutLineage, visibleNodes } from '../../../media/lineage/layout';
import { isLineageHostMessage, isLineagePageMessage, LINEAGE_STRING_KEYS } from '../../../src/extension/webview/lineage-protocol';
import type { LineageGraph, LineageNode } from '../../../src/registry/lineage-graph';

const version = (c: string, depth: number): LineageNode => ({
  kind: 'version', id: `version:e/p/${c}:v0`, ref: `e/p/${c}:v0`, entity: 'e', project: 'p', collection: c, index: 0, type: 'dataset', aliases: [], digest: null, createdAt: null, state: 'COMMITTED', depth,
});
const run = (id: string, depth: number): LineageNode => ({ kind: 'run', id: `run:${id}`, runId: id, run: null, depth });

/** ds → prep → clean → train → model (root) → eval → report. */
function pipeline(): LineageGraph {
  return {
    root: 'version:e/p/model:v0',
    depth: 3,
    truncated: false,
    nodes: [version('model', 0), run('train', -1), version('clean', -1), run('prep', -2), version('ds', -2), run('eval', 1), version('report', 1)],
    edges: [
      { from: 'run:train', to: 'version:e/p/model:v0', kind: 'produced' },
      { from: 'version:e/p/clean:v0', to: 'run:train', kind: 'used' },
      { from: 'run:prep', to: 'version:e/p/clean:v0', kind: 'produced' },
      { from: 'version:e/p/ds:v0', to: 'run:prep', kind: 'used' },
      { from: 'version:e/p/model:v0', to: 'run:eval', kind: 'used' },
      { from: 'run:eval', to: 'version:e/p/report:v0', kind: 'produced' },
    ],
  };
}

describe('lineage view', () => {
  it('collapsing a node hides its far side from the version, and only that', () => {
    const g = pipeline();
    const children = childrenOf(g);
    expect(children.get('version:e/p/model:v0')?.sort()).toEqual(['run:eval', 'run:train']);
    expect(children.get('run:train')).toEqual(['version:e/p/clean:v0']);
    expect(visibleNodes(g, children, new Set()).size).toBe(7);
    expect([...visibleNodes(g, children, new Set(['run:train']))].sort()).toEqual(['run:eval', 'run:train', 'version:e/p/model:v0', 'version:e/p/report:v0']);
    expect([...visibleNodes(g, children, new Set(['run:eval']))]).not.toContain('version:e/p/report:v0');
  });

  it('lays out left to right: what the version was made from on its left, what was made from it on its right', () => {
    const g = pipeline();
    const laid = layoutLineage(g, new Set(), (n) => [n.id]);
    const x = (id: string) => laid.nodes.find((p) => p.node.id === id)!.x;
    expect(x('version:e/p/ds:v0')).toBeLessThan(x('run:prep'));
    expect(x('run:prep')).toBeLessThan(x('version:e/p/clean:v0'));
    expect(x('run:train')).toBeLessThan(x('version:e/p/model:v0'));
    expect(x('version:e/p/model:v0')).toBeLessThan(x('run:eval'));
    expect(laid.edges).toHaveLength(6);
    for (const e of laid.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    const collapsed = layoutLineage(g, new Set(['run:train']), (n) => [n.id]);
    expect(collapsed.nodes).toHaveLength(4);
    expect(collapsed.nodes.find((p) => p.node.id === 'run:train')).toMatchObject({ hasChildren: true, hidden: 3 });
  });

  it('checks every message at run time', () => {
    expect(isLineagePageMessage({ type: 'ready' })).toBe(true);
    expect(isLineagePageMessage({ type: 'setDepth', seq: 2, depth: 4 })).toBe(true);
    expect(isLineagePageMessage({ type: 'setDepth', seq: 2, depth: -1 })).toBe(false);
    expect(isLineagePageMessage({ type: 'revealVersion', ref: 'e/p/model:v3' })).toBe(true);
    expect(isLineagePageMessage({ type: 'revealVersion', ref: 'model:latest' })).toBe(false);
    expect(isLineagePageMessage({ type: 'rendered', nodes: 3, edges: 2, layoutMs: 1.5, renderMs: 3 })).toBe(true);
    expect(isLineagePageMessage({ type: 'openFile', path: '/etc/passwd' })).toBe(false);
    const strings = Object.fromEntries(LINEAGE_STRING_KEYS.map((k) => [k, k]));
    expect(isLineageHostMessage({ type: 'init', locale: 'ja', version: 'e/p/m:v0', depth: 3, maxDepth: 50, strings })).toBe(true);
    expect(isLineageHostMessage({ type: 'init', locale: 'ja', version: 'e/p/m:v0', depth: 3, maxDepth: 50, strings: { ...strings, extra: 'x' } })).toBe(false);
    expect(isLineageHostMessage({ type: 'graph', seq: 0, depth: 3, graph: pipeline() })).toBe(true);
    expect(isLineageHostMessage({ type: 'graph', seq: 0, depth: 3, graph: { ...pipeline(), edges: [{ from: 'a', to: 'b', kind: 'made' }] } })).toBe(false);
    expect(isLineageHostMessage({ type: 'error', seq: 1, message: 'EACCES' })).toBe(true);
  });
});
