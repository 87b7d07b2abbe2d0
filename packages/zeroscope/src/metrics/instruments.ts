import { isSpanContextValid, type SpanContext, TraceFlags } from '@opentelemetry/api';
import type { Counter, Histogram, Registry } from 'prom-client';
import { promClient } from './prom-client-internals.ts';

/** go-zero's buckets (ms) for HTTP server requests. */
export const HTTP_DURATION_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 750, 1000] as const;
/** go-zero's buckets (ms) for rpc server and client calls. */
export const RPC_DURATION_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000] as const;

/** The pair of instruments of one kind of request: its duration histogram and its code counter. */
export interface RequestInstruments {
  readonly duration: Histogram<string>;
  readonly codes: Counter<string>;
  /** The histogram's labels; rpc histograms have no `code` (go-zero's). */
  readonly durationLabels: readonly string[];
}

/**
 * The request metrics of the framework, under go-zero's names and labels so its dashboards work:
 * a duration histogram (ms) and a counter by code, for HTTP server requests (by route template
 * `path`, `method`, `code`), rpc server calls and rpc client calls (by full gRPC `method` and
 * numeric `code`). Every one keeps exemplars with the trace of the request that set them.
 */
export interface Instruments {
  readonly httpServer: RequestInstruments;
  readonly rpcServer: RequestInstruments;
  readonly rpcClient: RequestInstruments;
  /** Unary rpc client calls sent again on another instance, by `method` and the failed attempt's `code`. */
  readonly rpcClientRetries: Counter<string>;
}

const byRegistry = new WeakMap<Registry, Instruments>();

/** The instruments registered in `registry` (an OpenMetrics one: they keep exemplars), created on first use. */
export function instruments(registry: Registry): Instruments {
  let found = byRegistry.get(registry);
  if (found === undefined) {
    const { Counter } = promClient();
    found = {
      httpServer: pair(registry, 'http_server', 'http server', ['path', 'method', 'code'], HTTP_DURATION_BUCKETS),
      rpcServer: pair(registry, 'rpc_server', 'rpc server', ['method'], RPC_DURATION_BUCKETS, ['method', 'code']),
      rpcClient: pair(registry, 'rpc_client', 'rpc client', ['method'], RPC_DURATION_BUCKETS, ['method', 'code']),
      rpcClientRetries: new Counter({
        name: 'rpc_client_requests_retry_total',
        help: 'rpc client requests retried on another instance.',
        labelNames: ['method', 'code'],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, found);
  }
  return found;
}

function pair(
  registry: Registry,
  prefix: string,
  what: string,
  durationLabels: string[],
  buckets: readonly number[],
  codeLabels: string[] = durationLabels,
): RequestInstruments {
  const { Counter, Histogram } = promClient();
  return {
    durationLabels,
    duration: new Histogram({
      name: `${prefix}_requests_duration_ms`,
      help: `${what} requests duration(ms).`,
      labelNames: durationLabels,
      buckets: [...buckets],
      enableExemplars: true,
      registers: [registry],
    }),
    codes: new Counter({
      name: `${prefix}_requests_code_total`,
      help: `${what} requests code count.`,
      labelNames: codeLabels,
      enableExemplars: true,
      registers: [registry],
    }),
  };
}

/**
 * Records one finished request: its duration (ms) in the histogram under the labels the
 * histogram knows, one count under `labels`, both with an exemplar naming `spanContext` when it
 * is sampled. `labels` must hold every label of the pair (`code` included).
 */
export function recordRequest(
  target: RequestInstruments,
  labels: Record<string, string>,
  durationMs: number,
  spanContext: SpanContext | undefined,
): void {
  // prom-client types exemplar labels as the metric's own label names; they are free-form.
  const exemplarLabels = exemplarOf(spanContext) as Record<string, string> | undefined;
  try {
    target.duration.observe({ labels: durationLabels(labels, target), value: durationMs, exemplarLabels });
    target.codes.inc({ labels, value: 1, exemplarLabels });
  } catch (err) {
    // A metric that cannot be recorded (a bad label set) must not fail or crash the request.
    reportOnce(err);
  }
}

let reported = false;
function reportOnce(err: unknown): void {
  if (reported) return;
  reported = true;
  console.warn(`[zeroscope/metrics] recording a request failed (reported once): ${err instanceof Error ? err.message : String(err)}`);
}

function durationLabels(labels: Record<string, string>, target: RequestInstruments): Record<string, string> {
  const names = target.durationLabels;
  if (!('code' in labels) || names.includes('code')) return labels;
  const picked: Record<string, string> = {};
  for (const name of names) picked[name] = labels[name];
  return picked;
}

/** Exemplar labels of a span: OpenTelemetry's `trace_id`/`span_id`. */
export interface ExemplarLabels {
  trace_id: string;
  span_id: string;
  [key: string]: string;
}

/**
 * The exemplar labels naming `spanContext`, or undefined (no exemplar) when there is no span or
 * it is not sampled: an exemplar should point at a trace the backend actually has.
 */
export function exemplarOf(spanContext: SpanContext | undefined): ExemplarLabels | undefined {
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
