/**
 * The one message contract of the lineage webview, shared by the extension host and the page (which
 * imports only this file's types and checks). The host builds the graph (Registry.lineage) and sends
 * it whole; the page lays it out (dagre) and draws it. Every page → host message is checked at run
 * time (`isLineagePageMessage`), and so are the host's (`isLineageHostMessage`): `init` brings every
 * word the page shows, so the page has no text of its own.
 */
import type { LineageEdge, LineageGraph, LineageNode } from '../../registry/lineage-graph';

/**
 * The names of the page's texts. The host sends each in the user's language (`vscode.l10n.t`); a
 * text with `{0}`, `{1}`… is a template the page fills.
 */
export const LINEAGE_STRING_KEYS = [
  'title', 'depth', 'depthTitle', 'fit', 'fitTitle', 'loading', 'counts', 'truncated', 'legendVersion', 'legendRun',
  'legendUsed', 'legendProduced', 'collapse', 'expand', 'hiddenCount', 'versionTitle', 'runTitle', 'missingVersion', 'deletedVersion',
  'missingRun', 'details', 'close', 'command', 'user', 'host', 'folder', 'gitCommit', 'started', 'ended', 'exitCode',
  'signal', 'error', 'running', 'processRun', 'runType', 'runId', 'inputs', 'outputs', 'none', 'couldNotShow', 'nothingRecorded',
] as const;

export type LineageStringKey = (typeof LINEAGE_STRING_KEYS)[number];
export type LineageStrings = Record<LineageStringKey, string>;

/** The host's answer to `ready`, before anything else. */
export interface LineageInitMessage {
  type: 'init';
  /** The display language as a BCP 47 tag, for dates and numbers. */
  locale: string;
  /** The version the graph is of, as the user named it. */
  version: string;
  depth: number;
  maxDepth: number;
  strings: LineageStrings;
}

export type LineageHostMessage =
  | LineageInitMessage
  /** The graph at `depth`; `seq` answers the page's setDepth (0: the first one). */
  | { type: 'graph'; seq: number; depth: number; graph: LineageGraph }
  | { type: 'error'; seq: number; message: string };

export type LineagePageMessage =
  | { type: 'ready' }
  | { type: 'setDepth'; seq: number; depth: number }
  /** Show a version (`entity/project/collection:vN`) in the Registry view. */
  | { type: 'revealVersion'; ref: string }
  /** What drawing the graph took (the host logs it; tests read it). */
  | { type: 'rendered'; nodes: number; edges: number; layoutMs: number; renderMs: number };

const isString = (x: unknown): x is string => typeof x === 'string';
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

export function isLineagePageMessage(m: unknown): m is LineagePageMessage {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
      return true;
    case 'setDepth':
      return isCount(msg.seq) && isCount(msg.depth);
    case 'revealVersion':
      return isString(msg.ref) && /^[^/\s]+\/[^/\s]+\/[^/\s:]+:v\d+$/.test(msg.ref);
    case 'rendered':
      return isCount(msg.nodes) && isCount(msg.edges) && isNumber(msg.layoutMs) && isNumber(msg.renderMs);
    default:
      return false;
  }
}

function isNode(n: unknown): n is LineageNode {
  if (typeof n !== 'object' || n === null) return false;
  const x = n as Record<string, unknown>;
  if (!isString(x.id) || !Number.isSafeInteger(x.depth)) return false;
  if (x.kind === 'version') return isString(x.ref) && isString(x.collection) && isCount(x.index) && Array.isArray(x.aliases) && isString(x.state);
  if (x.kind === 'run') return isString(x.runId) && (x.run === null || (typeof x.run === 'object' && isString((x.run as Record<string, unknown>).command)));
  return false;
}

function isEdge(e: unknown): e is LineageEdge {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Record<string, unknown>;
  return isString(x.from) && isString(x.to) && (x.kind === 'used' || x.kind === 'produced');
}

export function isLineageGraph(g: unknown): g is LineageGraph {
  if (typeof g !== 'object' || g === null) return false;
  const x = g as Record<string, unknown>;
  return isString(x.root) && isCount(x.depth) && typeof x.truncated === 'boolean' && Array.isArray(x.nodes) && x.nodes.every(isNode) && Array.isArray(x.edges) && x.edges.every(isEdge);
}

export function isLineageHostMessage(m: unknown): m is LineageHostMessage {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'init': {
      if (!isString(msg.locale) || !isString(msg.version) || !isCount(msg.depth) || !isCount(msg.maxDepth)) return false;
      const strings = msg.strings;
      if (typeof strings !== 'object' || strings === null || Array.isArray(strings)) return false;
      return Object.keys(strings).length === LINEAGE_STRING_KEYS.length && LINEAGE_STRING_KEYS.every((k) => isString((strings as Record<string, unknown>)[k]));
    }
    case 'graph':
      return isCount(msg.seq) && isCount(msg.depth) && isLineageGraph(msg.graph);
    case 'error':
      return isCount(msg.seq) && isString(msg.message);
    default:
      return false;
  }
}
