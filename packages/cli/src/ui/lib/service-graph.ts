/**
 * The service graph the services page draws, from either source: the backend's metrics-generator
 * over a time range (`graphFromGenerator`, zeroscope's `/api/service-graph`) or, against a plain
 * Tempo, computed in the browser from whole traces (`buildServiceGraph`): a CLIENT (or PRODUCER) span whose
 * child is a SERVER (or CONSUMER) span of another service is one request along the edge
 * client service → server service. Latency is the client span's duration (what the caller saw),
 * an edge request fails when either side has error status. This mirrors what Tempo's
 * metrics-generator counts, without needing it.
 */
import type { UiTrace } from './trace-model.ts';
import { percentile } from './format.ts';
import type { ApiRequestStats, ServiceGraphResponse } from './zeroscope-api.ts';

export interface GraphEdge {
  client: string;
  server: string;
  /** The generator's connection type ('' for a plain call, 'virtual_node', 'database', …). */
  connectionType: string;
  requests: number;
  errors: number;
  errorRate: number;
  /** Requests per second over the range (generator only). */
  rate: number | undefined;
  p50Ns: number;
  p95Ns: number;
}

/** Requests a service answered (its SERVER and CONSUMER spans), from the generator. */
export interface NodeStats {
  requests: number;
  errors: number;
  errorRate: number;
  rate: number;
  p50Ns: number;
  p95Ns: number;
}

export interface GraphNode {
  service: string;
  /** Spans seen (browser-built graph only). */
  spans: number | undefined;
  stats: NodeStats | undefined;
  /** Column for drawing: 0 for services nobody calls, else 1 + the deepest caller's column. */
  layer: number;
}

export interface ServiceGraph {
  source: 'generator' | 'traces';
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Traces the browser read (browser-built graph only). */
  traces: number;
  /** The range the generator counted over. */
  windowSeconds: number | undefined;
}

const nanos = (seconds: number | null) => (seconds === null ? Number.NaN : seconds * 1e9);
const requestStats = (s: ApiRequestStats) => ({ requests: s.requests, errors: s.failed, errorRate: s.errorRate, rate: s.rate, p50Ns: nanos(s.p50Seconds), p95Ns: nanos(s.p95Seconds) });

/** The graph from the backend's metrics-generator (`/api/service-graph`). */
export function graphFromGenerator(body: ServiceGraphResponse): ServiceGraph {
  const edges: GraphEdge[] = body.edges.map((e) => ({ client: e.client, server: e.server, connectionType: e.connectionType, ...requestStats(e) }));
  const layers = layerServices(body.nodes.map((n) => n.service), edges);
  const nodes = body.nodes
    .map((n) => ({ service: n.service, spans: undefined, stats: requestStats(n), layer: layers.get(n.service) ?? 0 }))
    .sort((a, b) => a.layer - b.layer || (a.service < b.service ? -1 : 1));
  return { source: 'generator', nodes, edges, traces: 0, windowSeconds: body.windowSeconds };
}

/** TraceQL for the spans behind a node: the requests the service answered. */
export function nodeQuery(service: string): string {
  return `{ resource.service.name = ${JSON.stringify(service)} && (kind = server || kind = consumer) }`;
}

/**
 * TraceQL for the spans behind an edge: the server spans whose parent is a client span of the
 * caller. A virtual caller (`user`, outside the traces) leaves root server spans of the callee; a
 * virtual or database callee leaves the caller's client spans.
 */
export function edgeQuery(edge: Pick<GraphEdge, 'client' | 'server' | 'connectionType'>): string {
  const svc = (s: string) => `resource.service.name = ${JSON.stringify(s)}`;
  if (edge.connectionType === 'virtual_node' && edge.client === 'user') return `{ ${svc(edge.server)} && kind = server && nestedSetParent = -1 }`;
  if (edge.connectionType === 'virtual_node' || edge.connectionType === 'database') return `{ ${svc(edge.client)} && (kind = client || kind = producer) }`;
  return `{ ${svc(edge.client)} && (kind = client || kind = producer) } > { ${svc(edge.server)} && (kind = server || kind = consumer) }`;
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
      connectionType: '',
      rate: undefined,
      requests: e.latencies.length,
      errors: e.errors,
      errorRate: e.errors / e.latencies.length,
      p50Ns: percentile(e.latencies, 50),
      p95Ns: percentile(e.latencies, 95),
    }))
    .sort((a, b) => (a.client + '\0' + a.server < b.client + '\0' + b.server ? -1 : 1));
  const layers = layerServices([...spanCounts.keys()], edges);
  const nodes = [...spanCounts.entries()]
    .map(([service, spans]) => ({ service, spans, stats: undefined, layer: layers.get(service) ?? 0 }))
    .sort((a, b) => a.layer - b.layer || (a.service < b.service ? -1 : 1));
  return { source: 'traces', nodes, edges, traces: traces.length, windowSeconds: undefined };
}

/**
 * Columns by call depth: longest-path layering over the calls minus those that close a cycle
 * (a depth-first walk, from services nobody calls first, drops each edge back into its own
 * path), so `order → user → order` still lays out left to right instead of drifting apart.
 */
function layerServices(services: string[], edges: GraphEdge[]): Map<string, number> {
  const callees = new Map<string, string[]>(services.map((s) => [s, []]));
  const inDegree = new Map<string, number>(services.map((s) => [s, 0]));
  for (const e of edges) {
    if (e.client === e.server) continue;
    if (!callees.has(e.client)) callees.set(e.client, []);
    callees.get(e.client)!.push(e.server);
    inDegree.set(e.server, (inDegree.get(e.server) ?? 0) + 1);
    if (!inDegree.has(e.client)) inDegree.set(e.client, 0);
  }
  const order = [...inDegree.keys()].sort((a, b) => inDegree.get(a)! - inDegree.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const state = new Map<string, 'open' | 'done'>();
  const forward: [string, string][] = [];
  for (const root of order) {
    if (state.has(root)) continue;
    // Iterative DFS: [service, index of the next callee to visit].
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = callees.get(top[0])![top[1]++];
      if (next === undefined) {
        state.set(top[0], 'done');
        stack.pop();
      } else if (state.get(next) !== 'open') {
        forward.push([top[0], next]);
        if (!state.has(next)) {
          state.set(next, 'open');
          stack.push([next, 0]);
        }
      }
    }
  }
  const layer = new Map<string, number>([...inDegree.keys()].map((s) => [s, 0]));
  for (let round = 0; round < layer.size; round++) {
    let changed = false;
    for (const [client, server] of forward) {
      const want = layer.get(client)! + 1;
      if (want > layer.get(server)!) {
        layer.set(server, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}
