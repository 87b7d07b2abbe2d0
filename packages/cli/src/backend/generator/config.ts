/**
 * Settings of the metrics-generator, with Tempo's defaults (modules/generator/processor/
 * servicegraphs/config.go and spanmetrics/config.go), so dashboards built for Tempo's metrics
 * see the same buckets.
 */

/** Options of {@link createMetricsGenerator}; every field has Tempo's default. */
export interface GeneratorOptions {
  /** How long a client or server span waits for its other half (default 10 s, Tempo's `wait`). */
  waitMs?: number;
  /** Most unpaired edges kept; spans past it are dropped and counted (default 10,000, Tempo's `max_items`). */
  maxItems?: number;
  /** How often waiting edges are checked for expiry (default 2 s, as Tempo's ticker). */
  expireIntervalMs?: number;
  /** Service-graph latency buckets in seconds (default 0.1 · 2^0..7, Tempo's). */
  serviceGraphBuckets?: number[];
  /** Span-metrics latency buckets in seconds (default 0.002 · 2^0..13, Tempo's). */
  spanMetricsBuckets?: number[];
  /** Span attributes naming an uninstrumented server for an unpaired client span (Tempo's `peer_attributes`). */
  peerAttributes?: string[];
  /** Clock in ms (tests). */
  now?: () => number;
}

/** `count` buckets from `start`, each `factor` times the last (Prometheus' ExponentialBuckets). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

export const DEFAULT_WAIT_MS = 10_000;
export const DEFAULT_MAX_ITEMS = 10_000;
export const DEFAULT_EXPIRE_INTERVAL_MS = 2_000;
export const DEFAULT_SERVICE_GRAPH_BUCKETS: readonly number[] = exponentialBuckets(0.1, 2, 8);
export const DEFAULT_SPAN_METRICS_BUCKETS: readonly number[] = exponentialBuckets(0.002, 2, 14);
export const DEFAULT_PEER_ATTRIBUTES: readonly string[] = ['peer.service', 'db.name', 'db.system'];

/** Options with every default filled in. */
export type ResolvedGeneratorOptions = Required<GeneratorOptions>;

/** Fills in Tempo's defaults. */
export function resolveGeneratorOptions(options: GeneratorOptions = {}): ResolvedGeneratorOptions {
  return {
    waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
    maxItems: options.maxItems ?? DEFAULT_MAX_ITEMS,
    expireIntervalMs: options.expireIntervalMs ?? DEFAULT_EXPIRE_INTERVAL_MS,
    serviceGraphBuckets: options.serviceGraphBuckets ?? [...DEFAULT_SERVICE_GRAPH_BUCKETS],
    spanMetricsBuckets: options.spanMetricsBuckets ?? [...DEFAULT_SPAN_METRICS_BUCKETS],
    peerAttributes: options.peerAttributes ?? [...DEFAULT_PEER_ATTRIBUTES],
    now: options.now ?? Date.now,
  };
}
