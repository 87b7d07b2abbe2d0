import { formatDuration, formatPercent, formatRate } from '../lib/format.ts';
import type { GraphEdge, GraphNode, ServiceGraph } from '../lib/service-graph.ts';

const COL_W = 400;
const ROW_H = 86;
const NODE_W = 190;
const NODE_H = 58;
const PAD = 20;
/** Services seen in no call sit in a grid below the call graph, at least this many a row. */
const MIN_ISOLATED_COLS = 3;
const ISOLATED_COL_W = NODE_W + 24;

type Point = { x: number; y: number };

/**
 * Where each service box goes: services that take part in a call in columns by call depth
 * (callers left of callees), then the services seen only on their own in a compact grid below,
 * so the calls stay short and on top.
 */
function layout(graph: ServiceGraph): { pos: Map<string, Point>; isolated: Set<string>; width: number; height: number } {
  const connected = new Set(graph.edges.flatMap((e) => [e.client, e.server]));
  const pos = new Map<string, Point>();
  const perLayer = new Map<number, number>();
  const isolated = graph.nodes.filter((n) => !connected.has(n.service));
  for (const n of graph.nodes) {
    if (!connected.has(n.service)) continue;
    const row = perLayer.get(n.layer) ?? 0;
    perLayer.set(n.layer, row + 1);
    pos.set(n.service, { x: PAD + n.layer * COL_W, y: PAD + row * ROW_H });
  }
  const layers = perLayer.size ? Math.max(...perLayer.keys()) + 1 : 0;
  const graphRows = perLayer.size ? Math.max(...perLayer.values()) : 0;
  const graphWidth = layers ? (layers - 1) * COL_W + NODE_W : 0;
  const cols = Math.max(MIN_ISOLATED_COLS, Math.floor((graphWidth + 24) / ISOLATED_COL_W));
  const top = PAD + graphRows * ROW_H + (graphRows && isolated.length ? 16 : 0);
  isolated.forEach((n, i) => pos.set(n.service, { x: PAD + (i % cols) * ISOLATED_COL_W, y: top + Math.floor(i / cols) * ROW_H }));
  const points = [...pos.values()];
  return {
    pos,
    isolated: new Set(isolated.map((n) => n.service)),
    width: Math.max(NODE_W, ...points.map((p) => p.x + NODE_W)) + PAD,
    height: Math.max(NODE_H, ...points.map((p) => p.y + NODE_H)) + PAD + (hasBackEdge(graph, pos) ? BACK_EDGE_ROOM + 16 : 0),
  };
}

/** Room under the boxes for calls that go back left (a cycle such as order → user → order). */
const BACK_EDGE_ROOM = 56;

/**
 * An edge's path and label point: a straight arrow from the caller's right side to the callee's
 * left; a call back to an earlier column curves under both boxes so it never hides the arrow
 * going the other way.
 */
function edgeGeometry(a: Point, b: Point): { d: string; labelX: number; labelY: number } {
  if (b.x > a.x) {
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    return { d: `M ${x1} ${y1} L ${x2} ${y2}`, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 };
  }
  const x1 = a.x + NODE_W / 2;
  const x2 = b.x + NODE_W / 2;
  const y1 = a.y + NODE_H;
  const y2 = b.y + NODE_H;
  const low = Math.max(y1, y2) + BACK_EDGE_ROOM;
  const cx = (x1 + x2) / 2;
  // The quadratic curve's lowest point is halfway to its control point.
  return { d: `M ${x1} ${y1} Q ${cx} ${low * 2 - (y1 + y2) / 2} ${x2} ${y2}`, labelX: cx, labelY: low - 4 };
}

function hasBackEdge(graph: ServiceGraph, pos: Map<string, Point>): boolean {
  return graph.edges.some((e) => {
    const a = pos.get(e.client);
    const b = pos.get(e.server);
    return a !== undefined && b !== undefined && b.x <= a.x;
  });
}

/** The two lines under a node's name: its rate and errors, then its latency. */
function nodeLines(n: GraphNode): [string, string] {
  if (n.stats) {
    return [`${formatRate(n.stats.rate)} · ${formatPercent(n.stats.errorRate)} err`, `p50 ${formatDuration(n.stats.p50Ns)} · p95 ${formatDuration(n.stats.p95Ns)}`];
  }
  return [n.spans === undefined ? '' : `${n.spans} spans`, ''];
}

const edgeLabel = (e: GraphEdge) =>
  `${e.rate === undefined ? `${e.requests} req` : formatRate(e.rate)}${e.errors > 0 ? ` · ${formatPercent(e.errorRate)} err` : ''}`;

/** Enter or space on a focused SVG element acts as a click. */
const onActivate = (fn: () => void) => (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    fn();
  }
};

/**
 * Services as boxes with their requests, error rate and latency; calls as arrows labelled with
 * their rate and error rate. Every label is an SVG text node. A click on a node or edge calls
 * `onNode`/`onEdge` (the page opens the search for its spans).
 */
export function ServiceGraphSvg(props: { graph: ServiceGraph; onNode?(service: string): void; onEdge?(edge: GraphEdge): void }) {
  const { edges, nodes } = props.graph;
  const { pos, isolated, width, height } = layout(props.graph);
  return (
    <svg class="service-graph" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="group" aria-label="Service graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
        </marker>
      </defs>
      {edges.map((e) => {
        const a = pos.get(e.client);
        const b = pos.get(e.server);
        if (!a || !b) return null;
        const geo = edgeGeometry(a, b);
        const open = () => props.onEdge?.(e);
        return (
          <g
            key={`${e.client}\0${e.server}\0${e.connectionType}`}
            class={e.errors > 0 ? 'graph-edge has-errors' : 'graph-edge'}
            data-client={e.client}
            data-server={e.server}
            role="link"
            tabIndex={0}
            onClick={open}
            onKeyDown={onActivate(open)}
          >
            <title>
              {`${e.client} → ${e.server}: ${e.requests} requests, ${formatPercent(e.errorRate)} failed, p50 ${formatDuration(e.p50Ns)}, p95 ${formatDuration(e.p95Ns)}`}
            </title>
            <path class="edge-line" d={geo.d} marker-end="url(#arrow)" />
            {/* A wide transparent stroke makes the thin arrow easy to click. */}
            <path class="edge-hit" d={geo.d} />
            <text class="edge-label" x={geo.labelX} y={geo.labelY - 8} text-anchor="middle">
              {edgeLabel(e)}
            </text>
            <text class="edge-latency" x={geo.labelX} y={geo.labelY + 14} text-anchor="middle">
              {`p50 ${formatDuration(e.p50Ns)} · p95 ${formatDuration(e.p95Ns)}`}
            </text>
          </g>
        );
      })}
      {nodes.map((n) => {
        const p = pos.get(n.service)!;
        const [line1, line2] = nodeLines(n);
        const open = () => props.onNode?.(n.service);
        return (
          <g
            key={n.service}
            class={`graph-node${isolated.has(n.service) ? ' is-isolated' : ''}${n.stats?.errors ? ' has-errors' : ''}`}
            data-service={n.service}
            role="link"
            tabIndex={0}
            onClick={open}
            onKeyDown={onActivate(open)}
          >
            <title>{isolated.has(n.service) ? `${n.service} (no calls seen)` : n.service}</title>
            <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={6} />
            <text class="node-name" x={p.x + NODE_W / 2} y={p.y + 18} text-anchor="middle">
              {n.service.length > 26 ? `${n.service.slice(0, 25)}…` : n.service || '(unknown)'}
            </text>
            <text class="node-stats" x={p.x + NODE_W / 2} y={p.y + 34} text-anchor="middle">
              {line1}
            </text>
            <text class="node-latency" x={p.x + NODE_W / 2} y={p.y + 49} text-anchor="middle">
              {line2}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
