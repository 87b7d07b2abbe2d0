/**
 * A service graph computed in the browser from whole traces: a CLIENT (or PRODUCER) span whose
 * child is a SERVER (or CONSUMER) span of another service is one request along the edge
 * client service → server service. Latency is the client span's duration (what the caller saw),
 * an edge request fails when either side has error status. This mirrors what Tempo's
 * metrics-generator counts, without needing it.
 */
import type { UiTrace } from './trace-model.ts';
import { percentile } from './format.ts';

export interface GraphEdge {
  client: string;
  server: string;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ns: number;
  p95Ns: number;
}

export interface GraphNode {
  service: string;
  spans: number;
  /** Column for drawing: 0 for services nobody calls, else 1 + the deepest caller's column. */
  layer: number;
}

export interface ServiceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  traces: number;
}

const CALLER = new Set(['client', 'producer']);
const CALLEE = new Set(['server', 'consumer']);

/** Builds the graph from traces (e.g. the first N search results, fetched by id). */
export function buildServiceGraph(traces: UiTrace[]): ServiceGraph {
  const spanCounts = new Map<string, number>();
  const acc = new Map<string, { client: string; server: string; latencies: number[]; errors: number }>();
  for (const trace of traces) {
    for (const span of trace.spans) {
      spanCounts.set(span.serviceName, (spanCounts.get(span.serviceName) ?? 0) + 1);
      if (!CALLER.has(span.kind)) continue;
      for (const child of span.children) {
        if (!CALLEE.has(child.kind) || child.serviceName === span.serviceName) continue;
        const key = JSON.stringify([span.serviceName, child.serviceName]);
        let e = acc.get(key);
        if (!e) acc.set(key, (e = { client: span.serviceName, server: child.serviceName, latencies: [], errors: 0 }));
        e.latencies.push(span.durationNs);
        if (span.status === 'error' || child.status === 'error') e.errors++;
      }
    }
  }
  const edges: GraphEdge[] = [...acc.values()]
    .map((e) => ({
      client: e.client,
      server: e.server,
      requests: e.latencies.length,
      errors: e.errors,
      errorRate: e.errors / e.latencies.length,
      p50Ns: percentile(e.latencies, 50),
      p95Ns: percentile(e.latencies, 95),
    }))
    .sort((a, b) => (a.client + '\0' + a.server < b.client + '\0' + b.server ? -1 : 1));
  const layers = layerServices([...spanCounts.keys()], edges);
  const nodes = [...spanCounts.entries()]
    .map(([service, spans]) => ({ service, spans, layer: layers.get(service) ?? 0 }))
    .sort((a, b) => a.layer - b.layer || (a.service < b.service ? -1 : 1));
  return { nodes, edges, traces: traces.length };
}

/** Longest-path layering, bounded by the node count so that call cycles terminate. */
function layerServices(services: string[], edges: GraphEdge[]): Map<string, number> {
  const layer = new Map(services.map((s) => [s, 0]));
  for (let round = 0; round < services.length; round++) {
    let changed = false;
    for (const e of edges) {
      if (e.client === e.server) continue;
      const want = (layer.get(e.client) ?? 0) + 1;
      if (want > (layer.get(e.server) ?? 0) && want < services.length) {
        layer.set(e.server, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}
