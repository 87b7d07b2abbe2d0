import { context, trace } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { instruments, metricsEnabled, metricsRegistry, recordRequest } from '../../metrics/index.ts';
import type { Middleware, RequestContext } from '../context.ts';
import { type Stage, type StageRun, stagedMiddleware } from '../internal/stages.ts';
import { OutcomeStage } from './request-outcome.ts';

/** Options of `metricsHandler`. */
export interface MetricsHandlerOptions {
  /** Record here, always; by default the process registry, and only while metrics are on. */
  registry?: Registry;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/**
 * Prometheus metrics per request (go-zero's PrometheusHandler):
 * `http_server_requests_duration_ms` and `http_server_requests_code_total` by route template
 * (`path`; `unmatched` for 404/405 without a route, so ids never explode the series), `method`
 * and `code`, each with an exemplar naming the request's trace. Records nothing until a
 * `Prometheus` block started the metrics server.
 *
 * @example
 *   const metrics = metricsHandler(); // wired by chain.ts when Middlewares.Metrics is on
 */
export function metricsHandler(options: MetricsHandlerOptions = {}): Middleware {
  return stagedMiddleware('metrics', (route) => {
    const path = route.path ?? 'unmatched';
    const record = new OutcomeStage((status, durationMs, ctx) => {
      const registry = options.registry ?? metricsRegistry();
      const method = ctx.req.method !== undefined && KNOWN_METHODS.has(ctx.req.method) ? ctx.req.method : '_OTHER';
      const labels = { path, method, code: String(status) };
      const spanContext = trace.getSpanContext(context.active());
      recordRequest(instruments(registry).httpServer, labels, durationMs, spanContext);
    });
    return new MetricsStage(record, options.registry !== undefined);
  });
}

/** Times the request only while there is somewhere to record it (metrics off: nothing per request). */
class MetricsStage implements Stage {
  constructor(
    private readonly record: OutcomeStage,
    private readonly always: boolean,
  ) {}

  enter(): number | undefined {
    return this.always || metricsEnabled() ? this.record.enter() : undefined;
  }

  exit(start: unknown, ctx: RequestContext, run: StageRun): void {
    if (start !== undefined) this.record.exit(start, ctx, run);
  }
}
