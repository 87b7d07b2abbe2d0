/**
 * Tempo's metrics-generator inside the backend: service-graph and span metrics computed on push,
 * under Tempo's metric names and labels, rendered in the Prometheus text format.
 */
export { createMetricsGenerator } from './generator.ts';
export type { MetricsGenerator } from './generator.ts';
export {
  DEFAULT_DATABASE_NAME_ATTRIBUTES,
  DEFAULT_EXPIRE_INTERVAL_MS,
  DEFAULT_INTRINSIC_DIMENSIONS,
  DEFAULT_MAX_ITEMS,
  DEFAULT_PEER_ATTRIBUTES,
  DEFAULT_SERVICE_GRAPH_BUCKETS,
  DEFAULT_SPAN_METRICS_BUCKETS,
  DEFAULT_WAIT_MS,
  exponentialBuckets,
} from './config.ts';
export type { GeneratorOptions, IntrinsicDimensions } from './config.ts';
export { METRIC_NAMES, SERVICE_GRAPH_LABELS, SPAN_METRICS_LABELS, VIRTUAL_NODE_LABEL } from './metrics.ts';
export type { ConnectionType } from './edge-store.ts';
export { generatorOptionsFrom, loadGeneratorConfig } from './config-file.ts';
export { GENERATOR_ERROR_CODES, GeneratorConfigError } from './errors.ts';
export type { GraphEdgeStats, GraphNodeStats, RequestStats, ServiceGraphSnapshot } from './graph-series.ts';
