/**
 * The service graph over any time range, from the generator's own counting: every request the
 * service-graph processor completes (an edge client → server, virtual nodes included) and every
 * SERVER or CONSUMER span (the requests a service answered, as span metrics count them) go into
 * time buckets (request-window.ts). `snapshot` sums the buckets of a range into what a graph
 * draws: requests, rate, error rate, p50 and p95 on every node and edge.
 */
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import type { Edge } from './edge-store.ts';
import { DEFAULT_WINDOW_RETENTION_MS, DEFAULT_WINDOW_STEP_MS, RequestWindow, type RequestCell } from './request-window.ts';
import { KIND, STATUS_ERROR, durationSeconds, findAttribute } from './span-facts.ts';

/** Requests of one node or edge over a range. Latencies in seconds; NaN when there were none. */
export interface RequestStats {
  requests: number;
  failed: number;
  /** Requests per second over the range asked for. */
  rate: number;
  /** failed / requests (0 without requests). */
  errorRate: number;
  p50Seconds: number;
  p95Seconds: number;
}

export interface GraphNodeStats extends RequestStats {
  service: string;
}

export interface GraphEdgeStats extends RequestStats {
  client: string;
  server: string;
  connectionType: string;
}

export interface ServiceGraphSnapshot {
  /** The range asked for, ms since the epoch. */
  startMs: number;
  endMs: number;
  /** Bucket width: counts are whole buckets overlapping the range. */
  stepMs: number;
  /** Every service that answered a request or takes part in an edge, by name. */
  nodes: GraphNodeStats[];
  /** By client, then server. */
  edges: GraphEdgeStats[];
}

/** One answered request read from an export: counted once the export is stored. */
export interface NodeFact {
  service: string;
  failed: boolean;
  latencySec: number;
}

export interface GraphSeriesOptions {
  stepMs?: number;
  retentionMs?: number;
  now?: () => number;
}

const EDGE_KEY_SEP = '\u0000';

export class ServiceGraphSeries {
  private readonly edges: RequestWindow<string>;
  private readonly nodes: RequestWindow<string>;

  constructor(options: GraphSeriesOptions = {}) {
    const resolved = {
      stepMs: options.stepMs ?? DEFAULT_WINDOW_STEP_MS,
      retentionMs: options.retentionMs ?? DEFAULT_WINDOW_RETENTION_MS,
      now: options.now ?? Date.now,
    };
    if (!(resolved.stepMs > 0) || !(resolved.retentionMs >= resolved.stepMs)) {
      throw new RangeError(`graph series: stepMs must be > 0 and retentionMs >= stepMs (got ${resolved.stepMs}, ${resolved.retentionMs})`);
    }
    this.edges = new RequestWindow(resolved);
    this.nodes = new RequestWindow(resolved);
  }

  /** A completed edge (the service-graph processor's `onRequest`); latency as the server saw it. */
  recordEdge(e: Edge): void {
    const key = e.clientService + EDGE_KEY_SEP + e.serverService + EDGE_KEY_SEP + e.connectionType;
    this.edges.add(key, e.failed, e.serverLatencySec);
  }

  /** The SERVER and CONSUMER spans of an export, read without counting them yet. */
  read(request: ExportTraceServiceRequest): NodeFact[] {
    const facts: NodeFact[] = [];
    for (const rs of request.resourceSpans) {
      let service: string | undefined;
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          if (span.kind !== KIND.SERVER && span.kind !== KIND.CONSUMER) continue;
          service ??= findAttribute('service.name', rs.resource?.attributes) ?? '';
          facts.push({ service, failed: span.status?.code === STATUS_ERROR, latencySec: durationSeconds(span) });
        }
      }
    }
    return facts;
  }

  /** Counts what {@link read} found, now. */
  record(facts: readonly NodeFact[]): void {
    for (const f of facts) this.nodes.add(f.service, f.failed, f.latencySec);
  }

  /** Nodes and edges over [startMs, endMs). */
  snapshot(startMs: number, endMs: number): ServiceGraphSnapshot {
    const seconds = Math.max(endMs - startMs, 1) / 1000;
    const edgeCells = this.edges.sum(startMs, endMs).cells;
    const nodeCells = this.nodes.sum(startMs, endMs).cells;
    const edges: GraphEdgeStats[] = [];
    const services = new Set(nodeCells.keys());
    for (const [key, cell] of edgeCells) {
      const [client, server, connectionType] = key.split(EDGE_KEY_SEP);
      services.add(client);
      services.add(server);
      edges.push({ client, server, connectionType, ...stats(cell, seconds) });
    }
    edges.sort((a, b) => compare(a.client, b.client) || compare(a.server, b.server) || compare(a.connectionType, b.connectionType));
    const nodes = [...services].sort(compare).map((service) => {
      const cell = nodeCells.get(service);
      return { service, ...(cell ? stats(cell, seconds) : EMPTY) };
    });
    return { startMs, endMs, stepMs: this.edges.stepMs, nodes, edges };
  }
}

const EMPTY: RequestStats = { requests: 0, failed: 0, rate: 0, errorRate: 0, p50Seconds: Number.NaN, p95Seconds: Number.NaN };

function stats(cell: RequestCell, seconds: number): RequestStats {
  return {
    requests: cell.requests,
    failed: cell.failed,
    rate: cell.requests / seconds,
    errorRate: cell.requests ? cell.failed / cell.requests : 0,
    p50Seconds: cell.latency.quantile(0.5),
    p95Seconds: cell.latency.quantile(0.95),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
