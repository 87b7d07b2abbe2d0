/**
 * Tempo's `/api/metrics/query_range` answer → what the metrics chart, legend and table draw:
 * series named by their `by()` labels, points in time order, exemplars with the trace they open.
 */
import { anyValueToText } from './any-value.ts';
import { isSpanIdHex, isTraceIdHex, normalizeTraceId } from './ids.ts';
import type { KeyValue, MetricsSeries, QueryInstantResponse, QueryRangeResponse } from './tempo-types.ts';

/** One label of a series, as text. */
export interface SeriesLabel {
  name: string;
  value: string;
  /** Strings are quoted in the series name, numbers and booleans are not (as Grafana writes them). */
  quoted: boolean;
}

export interface ChartPoint {
  /** Unix milliseconds. */
  t: number;
  v: number;
}

export interface ChartExemplar extends ChartPoint {
  /** Hex, validated; undefined when the exemplar names no (valid) trace. */
  traceId?: string;
  spanId?: string;
}

export interface ChartSeries {
  /** `{resource.service.name="order"}`, or the function (`rate`) when ungrouped. */
  name: string;
  labels: SeriesLabel[];
  points: ChartPoint[];
  exemplars: ChartExemplar[];
  /** histogram_over_time: the bucket's upper bound (`__bucket`). */
  bucket?: number;
}

/** The chart's model of one answer. */
export interface MetricsChartModel {
  series: ChartSeries[];
  /** The interval between samples (the smallest gap seen), 0 when unknown. */
  stepMs: number;
  /** True when the series are histogram_over_time buckets. */
  histogram: boolean;
  /** The server's reason when the answer is partial. */
  partial?: string;
}

const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : Number(v));

function seriesLabels(kvs: KeyValue[] | undefined): SeriesLabel[] {
  return (kvs ?? []).map((kv) => ({ name: String(kv.key ?? ''), value: anyValueToText(kv.value), quoted: kv.value?.stringValue !== undefined }));
}

/** A series' display name: its labels as `{a="x", b=2}` with `__name__` and `__bucket` left to the chart. */
export function seriesName(labels: SeriesLabel[]): string {
  const shown = labels.filter((l) => l.name !== '__name__');
  if (shown.length === 0) return labels.find((l) => l.name === '__name__')?.value || 'value';
  return `{${shown.map((l) => `${l.name}=${l.quoted ? JSON.stringify(l.value) : l.value}`).join(', ')}}`;
}

function exemplarIds(kvs: KeyValue[] | undefined): { traceId?: string; spanId?: string } {
  const out: { traceId?: string; spanId?: string } = {};
  for (const kv of kvs ?? []) {
    const text = anyValueToText(kv.value);
    if (kv.key === 'trace:id' && isTraceIdHex(text)) out.traceId = normalizeTraceId(text);
    if (kv.key === 'span:id' && isSpanIdHex(text)) out.spanId = text.toLowerCase();
  }
  return out;
}

function toChartSeries(s: MetricsSeries): ChartSeries {
  const labels = seriesLabels(s.labels);
  const points: ChartPoint[] = [];
  for (const sample of s.samples ?? []) {
    const t = num(sample.timestampMs);
    const v = num(sample.value);
    if (Number.isFinite(t) && Number.isFinite(v)) points.push({ t, v });
  }
  points.sort((a, b) => a.t - b.t);
  const exemplars: ChartExemplar[] = [];
  for (const e of s.exemplars ?? []) {
    const t = num(e.timestampMs);
    const v = num(e.value);
    if (Number.isFinite(t) && Number.isFinite(v)) exemplars.push({ t, v, ...exemplarIds(e.labels) });
  }
  const out: ChartSeries = { name: seriesName(labels), labels, points, exemplars };
  const bucket = labels.find((l) => l.name === '__bucket');
  if (bucket && Number.isFinite(Number(bucket.value))) out.bucket = Number(bucket.value);
  return out;
}

/**
 * The answer as chart series, in the server's order, except that histogram buckets are ordered
 * by their other labels and then by bucket bound (the server sorts the bound as text).
 */
export function metricsChartModel(body: QueryRangeResponse): MetricsChartModel {
  const series = (body.series ?? []).map(toChartSeries);
  const histogram = series.length > 0 && series.every((s) => s.bucket !== undefined);
  if (histogram) {
    const rest = (s: ChartSeries) => seriesName(s.labels.filter((l) => l.name !== '__bucket'));
    series.sort((a, b) => (rest(a) < rest(b) ? -1 : rest(a) > rest(b) ? 1 : a.bucket! - b.bucket!));
  }
  let stepMs = 0;
  for (const s of series) {
    for (let i = 1; i < s.points.length; i++) {
      const gap = s.points[i].t - s.points[i - 1].t;
      if (gap > 0 && (stepMs === 0 || gap < stepMs)) stepMs = gap;
    }
  }
  const model: MetricsChartModel = { series, stepMs, histogram };
  if (body.status === 'PARTIAL') model.partial = body.message || 'the answer is partial';
  return model;
}

/**
 * What the values measure, from the query: seconds for a quantile, min, max, sum or average of
 * `duration`/`traceDuration` (Tempo answers durations in seconds); plain numbers otherwise.
 */
export function metricsValueUnit(query: string): 'seconds' | 'number' {
  return /\b(?:quantile|avg|min|max|sum)_over_time\s*\(\s*(?:span:|trace:)?(?:duration|traceDuration)\b/.test(query) ? 'seconds' : 'number';
}

/** A value with three significant digits, no exponent below a trillion: 0.0123, 4.56, 12300. */
export function formatMetricValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e12 || abs < 1e-6) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/** Unix milliseconds of every sample of any series, ascending (the table's rows). */
export function sampleTimes(series: ChartSeries[]): number[] {
  const set = new Set<number>();
  for (const s of series) for (const p of s.points) set.add(p.t);
  return [...set].sort((a, b) => a - b);
}

/** What histogram bounds measure: seconds for `histogram_over_time(duration)`, else plain numbers. */
export function histogramBucketUnit(query: string): 'seconds' | 'number' {
  return /\bhistogram_over_time\s*\(\s*(?:span:|trace:)?(?:duration|traceDuration)\b/.test(query) ? 'seconds' : 'number';
}

/** True when every histogram bucket belongs to one group (no `by()` labels apart from `__bucket`). */
export function isSingleHistogram(model: MetricsChartModel): boolean {
  if (!model.histogram) return false;
  const rest = new Set(model.series.map((s) => seriesName(s.labels.filter((l) => l.name !== '__bucket' && l.name !== '__name__'))));
  return rest.size === 1;
}

/**
 * Where an exemplar sits on a line chart. A histogram exemplar's value is the span's duration,
 * not a count, so it is drawn on its bucket's line at the interval it fell in (right-closed: the
 * first sample at or after it); other exemplars at their value.
 */
export function exemplarPlotValue(series: ChartSeries, e: ChartExemplar): number {
  if (series.bucket === undefined) return e.v;
  return series.points.find((p) => p.t >= e.t)?.v ?? e.v;
}

/** One series of an instant answer. */
export interface InstantValue {
  name: string;
  labels: SeriesLabel[];
  value: number;
}

/** An instant answer's series (non-finite values left out), in the server's order, and its partial reason. */
export function instantValues(body: QueryInstantResponse): { values: InstantValue[]; partial?: string } {
  const values: InstantValue[] = [];
  for (const s of body.series ?? []) {
    const value = num(s.value);
    const labels = seriesLabels(s.labels);
    if (Number.isFinite(value)) values.push({ name: seriesName(labels), labels, value });
  }
  return body.status === 'PARTIAL' ? { values, partial: body.message || 'the answer is partial' } : { values };
}
