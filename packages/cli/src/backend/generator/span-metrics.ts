/**
 * Tempo's span-metrics processor: for every span, one call, one latency observation and its size
 * in bytes under its series — by default (service, span_name, span_kind, status_code), Tempo's
 * intrinsic dimensions — and, with target info on, one `traces_target_info` series per resource.
 */
import { otlpTypes, receivedSpanBytes, type ExportTraceServiceRequest, type KeyValue, type Span } from '../otlp/index.ts';
import { labelNameAvoiding, type ResolvedGeneratorOptions } from './config.ts';
import type { GeneratorMetrics, SpanMetricsLabel, SpanMetricsLabelPlan } from './metrics.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, durationSeconds, findAttribute } from './span-facts.ts';

type Labels = Record<SpanMetricsLabel, string>;

/** One request's spans as span metrics see them: the series of each, its latency (s) and size (bytes). */
export interface SpanMetricsFacts {
  series: Labels[];
  latencies: number[];
  sizes: number[];
  /** `traces_target_info` label sets of the request's resources (target info on only). */
  targets: Record<string, string>[];
}

/** Resource attributes that name the target rather than describe it (Tempo leaves them out of target info). */
const IDENTIFYING = new Set(['service.name', 'service.namespace', 'service.instance.id']);
/** Label names of span metrics that a target-info attribute must not take. */
const TARGET_INFO_TAKEN = new Set(['service', 'span_name', 'span_kind', 'status_code', 'status_message', 'job', 'instance']);

/**
 * The encoded size of a span, as Tempo's `span.Size()` counts it: the bytes it arrived in, or its
 * protobuf encoding for a span that came as JSON or Zipkin.
 */
export function spanSize(span: Span): number {
  return receivedSpanBytes(span)?.length ?? otlpTypes.Span.encode(span as never).finish().length;
}

/** Tempo's `job` (namespace/name, or name) and `instance` (service.instance.id) of a resource. */
function jobAndInstance(attrs: readonly KeyValue[] | undefined): { job: string; instance: string } {
  const name = findAttribute('service.name', attrs) ?? '';
  const namespace = findAttribute('service.namespace', attrs);
  return { job: name === '' ? '' : namespace ? `${namespace}/${name}` : name, instance: findAttribute('service.instance.id', attrs) ?? '' };
}

/**
 * Records every span of each request. A series' label object is built once and kept (the
 * registry keeps one per series anyway), and calls and sizes are counted per series per request,
 * so the registry hashes a label set once per series for each counter instead of once per span.
 */
export class SpanMetricsProcessor {
  /** Default labels: service → span name → label objects by kind * STATUS_CODE_NAMES.length + status. */
  private readonly series = new Map<string, Map<string, Labels[]>>();
  /** Other label plans: label objects by their joined values. */
  private readonly byValues = new Map<string, Labels>();
  private readonly plan: SpanMetricsLabelPlan;
  private readonly defaultPlan: boolean;
  private readonly excluded: ReadonlySet<string>;

  constructor(
    private readonly metrics: GeneratorMetrics,
    private readonly options: ResolvedGeneratorOptions,
  ) {
    this.plan = metrics.spanLabels;
    this.defaultPlan = this.plan.names.join() === 'service,span_name,span_kind,status_code';
    this.excluded = new Set(options.targetInfoExcludedDimensions);
  }

  consume(request: ExportTraceServiceRequest): void {
    this.record(this.read(request));
  }

  /** Each span's series, latency and size, in order, read without counting anything yet. */
  read(request: ExportTraceServiceRequest): SpanMetricsFacts {
    const facts: SpanMetricsFacts = { series: [], latencies: [], sizes: [], targets: [] };
    for (const rs of request.resourceSpans) {
      const resourceAttrs = rs.resource?.attributes;
      const service = findAttribute('service.name', resourceAttrs) ?? '';
      const target = this.options.enableTargetInfo ? jobAndInstance(resourceAttrs) : undefined;
      let byName = this.series.get(service);
      if (!byName) this.series.set(service, (byName = new Map()));
      let spans = 0;
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          const labels = this.defaultPlan
            ? this.defaultLabels(byName, service, span.name, span.kind, span.status?.code ?? 0)
            : this.planLabels(service, span, resourceAttrs, target);
          facts.series.push(labels);
          facts.latencies.push(durationSeconds(span));
          facts.sizes.push(spanSize(span));
          spans++;
        }
      }
      if (target && spans > 0) {
        const info = this.targetInfoLabels(resourceAttrs, target);
        if (info) facts.targets.push(info);
      }
    }
    return facts;
  }

  /** Counts what {@link read} found. */
  record(facts: SpanMetricsFacts): void {
    const calls = new Map<Labels, { count: number; bytes: number }>();
    for (let i = 0; i < facts.series.length; i++) {
      const labels = facts.series[i]!;
      const seen = calls.get(labels);
      if (seen) {
        seen.count++;
        seen.bytes += facts.sizes[i]!;
      } else calls.set(labels, { count: 1, bytes: facts.sizes[i]! });
      this.metrics.latency.observeSeries(labels, facts.latencies[i]!);
    }
    // Map order is first-seen order, so series appear in the registry in the order they did before.
    for (const [labels, { count, bytes }] of calls) {
      this.metrics.callsTotal.inc(labels, count);
      this.metrics.sizeTotal.inc(labels, bytes);
    }
    for (const target of facts.targets) this.metrics.targetInfo?.set(target);
  }

  private defaultLabels(byName: Map<string, Labels[]>, service: string, name: string, kind: number, code: number): Labels {
    let byKindStatus = byName.get(name);
    if (!byKindStatus) byName.set(name, (byKindStatus = []));
    // Unknown kinds and codes fall back to the zero names, as their labels do.
    const k = SPAN_KIND_NAMES[kind] === undefined ? 0 : kind;
    const s = STATUS_CODE_NAMES[code] === undefined ? 0 : code;
    const slot = k * STATUS_CODE_NAMES.length + s;
    return (byKindStatus[slot] ??= { service, span_name: name, span_kind: SPAN_KIND_NAMES[k]!, status_code: STATUS_CODE_NAMES[s]! });
  }

  /** The labels of a span under a non-default plan, in Tempo's order. */
  private planLabels(service: string, span: Span, resourceAttrs: readonly KeyValue[] | undefined, target: { job: string; instance: string } | undefined): Labels {
    const values: string[] = [];
    for (const dim of this.plan.intrinsic) {
      if (dim === 'service') values.push(service);
      else if (dim === 'span_name') values.push(span.name);
      else if (dim === 'span_kind') values.push(SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0]);
      else if (dim === 'status_code') values.push(STATUS_CODE_NAMES[span.status?.code ?? 0] ?? STATUS_CODE_NAMES[0]);
      else values.push(span.status?.message ?? '');
    }
    for (const { attribute } of this.plan.dimensions) values.push(findAttribute(attribute, resourceAttrs, span.attributes) ?? '');
    if (this.plan.job) values.push(target?.job ?? '');
    if (this.plan.instance) values.push(target?.instance ?? '');
    const key = values.join('\u0000');
    let labels = this.byValues.get(key);
    if (!labels) {
      labels = {};
      this.plan.names.forEach((name, i) => (labels![name] = values[i]!));
      this.byValues.set(key, labels);
    }
    return labels;
  }

  /**
   * A resource's `traces_target_info` labels: every attribute but the identifying ones and the
   * excluded, sanitized, plus job and instance; none unless it has more than those two (Tempo's
   * buildAndSetTargetInfoLabels).
   */
  private targetInfoLabels(attrs: readonly KeyValue[] | undefined, target: { job: string; instance: string }): Record<string, string> | undefined {
    const labels: Record<string, string> = {};
    let described = 0;
    for (const kv of attrs ?? []) {
      if (kv.key === '' || /^[0-9]/.test(kv.key) || IDENTIFYING.has(kv.key) || this.excluded.has(kv.key)) continue;
      labels[labelNameAvoiding(kv.key, TARGET_INFO_TAKEN)] = findAttribute(kv.key, [kv]) ?? '';
      described++;
    }
    let identifying = 0;
    if (target.job !== '') {
      labels.job = target.job;
      identifying++;
    }
    if (target.instance !== '' && this.options.enableInstanceLabel) {
      labels.instance = target.instance;
      identifying++;
    }
    return identifying > 0 && described > 0 ? labels : undefined;
  }
}
