/**
 * The metric families the generator exposes, under Tempo's names and labels, on a registry of
 * its own (never prom-client's global one, so two backends in one process do not collide).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram.ts';
import { labelNameAvoiding, sanitizeLabelName, type ResolvedGeneratorOptions } from './config.ts';

/** Tempo's metric names (modules/generator/processor/{servicegraphs,spanmetrics}). */
export const METRIC_NAMES = {
  serviceGraphRequestTotal: 'traces_service_graph_request_total',
  serviceGraphRequestFailedTotal: 'traces_service_graph_request_failed_total',
  serviceGraphRequestServerSeconds: 'traces_service_graph_request_server_seconds',
  serviceGraphRequestClientSeconds: 'traces_service_graph_request_client_seconds',
  serviceGraphRequestMessagingSystemSeconds: 'traces_service_graph_request_messaging_system_seconds',
  serviceGraphUnpairedSpansTotal: 'traces_service_graph_unpaired_spans_total',
  serviceGraphDroppedSpansTotal: 'traces_service_graph_dropped_spans_total',
  spanMetricsCallsTotal: 'traces_spanmetrics_calls_total',
  spanMetricsLatency: 'traces_spanmetrics_latency',
  spanMetricsSizeTotal: 'traces_spanmetrics_size_total',
  targetInfo: 'traces_target_info',
} as const;

/** Labels of every service-graph series with the default options. */
export const SERVICE_GRAPH_LABELS = ['client', 'server', 'connection_type'] as const;
/** Labels of every span-metrics series with the default options (Tempo's default intrinsic dimensions). */
export const SPAN_METRICS_LABELS = ['service', 'span_name', 'span_kind', 'status_code'] as const;
/** The intrinsic dimensions Tempo knows, in the order it adds them. */
export const INTRINSIC_DIMENSIONS = ['service', 'span_name', 'span_kind', 'status_code', 'status_message'] as const;
/** The label `enable_virtual_node_label` adds. */
export const VIRTUAL_NODE_LABEL = 'virtual_node';

export type ServiceGraphLabel = string;
export type SpanMetricsLabel = string;

/** One extra label of a series: its name and the attribute (or edge dimension key) it is read from. */
export interface DimensionLabel {
  label: string;
  attribute: string;
}

/** Which labels the service-graph series carry, beyond client/server/connection_type, in order. */
export interface ServiceGraphLabelPlan {
  /** Dimensions read from the client span (with the prefix option, `client_<dim>`; else shared). */
  client: DimensionLabel[];
  /** Dimensions read from the server span (with the prefix option, `server_<dim>`; else shared). */
  server: DimensionLabel[];
  /** Every label name, in Tempo's order. */
  names: string[];
}

/** Which labels the span-metrics series carry, in Tempo's order. */
export interface SpanMetricsLabelPlan {
  intrinsic: (typeof INTRINSIC_DIMENSIONS)[number][];
  dimensions: DimensionLabel[];
  job: boolean;
  instance: boolean;
  names: string[];
}

/** The service-graph labels the options ask for (Tempo's servicegraphs.New). */
export function serviceGraphLabelPlan(options: ResolvedGeneratorOptions): ServiceGraphLabelPlan {
  const names: string[] = [...SERVICE_GRAPH_LABELS];
  const client: DimensionLabel[] = [];
  const server: DimensionLabel[] = [];
  for (const dim of options.serviceGraphDimensions) {
    if (options.enableClientServerPrefix) {
      client.push({ label: sanitizeLabelName(`client_${dim}`), attribute: dim });
      server.push({ label: sanitizeLabelName(`server_${dim}`), attribute: dim });
      names.push(sanitizeLabelName(`client_${dim}`), sanitizeLabelName(`server_${dim}`));
    } else {
      // Without the prefix both sides write the same label; the server's value wins when both have it.
      client.push({ label: sanitizeLabelName(dim), attribute: dim });
      server.push({ label: sanitizeLabelName(dim), attribute: dim });
      names.push(sanitizeLabelName(dim));
    }
  }
  if (options.enableVirtualNodeLabel) names.push(VIRTUAL_NODE_LABEL);
  return { client, server, names };
}

/** The span-metrics labels the options ask for (Tempo's spanmetrics.New and aggregateMetricsForSpan). */
export function spanMetricsLabelPlan(options: ResolvedGeneratorOptions): SpanMetricsLabelPlan {
  const intrinsic = INTRINSIC_DIMENSIONS.filter((d) => options.intrinsicDimensions[d]);
  const taken = new Set<string>(INTRINSIC_DIMENSIONS);
  const dimensions = options.spanMetricsDimensions.map((attribute) => ({ label: labelNameAvoiding(attribute, taken), attribute }));
  const job = options.enableTargetInfo;
  const instance = options.enableTargetInfo && options.enableInstanceLabel;
  const names = [...intrinsic, ...dimensions.map((d) => d.label), ...(job ? ['job'] : []), ...(instance ? ['instance'] : [])];
  return { intrinsic, dimensions, job, instance, names };
}

/** The generator's metrics and the registry that renders them. */
export interface GeneratorMetrics {
  registry: Registry;
  graphLabels: ServiceGraphLabelPlan;
  spanLabels: SpanMetricsLabelPlan;
  requestTotal: Counter<ServiceGraphLabel>;
  requestFailedTotal: Counter<ServiceGraphLabel>;
  requestServerSeconds: SeriesHistogram<ServiceGraphLabel>;
  requestClientSeconds: SeriesHistogram<ServiceGraphLabel>;
  /** Only with `enableMessagingSystemLatencyHistogram`. */
  requestMessagingSystemSeconds: SeriesHistogram<ServiceGraphLabel> | undefined;
  unpairedSpansTotal: Counter<ServiceGraphLabel>;
  droppedSpansTotal: Counter<ServiceGraphLabel>;
  callsTotal: Counter<SpanMetricsLabel>;
  latency: SeriesHistogram<SpanMetricsLabel>;
  sizeTotal: Counter<SpanMetricsLabel>;
  /** Only with `enableTargetInfo`; its label names grow with the resources seen. */
  targetInfo: TargetInfo | undefined;
}

/**
 * `traces_target_info`: one series at 1 per resource, labelled with its attributes. Its label
 * names depend on the resources, which prom-client wants up front, so it is rendered by hand.
 */
export class TargetInfo {
  private readonly series = new Map<string, Record<string, string>>();

  /** Records a resource's labels (the same labels again change nothing). */
  set(labels: Record<string, string>): void {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (!this.series.has(key)) this.series.set(key, labels);
  }

  /** The family in the text exposition format. */
  render(): string {
    if (this.series.size === 0) return '';
    const lines = [`# HELP ${METRIC_NAMES.targetInfo} Target metadata`, `# TYPE ${METRIC_NAMES.targetInfo} gauge`];
    for (const labels of this.series.values()) {
      const body = Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
        .join(',');
      lines.push(`${METRIC_NAMES.targetInfo}{${body}} 1`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Registers every family on a new registry. */
export function createGeneratorMetrics(options: ResolvedGeneratorOptions): GeneratorMetrics {
  const registry = new Registry();
  const registers = [registry];
  const graphPlan = serviceGraphLabelPlan(options);
  const spanPlan = spanMetricsLabelPlan(options);
  const graphLabels = graphPlan.names;
  const spanLabels = spanPlan.names;
  const graphHistogram = (name: string, help: string) =>
    new SeriesHistogram({ name, help, labelNames: graphLabels, buckets: options.serviceGraphBuckets, registers });
  return {
    registry,
    graphLabels: graphPlan,
    spanLabels: spanPlan,
    requestTotal: new Counter({ name: METRIC_NAMES.serviceGraphRequestTotal, help: 'Total count of requests between two nodes', labelNames: graphLabels, registers }),
    requestFailedTotal: new Counter({ name: METRIC_NAMES.serviceGraphRequestFailedTotal, help: 'Total count of failed requests between two nodes', labelNames: graphLabels, registers }),
    requestServerSeconds: graphHistogram(METRIC_NAMES.serviceGraphRequestServerSeconds, 'Time for a request between two nodes as seen from the server'),
    requestClientSeconds: graphHistogram(METRIC_NAMES.serviceGraphRequestClientSeconds, 'Time for a request between two nodes as seen from the client'),
    requestMessagingSystemSeconds: options.enableMessagingSystemLatencyHistogram
      ? graphHistogram(METRIC_NAMES.serviceGraphRequestMessagingSystemSeconds, 'Time between the producer span end and the consumer span start')
      : undefined,
    unpairedSpansTotal: new Counter({ name: METRIC_NAMES.serviceGraphUnpairedSpansTotal, help: 'Total count of unpaired spans', labelNames: graphLabels, registers }),
    droppedSpansTotal: new Counter({ name: METRIC_NAMES.serviceGraphDroppedSpansTotal, help: 'Spans not paired because too many edges were waiting', labelNames: graphLabels, registers }),
    callsTotal: new Counter({ name: METRIC_NAMES.spanMetricsCallsTotal, help: 'Total count of the spans', labelNames: spanLabels, registers }),
    latency: new SeriesHistogram({ name: METRIC_NAMES.spanMetricsLatency, help: 'Latency of the spans in seconds', labelNames: spanLabels, buckets: options.spanMetricsBuckets, registers }),
    sizeTotal: new Counter({ name: METRIC_NAMES.spanMetricsSizeTotal, help: 'Total size of spans ingested', labelNames: spanLabels, registers }),
    targetInfo: options.enableTargetInfo ? new TargetInfo() : undefined,
  };
}
