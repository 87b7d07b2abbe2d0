/**
 * The first stage of a metrics query: spans in, one series per `by(...)` group out. Each
 * function keeps a value per interval of the range (counts, minima, power-of-two histograms...)
 * and becomes Tempo's series shape at the end: `__name__` when ungrouped, `__bucket` for
 * histogram_over_time, `p` for quantile_over_time.
 */
import type { QuerySpan } from '../storage.ts';
import type { Attribute, Intrinsic, MetricsAggregate } from '../ast.ts';
import { stringify } from '../ast-stringer.ts';
import { evaluateField, NIL, type Value } from '../evaluate-field.ts';
import type { TraceIndex } from '../trace-index.ts';
import { log2Bucket, log2Quantile, type HistogramBucket } from './log2-histogram.ts';
import { labelsKey, stringLabel, type Exemplar, type Label, type Series, type SeriesSet } from './series.ts';
import type { IntervalMapper } from './time-range.ts';

/** Consumes the spans a metrics pipeline selected, each with the interval it started in. */
export interface SpanObserver {
  observe(span: QuerySpan, ti: TraceIndex, interval: number): void;
  result(): SeriesSet;
  /** True once `maxSeries` groups exist and further ones were dropped. */
  readonly truncated: boolean;
}

/** Limits of one evaluation. */
export interface ObserverLimits {
  /** Exemplars kept per series and interval (0: none). */
  exemplarsPerInterval: number;
  /** Most groups (series before quantiles and buckets); further ones are dropped. */
  maxSeries: number;
}

interface Group {
  labels: Label[];
  /** count/rate/sum/min/max/avg: one value per interval; avg also keeps `counts`. */
  values: Float64Array;
  counts?: Float64Array;
  /** histogram/quantile: bucket upper bound → count, per interval (made on first use). */
  histograms?: Array<Map<number, number> | undefined>;
  exemplars: Exemplar[];
  exemplarsIn: Uint16Array;
}

/** The label name Tempo gives a field: its TraceQL text (`resource.service.name`, `name`). */
export function fieldLabelName(f: Attribute | Intrinsic): string {
  const text = stringify({ type: 'root', pipeline: { type: 'pipeline', elements: [{ type: 'spansetFilter', expr: f }] } });
  return text.slice(2, -2);
}

/** The number a span contributes: durations in seconds; NaN when the field is not numeric. */
export function numericValue(f: Attribute | Intrinsic, span: QuerySpan, ti: TraceIndex): number {
  if (f.type === 'intrinsic' && f.name === 'duration') return span.durationNanos / 1e9;
  const v = evaluateField(f, span, ti);
  switch (v.t) {
    case 'int':
    case 'float':
      return v.v;
    case 'duration':
      return v.v / 1e9;
    default:
      return NaN;
  }
}

/** The power-of-two bucket a span falls in: durations bucketed in nanos and shown in seconds, ints as they are. */
function bucketValue(f: Attribute | Intrinsic, span: QuerySpan, ti: TraceIndex): number {
  if (f.type === 'intrinsic' && f.name === 'duration') {
    const b = log2Bucket(span.durationNanos);
    return b < 0 ? -1 : b / 1e9;
  }
  const v = evaluateField(f, span, ti);
  if (v.t === 'duration') {
    const b = log2Bucket(Math.round(v.v));
    return b < 0 ? -1 : b / 1e9;
  }
  // Floats have no power-of-two bucket in Tempo either.
  return v.t === 'int' ? log2Bucket(v.v) : -1;
}

export class FirstStage implements SpanObserver {
  private readonly groups = new Map<string, Group>();
  private readonly names: string[];
  truncated = false;

  constructor(
    private readonly agg: MetricsAggregate,
    private readonly mapper: IntervalMapper,
    private readonly limits: ObserverLimits,
  ) {
    this.names = agg.by.map(fieldLabelName);
  }

  observe(span: QuerySpan, ti: TraceIndex, interval: number): void {
    const group = this.groupOf(span, ti);
    if (!group) return;
    const fn = this.agg.fn;
    let exemplarValue = NaN;
    let bucket: number | undefined;
    switch (fn) {
      case 'rate':
      case 'count_over_time':
        group.values[interval]! += 1;
        break;
      case 'histogram_over_time':
      case 'quantile_over_time': {
        const b = bucketValue(this.agg.attr!, span, ti);
        if (b < 0) return;
        const h = (group.histograms![interval] ??= new Map());
        h.set(b, (h.get(b) ?? 0) + 1);
        bucket = b;
        exemplarValue = numericValue(this.agg.attr!, span, ti);
        break;
      }
      default: {
        const v = numericValue(this.agg.attr!, span, ti);
        if (Number.isNaN(v)) return;
        const cur = group.values[interval]!;
        if (fn === 'avg_over_time') {
          group.values[interval] = (Number.isNaN(cur) ? 0 : cur) + v;
          group.counts![interval]! += 1;
        } else if (fn === 'sum_over_time') group.values[interval] = (Number.isNaN(cur) ? 0 : cur) + v;
        else if (fn === 'min_over_time') group.values[interval] = Number.isNaN(cur) || v < cur ? v : cur;
        else group.values[interval] = Number.isNaN(cur) || v > cur ? v : cur;
        exemplarValue = v;
      }
    }
    if (group.exemplarsIn[interval]! < this.limits.exemplarsPerInterval) {
      group.exemplarsIn[interval]! += 1;
      group.exemplars.push({
        labels: [stringLabel('trace:id', span.traceId), stringLabel('span:id', span.spanId)],
        value: exemplarValue,
        timestampMs: Number(span.startTimeUnixNano / 1_000_000n),
        interval,
        ...(bucket === undefined ? {} : { bucket }),
      });
    }
  }

  private groupOf(span: QuerySpan, ti: TraceIndex): Group | undefined {
    const by = this.agg.by;
    let values: Value[] = [];
    let key = '';
    if (by.length === 1) {
      // The common case, without an array and JSON per span.
      const v = evaluateField(by[0]!, span, ti);
      values = [v];
      key = v.t === 'string' ? `s${v.v}` : JSON.stringify(v);
    } else if (by.length > 1) {
      values = by.map((f) => evaluateField(f, span, ti));
      key = JSON.stringify(values);
    }
    let group = this.groups.get(key);
    if (group) return group;
    if (this.groups.size >= this.limits.maxSeries) {
      this.truncated = true;
      return undefined;
    }
    const n = this.mapper.count;
    const counting = this.agg.fn === 'rate' || this.agg.fn === 'count_over_time';
    group = {
      labels: this.labelsFor(values),
      values: new Float64Array(n).fill(counting ? 0 : NaN),
      exemplars: [],
      exemplarsIn: new Uint16Array(n),
    };
    if (this.agg.fn === 'avg_over_time') group.counts = new Float64Array(n);
    if (this.agg.fn === 'histogram_over_time' || this.agg.fn === 'quantile_over_time') {
      group.histograms = new Array<Map<number, number> | undefined>(n).fill(undefined);
    }
    this.groups.set(key, group);
    return group;
  }

  /** Tempo's labels: the non-nil group values; all nil gives the first name with nil; none gives `__name__`. */
  private labelsFor(values: Value[]): Label[] {
    if (this.agg.by.length === 0) return [stringLabel('__name__', this.agg.fn)];
    const labels: Label[] = [];
    values.forEach((value, i) => {
      if (value.t !== 'nil') labels.push({ name: this.names[i]!, value });
    });
    return labels.length ? labels : [{ name: this.names[0]!, value: NIL }];
  }

  result(): SeriesSet {
    const out: SeriesSet = new Map();
    const add = (s: Series) => out.set(labelsKey(s.labels), s);
    const perSecond = this.mapper.intervalSeconds;
    for (const g of this.groups.values()) {
      switch (this.agg.fn) {
        case 'rate':
          add({ labels: g.labels, values: g.values.map((v) => v / perSecond), exemplars: g.exemplars });
          break;
        case 'avg_over_time':
          add({ labels: g.labels, values: g.values.map((v, i) => (g.counts![i]! > 0 ? v / g.counts![i]! : NaN)), exemplars: g.exemplars });
          break;
        case 'histogram_over_time':
          this.histogramSeries(g).forEach(add);
          break;
        case 'quantile_over_time':
          this.quantileSeries(g).forEach(add);
          break;
        default:
          add({ labels: g.labels, values: g.values, exemplars: g.exemplars });
      }
    }
    return out;
  }

  /** One series per bucket, counting the spans in it per interval (0 where none). */
  private histogramSeries(g: Group): Series[] {
    const byBucket = new Map<number, Series>();
    g.histograms!.forEach((h, i) => {
      for (const [bucket, count] of h ?? []) {
        let s = byBucket.get(bucket);
        if (!s) {
          s = { labels: [...g.labels, { name: '__bucket', value: { t: 'float', v: bucket } }], values: new Float64Array(g.histograms!.length), exemplars: [] };
          byBucket.set(bucket, s);
        }
        s.values[i] = count;
      }
    });
    for (const e of g.exemplars) {
      if (e.bucket !== undefined) byBucket.get(e.bucket)?.exemplars.push(e);
    }
    return [...byBucket.values()];
  }

  /** One series per quantile, interpolated in each interval's histogram (0 where empty, as Tempo). */
  private quantileSeries(g: Group): Series[] {
    const qs = this.agg.quantiles ?? [];
    const sorted: HistogramBucket[][] = g.histograms!.map((h) =>
      [...(h ?? [])].map(([max, count]) => ({ max, count })).sort((a, b) => a.max - b.max),
    );
    const series = qs.map(
      (q): Series => ({
        labels: [...g.labels, { name: 'p', value: { t: 'float', v: q } }],
        values: Float64Array.from(sorted, (buckets) => log2Quantile(q, buckets)),
        exemplars: [],
      }),
    );
    // Each exemplar goes to the quantile series whose value at its time is nearest.
    for (const e of g.exemplars) {
      let best = -1;
      let bestDiff = Infinity;
      series.forEach((s, i) => {
        const diff = Math.abs(s.values[e.interval]! - e.value);
        if (diff < bestDiff) {
          bestDiff = diff;
          best = i;
        }
      });
      if (best >= 0) series[best]!.exemplars.push(e);
    }
    return series;
  }
}
