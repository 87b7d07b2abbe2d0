/**
 * Tempo's span-metrics processor: for every span, one call and one latency observation under
 * (service, span_name, span_kind, status_code), Tempo's default intrinsic dimensions.
 */
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import type { GeneratorMetrics, SpanMetricsLabel } from './metrics.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, durationSeconds, findAttribute } from './span-facts.ts';

type Labels = Record<SpanMetricsLabel, string>;

/** One request's spans as span metrics see them: the series of each and its latency in seconds. */
export interface SpanMetricsFacts {
  series: Labels[];
  latencies: number[];
}

/**
 * Records every span of each request. A series' label object is built once and kept (the
 * registry keeps one per series anyway), and calls are counted per series per request, so the
 * registry hashes a label set once per series for the counter instead of once per span.
 */
export class SpanMetricsProcessor {
  /** service → span name → label objects by kind * STATUS_CODE_NAMES.length + status. */
  private readonly series = new Map<string, Map<string, Labels[]>>();

  constructor(private readonly metrics: GeneratorMetrics) {}

  consume(request: ExportTraceServiceRequest): void {
    this.record(this.read(request));
  }

  /** Each span's series and latency, in order, read without counting anything yet. */
  read(request: ExportTraceServiceRequest): SpanMetricsFacts {
    const series: Labels[] = [];
    const latencies: number[] = [];
    for (const rs of request.resourceSpans) {
      const service = findAttribute('service.name', rs.resource?.attributes) ?? '';
      let byName = this.series.get(service);
      if (!byName) this.series.set(service, (byName = new Map()));
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          series.push(this.labelsOf(byName, service, span.name, span.kind, span.status?.code ?? 0));
          latencies.push(durationSeconds(span));
        }
      }
    }
    return { series, latencies };
  }

  /** Counts what {@link read} found. */
  record(facts: SpanMetricsFacts): void {
    const calls = new Map<Labels, number>();
    for (let i = 0; i < facts.series.length; i++) {
      const labels = facts.series[i];
      calls.set(labels, (calls.get(labels) ?? 0) + 1);
      this.metrics.latency.observeSeries(labels, facts.latencies[i]);
    }
    // Map order is first-seen order, so series appear in the registry in the order they did before.
    for (const [labels, count] of calls) this.metrics.callsTotal.inc(labels, count);
  }

  private labelsOf(byName: Map<string, Labels[]>, service: string, name: string, kind: number, code: number): Labels {
    let byKindStatus = byName.get(name);
    if (!byKindStatus) byName.set(name, (byKindStatus = []));
    // Unknown kinds and codes fall back to the zero names, as their labels do.
    const k = SPAN_KIND_NAMES[kind] === undefined ? 0 : kind;
    const s = STATUS_CODE_NAMES[code] === undefined ? 0 : code;
    const slot = k * STATUS_CODE_NAMES.length + s;
    return (byKindStatus[slot] ??= { service, span_name: name, span_kind: SPAN_KIND_NAMES[k], status_code: STATUS_CODE_NAMES[s] });
  }
}
