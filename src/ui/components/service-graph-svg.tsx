import type { ServiceGraph } from '../lib/service-graph.ts';

const COL_W = 220;
const ROW_H = 70;
const NODE_W = 160;
const NODE_H = 36;
const PAD = 20;

/** Services as boxes in columns by call depth, calls as arrows; labels are SVG text nodes. */
export function ServiceGraphSvg(props: { graph: ServiceGraph }) {
  const { nodes, edges } = props.graph;
  const perLayer = new Map<number, number>();
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const row = perLayer.get(n.layer) ?? 0;
    perLayer.set(n.layer, row + 1);
    pos.set(n.service, { x: PAD + n.layer * COL_W, y: PAD + row * ROW_H });
  }
  const layers = Math.max(1, ...[...perLayer.keys()].map((l) => l + 1));
  const rows = Math.max(1, ...perLayer.values());
  const width = PAD * 2 + (layers - 1) * COL_W + NODE_W;
  const height = PAD * 2 + (rows - 1) * ROW_H + NODE_H;
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
              {e.requests} req
            </text>
          </g>
        );
      })}
      {nodes.map((n) => {
        const p = pos.get(n.service)!;
        return (
          <g key={n.service} class="graph-node">
            <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={6} />
            <text x={p.x + NODE_W / 2} y={p.y + NODE_H / 2 + 5} text-anchor="middle">
              {n.service.length > 22 ? `${n.service.slice(0, 21)}…` : n.service || '(unknown)'}
            </text>
            <title>{n.service}</title>
          </g>
        );
      })}
    </svg>
  );
}
