/**
 * `compare({ filter }, topN, start, end)`: for every attribute of the spans in range, how often
 * each value occurs among the spans the filter selects (optionally only those that started in
 * (start, end], unix nanoseconds) and
 * among the rest (the baseline), per interval. Tempo's series: `__meta_type` = baseline /
 * selection with the attribute and one of its topN most frequent values, and baseline_total /
 * selection_total per attribute.
 */
import type { AttrValue, QuerySpan } from '../storage.ts';
import type { MetricsCompare } from '../ast.ts';
import { fromAttr, NIL, spanMatches, type Value } from '../evaluate-field.ts';
import type { TraceIndex } from '../trace-index.ts';
import type { SpanObserver } from './first-stage.ts';
import { labelsKey, stringLabel, type Series, type SeriesSet } from './series.ts';
import type { IntervalMapper } from './time-range.ts';

const STATUS = ['unset', 'ok', 'error'] as const;
const KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

interface ValueCounts {
  value: Value;
  counts: Float64Array;
}

interface Side {
  /** attribute label → value key → counts. */
  values: Map<string, Map<string, ValueCounts>>;
  totals: Map<string, Float64Array>;
}

export class CompareStage implements SpanObserver {
  readonly truncated = false;
  private readonly baseline: Side = { values: new Map(), totals: new Map() };
  private readonly selection: Side = { values: new Map(), totals: new Map() };
  private readonly windowStart: bigint;
  private readonly windowEnd: bigint;

  constructor(
    private readonly cmp: MetricsCompare,
    private readonly mapper: IntervalMapper,
  ) {
    // Unix nanoseconds; a double holds them to within a few hundred ns, which a window tolerates.
    this.windowStart = BigInt(Math.round(cmp.start));
    this.windowEnd = BigInt(Math.round(cmp.end));
  }

  observe(span: QuerySpan, ti: TraceIndex, interval: number): void {
    const inWindow =
      this.cmp.start <= 0 || this.cmp.end <= 0 || (span.startTimeUnixNano > this.windowStart && span.startTimeUnixNano <= this.windowEnd);
    const side = inWindow && spanMatches(this.cmp.filter.expr, span, ti) ? this.selection : this.baseline;
    const add = (name: string, value: Value) => {
      let values = side.values.get(name);
      if (!values) side.values.set(name, (values = new Map()));
      const key = JSON.stringify(value);
      let vc = values.get(key);
      if (!vc) values.set(key, (vc = { value, counts: new Float64Array(this.mapper.count) }));
      vc.counts[interval]! += 1;
      let totals = side.totals.get(name);
      if (!totals) side.totals.set(name, (totals = new Float64Array(this.mapper.count)));
      totals[interval]! += 1;
    };
    add('name', { t: 'string', v: span.name });
    add('status', { t: 'status', v: STATUS[span.statusCode] ?? 'unset' });
    add('kind', { t: 'kind', v: KIND[span.kind] ?? 'unspecified' });
    if (span.statusMessage !== '') add('statusMessage', { t: 'string', v: span.statusMessage });
    const each = (prefix: string, attrs: Record<string, AttrValue>) => {
      for (const key in attrs) {
        const v = fromAttr(attrs[key]);
        // Lists and maps have no single value to count (Tempo skips them too).
        if (v.t === 'nil' || v.t === 'list') continue;
        add(`${prefix}.${key}`, v);
      }
    };
    each('span', span.attributes);
    each('resource', span.resource);
  }

  result(): SeriesSet {
    const out: SeriesSet = new Map();
    const add = (s: Series) => out.set(labelsKey(s.labels), s);
    const sides: Array<[string, Side]> = [
      ['baseline', this.baseline],
      ['selection', this.selection],
    ];
    for (const [type, side] of sides) {
      for (const [name, values] of side.values) {
        const ranked = [...values.values()]
          .map((vc) => ({ vc, total: vc.counts.reduce((a, b) => a + b, 0) }))
          .sort((a, b) => b.total - a.total || (JSON.stringify(a.vc.value) < JSON.stringify(b.vc.value) ? -1 : 1))
          .slice(0, this.cmp.topN);
        for (const { vc } of ranked) {
          add({ labels: [stringLabel('__meta_type', type), { name, value: vc.value }], values: vc.counts, exemplars: [] });
        }
      }
      for (const [name, totals] of side.totals) {
        add({ labels: [stringLabel('__meta_type', `${type}_total`), { name, value: NIL }], values: totals, exemplars: [] });
      }
    }
    return out;
  }
}
