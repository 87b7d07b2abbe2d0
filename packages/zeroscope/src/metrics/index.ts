// The metrics package: the process's Prometheus registry, the framework's request instruments
// (go-zero's names), and the `/metrics` server a `Prometheus` block starts. See README.md.
export { PrometheusSchema } from './config.ts';
export type { PrometheusConf, PrometheusConfInput } from './config.ts';
export { MetricsError, METRICS_ERROR_CODES } from './errors.ts';
export type { MetricsErrorCode } from './errors.ts';
export { createMetricsRegistry, metricsRegistry, metricsEnabled, metricsAddress, startMetrics, stopMetrics } from './process-metrics.ts';
export { startMetricsServer } from './server.ts';
export type { MetricsServer } from './server.ts';
export { renderMetrics, wantsOpenMetrics, OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './render.ts';
export { instruments, recordRequest, exemplarOf, HTTP_DURATION_BUCKETS, RPC_DURATION_BUCKETS } from './instruments.ts';
export type { Instruments, RequestInstruments, ExemplarLabels } from './instruments.ts';
