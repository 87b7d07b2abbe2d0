/**
 * `GET /api/service-graph?start=&end=` (a zeroscope extension): the service graph over a range
 * from the metrics-generator's own time-bucketed counts (generator/graph-series.ts), not from a
 * sample of traces. Every node and edge carries its requests, rate, error rate, p50 and p95; the
 * edge counts are the same requests `/metrics`' `traces_service_graph_request_total` counts.
 */
import type { ServiceGraphSnapshot } from '../generator/index.ts';
import { BadParamError } from './errors.ts';
import { timeRangeParams } from './params.ts';
import { DEFAULT_RED_WINDOW_SECONDS } from './paths.ts';
import { sendJson } from './respond.ts';
import type { RouteHandler } from './route.ts';

/** The service graph of the generator (a MetricsGenerator). */
export interface ServiceGraphSource {
  serviceGraph(startMs: number, endMs: number): ServiceGraphSnapshot;
}

/** Latencies in seconds, or null where nothing was measured (JSON has no NaN). */
const seconds = (v: number) => (Number.isFinite(v) ? v : null);

/** Handler for `GET /api/service-graph`; the range defaults to the last hour. `now` is for tests. */
export function serviceGraphHandler(source: ServiceGraphSource, now: () => number = Date.now): RouteHandler {
  return async function serviceGraph(ctx) {
    const range = timeRangeParams(ctx.query);
    const endMs = range.endUnixNano !== undefined ? Number(range.endUnixNano / 1_000_000n) : now();
    const startMs = range.startUnixNano !== undefined ? Number(range.startUnixNano / 1_000_000n) : endMs - DEFAULT_RED_WINDOW_SECONDS * 1000;
    if (startMs >= endMs) throw new BadParamError('http parameter start must be before end');
    const graph = source.serviceGraph(startMs, endMs);
    sendJson(ctx.req, ctx.res, 200, {
      start: startMs / 1000,
      end: endMs / 1000,
      windowSeconds: (endMs - startMs) / 1000,
      stepSeconds: graph.stepMs / 1000,
      nodes: graph.nodes.map((n) => ({ ...n, p50Seconds: seconds(n.p50Seconds), p95Seconds: seconds(n.p95Seconds) })),
      edges: graph.edges.map((e) => ({ ...e, p50Seconds: seconds(e.p50Seconds), p95Seconds: seconds(e.p95Seconds) })),
    });
  };
}
