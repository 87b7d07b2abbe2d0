import type { ServiceGraph } from '../lib/service-graph.ts';

const COL_W = 300;
const ROW_H = 64;
const NODE_W = 160;
const NODE_H = 36;
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
    height: Math.max(NODE_H, ...points.map((p) => p.y + NODE_H)) + PAD,
  };
}

/** Services as boxes, calls as arrows labelled with requests and error rate; labels are SVG text nodes. */
export function ServiceGraphSvg(props: { graph: ServiceGraph }) {
  const { edges, nodes } = props.graph;
  const { pos, isolated, width, height } = layout(props.graph);
  return (
    <svg class="service-graph" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label="Service graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
        </marker>
      </defs>
      {edges.map((e) => {
        const a = pos.get(e.client);
        const b = pos.get(e.server);
        if (!a || !b) return null;
        const x1 = a.x + NODE_W;
        const y1 = a.y + NODE_H / 2;
        const x2 = b.x;
        const y2 = b.y + NODE_H / 2;
        return (
          <g key={`${e.client}\0${e.server}`} class={e.errors > 0 ? 'graph-edge has-errors' : 'graph-edge'}>
            <line x1={x1} y1={y1} x2={x2} y2={y2} marker-end="url(#arrow)" />
            <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 6} text-anchor="middle">
              {e.requests} req{e.errors > 0 ? ` · ${Math.round(e.errorRate * 100)}% err` : ''}
            </text>
          </g>
        );
      })}
      {nodes.map((n) => {
        const p = pos.get(n.service)!;
        return (
          <g key={n.service} class={isolated.has(n.service) ? 'graph-node is-isolated' : 'graph-node'}>
            <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={6} />
            <text x={p.x + NODE_W / 2} y={p.y + NODE_H / 2 + 5} text-anchor="middle">
              {n.service.length > 22 ? `${n.service.slice(0, 21)}…` : n.service || '(unknown)'}
            </text>
            <title>{isolated.has(n.service) ? `${n.service} (no calls seen)` : n.service}</title>
          </g>
        );
      })}
    </svg>
  );
}
