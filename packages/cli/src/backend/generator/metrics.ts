/**
 * The metric families the generator exposes, under Tempo's names and labels, on a registry of
 * its own (never prom-client's global one, so two backends in one process do not collide).
 */
import { Counter, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram.ts';
import type { ResolvedGeneratorOptions } from './config.ts';

/** Tempo's metric names (modules/generator/processor/{servicegraphs,spanmetrics}). */
export const METRIC_NAMES = {
  serviceGraphRequestTotal: 'traces_service_graph_request_total',
  serviceGraphRequestFailedTotal: 'traces_service_graph_request_failed_total',
  serviceGraphRequestServerSeconds: 'traces_service_graph_request_server_seconds',
  serviceGraphRequestClientSeconds: 'traces_service_graph_request_client_seconds',
  serviceGraphUnpairedSpansTotal: 'traces_service_graph_unpaired_spans_total',
  serviceGraphDroppedSpansTotal: 'traces_service_graph_dropped_spans_total',
  spanMetricsCallsTotal: 'traces_spanmetrics_calls_total',
  spanMetricsLatency: 'traces_spanmetrics_latency',
} as const;

/** Labels of every service-graph series. */
export const SERVICE_GRAPH_LABELS = ['client', 'server', 'connection_type'] as const;
/** Labels of every span-metrics series (Tempo's default intrinsic dimensions). */
export const SPAN_METRICS_LABELS = ['service', 'span_name', 'span_kind', 'status_code'] as const;

export type ServiceGraphLabel = (typeof SERVICE_GRAPH_LABELS)[number];
export type SpanMetricsLabel = (typeof SPAN_METRICS_LABELS)[number];

/** The generator's metrics and the registry that renders them. */
export interface GeneratorMetrics {
  registry: Registry;
  requestTotal: Counter<ServiceGraphLabel>;
  requestFailedTotal: Counter<ServiceGraphLabel>;
  requestServerSeconds: SeriesHistogram<ServiceGraphLabel>;
  requestClientSeconds: SeriesHistogram<ServiceGraphLabel>;
  unpairedSpansTotal: Counter<ServiceGraphLabel>;
  droppedSpansTotal: Counter<ServiceGraphLabel>;
  callsTotal: Counter<SpanMetricsLabel>;
  latency: SeriesHistogram<SpanMetricsLabel>;
}

/** Registers every family on a new registry. */
export function createGeneratorMetrics(options: ResolvedGeneratorOptions): GeneratorMetrics {
  const registry = new Registry();
  const registers = [registry];
  const graphLabels = [...SERVICE_GRAPH_LABELS];
  const spanLabels = [...SPAN_METRICS_LABELS];
  return {
    registry,
    requestTotal: new Counter({ name: METRIC_NAMES.serviceGraphRequestTotal, help: 'Total count of requests between two nodes', labelNames: graphLabels, registers }),
    requestFailedTotal: new Counter({ name: METRIC_NAMES.serviceGraphRequestFailedTotal, help: 'Total count of failed requests between two nodes', labelNames: graphLabels, registers }),
    requestServerSeconds: new SeriesHistogram({
      name: METRIC_NAMES.serviceGraphRequestServerSeconds,
      help: 'Time for a request between two nodes as seen from the server',
      labelNames: graphLabels,
      buckets: options.serviceGraphBuckets,
      registers,
    }),
    requestClientSeconds: new SeriesHistogram({
      name: METRIC_NAMES.serviceGraphRequestClientSeconds,
      help: 'Time for a request between two nodes as seen from the client',
      labelNames: graphLabels,
      buckets: options.serviceGraphBuckets,
      registers,
    }),
    unpairedSpansTotal: new Counter({ name: METRIC_NAMES.serviceGraphUnpairedSpansTotal, help: 'Total count of unpaired spans', labelNames: graphLabels, registers }),
    droppedSpansTotal: new Counter({ name: METRIC_NAMES.serviceGraphDroppedSpansTotal, help: 'Spans not paired because too many edges were waiting', labelNames: graphLabels, registers }),
    callsTotal: new Counter({ name: METRIC_NAMES.spanMetricsCallsTotal, help: 'Total count of the spans', labelNames: spanLabels, registers }),
    latency: new SeriesHistogram({ name: METRIC_NAMES.spanMetricsLatency, help: 'Latency of the spans in seconds', labelNames: spanLabels, buckets: options.spanMetricsBuckets, registers }),
  };
}
