/**
 * Settings of the metrics-generator, with the defaults of Tempo's current processors
 * (modules/generator/processor/servicegraphs/config.go and spanmetrics/config.go), so dashboards
 * and Grafana's service graph built for Tempo's metrics see the same names, labels and buckets.
 * Every Tempo option that changes what is exposed is here too, off by default as in Tempo.
 */

/** Span metrics' intrinsic dimensions (Tempo's `intrinsic_dimensions`). */
export interface IntrinsicDimensions {
  service?: boolean;
  span_name?: boolean;
  span_kind?: boolean;
  status_code?: boolean;
  status_message?: boolean;
}

/** Options of {@link createMetricsGenerator}; every field has Tempo's default. */
export interface GeneratorOptions {
  /** How long a client or server span waits for its other half (default 10 s, Tempo's `wait`). */
  waitMs?: number;
  /** Most unpaired edges kept; spans past it are dropped and counted (default 10,000, Tempo's `max_items`). */
  maxItems?: number;
  /** How often waiting edges are checked for expiry (default 2 s, as Tempo's ticker). */
  expireIntervalMs?: number;
  /** Service-graph latency buckets in seconds (default 0.1 · 2^0..7, Tempo's `histogram_buckets`). */
  serviceGraphBuckets?: number[];
  /** Span-metrics latency buckets in seconds (default 0.002 · 2^0..13, Tempo's `histogram_buckets`). */
  spanMetricsBuckets?: number[];
  /** Span attributes naming an uninstrumented peer of an unpaired span (Tempo's `peer_attributes`). */
  peerAttributes?: string[];
  /** Attributes that make a client span a database call, the first found naming it (Tempo's `database_name_attributes`). */
  databaseNameAttributes?: string[];
  /** Span or resource attributes added as service-graph labels (Tempo's service-graphs `dimensions`). */
  serviceGraphDimensions?: string[];
  /** Each service-graph dimension becomes `client_<dim>` and `server_<dim>` (Tempo's `enable_client_server_prefix`). */
  enableClientServerPrefix?: boolean;
  /** Adds the `virtual_node` label (`client`/`server` on edges to an uninstrumented node; Tempo's `enable_virtual_node_label`). */
  enableVirtualNodeLabel?: boolean;
  /** Adds `traces_service_graph_request_messaging_system_seconds` (Tempo's `enable_messaging_system_latency_histogram`). */
  enableMessagingSystemLatencyHistogram?: boolean;
  /** Span metrics' intrinsic dimensions (default service, span_name, span_kind, status_code). */
  intrinsicDimensions?: IntrinsicDimensions;
  /** Span or resource attributes added as span-metrics labels (Tempo's span-metrics `dimensions`). */
  spanMetricsDimensions?: string[];
  /** Exposes `traces_target_info` and adds `job`/`instance` to span metrics (Tempo's `enable_target_info`). */
  enableTargetInfo?: boolean;
  /** Resource attributes left out of `traces_target_info` (Tempo's `target_info_excluded_dimensions`). */
  targetInfoExcludedDimensions?: string[];
  /** With target info, the `instance` label from `service.instance.id` (default true, Tempo's `enable_instance_label`). */
  enableInstanceLabel?: boolean;
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
/** db.system was renamed db.system.name in semantic conventions 1.30; Tempo reads both, the old one first. */
export const DEFAULT_PEER_ATTRIBUTES: readonly string[] = ['peer.service', 'db.name', 'db.system', 'db.system.name'];
/** Searched in order: the database itself (db.namespace, db.name) before the product (db.system, db.system.name). */
export const DEFAULT_DATABASE_NAME_ATTRIBUTES: readonly string[] = ['db.namespace', 'db.name', 'db.system', 'db.system.name'];
export const DEFAULT_INTRINSIC_DIMENSIONS: Readonly<Required<IntrinsicDimensions>> = {
  service: true,
  span_name: true,
  span_kind: true,
  status_code: true,
  status_message: false,
};

/** Options with every default filled in. */
export type ResolvedGeneratorOptions = Required<Omit<GeneratorOptions, 'intrinsicDimensions'>> & { intrinsicDimensions: Required<IntrinsicDimensions> };

/** Fills in Tempo's defaults. */
export function resolveGeneratorOptions(options: GeneratorOptions = {}): ResolvedGeneratorOptions {
  return {
    waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
    maxItems: options.maxItems ?? DEFAULT_MAX_ITEMS,
    expireIntervalMs: options.expireIntervalMs ?? DEFAULT_EXPIRE_INTERVAL_MS,
    serviceGraphBuckets: options.serviceGraphBuckets ?? [...DEFAULT_SERVICE_GRAPH_BUCKETS],
    spanMetricsBuckets: options.spanMetricsBuckets ?? [...DEFAULT_SPAN_METRICS_BUCKETS],
    peerAttributes: options.peerAttributes ?? [...DEFAULT_PEER_ATTRIBUTES],
    databaseNameAttributes: options.databaseNameAttributes ?? [...DEFAULT_DATABASE_NAME_ATTRIBUTES],
    serviceGraphDimensions: options.serviceGraphDimensions ?? [],
    enableClientServerPrefix: options.enableClientServerPrefix ?? false,
    enableVirtualNodeLabel: options.enableVirtualNodeLabel ?? false,
    enableMessagingSystemLatencyHistogram: options.enableMessagingSystemLatencyHistogram ?? false,
    intrinsicDimensions: { ...DEFAULT_INTRINSIC_DIMENSIONS, ...options.intrinsicDimensions },
    spanMetricsDimensions: options.spanMetricsDimensions ?? [],
    enableTargetInfo: options.enableTargetInfo ?? false,
    targetInfoExcludedDimensions: options.targetInfoExcludedDimensions ?? [],
    enableInstanceLabel: options.enableInstanceLabel ?? true,
    now: options.now ?? Date.now,
  };
}

/**
 * A label name as Prometheus accepts it (Prometheus' `strutil.SanitizeLabelName`, which Tempo
 * uses): every character outside `[a-zA-Z0-9_]` becomes `_`, and a leading digit gets a `_`.
 */
export function sanitizeLabelName(name: string): string {
  const replaced = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
}

/** A sanitized label name that would collide with one of `taken` gets `__` in front, as Tempo does. */
export function labelNameAvoiding(name: string, taken: ReadonlySet<string>): string {
  const sanitized = sanitizeLabelName(name);
  return taken.has(sanitized) ? `__${sanitized}` : sanitized;
}
