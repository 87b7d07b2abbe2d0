/**
 * What runs on series after the first stage: `topk`/`bottomk` (per interval, the k highest or
 * lowest series keep their value there), value filters (`> 10` keeps only the values that pass),
 * and arithmetic between series sets or with a number.
 */
import type { MetricsSecondStage } from '../ast.ts';
import { compare } from '../evaluate-field.ts';
import { labelsKey, stringLabel, type Label, type Series, type SeriesSet } from './series.ts';

export function applySecondStages(set: SeriesSet, stages: MetricsSecondStage[], intervals: number): SeriesSet {
  let out = set;
  for (const stage of stages) {
    out = stage.type === 'metricsFilter' ? filterValues(out, stage.op, stage.value) : topOrBottom(out, stage.type, stage.limit, intervals);
  }
  return out;
}

function filterValues(set: SeriesSet, op: string, bound: number): SeriesSet {
  const out: SeriesSet = new Map();
  for (const [key, s] of set) {
    const values = s.values.map((v) => (!Number.isNaN(v) && compare(op, { t: 'float', v }, { t: 'float', v: bound }) ? v : NaN));
    out.set(key, { ...s, values });
  }
  return out;
}

function topOrBottom(set: SeriesSet, which: 'topk' | 'bottomk', k: number, intervals: number): SeriesSet {
  const out: SeriesSet = new Map();
  const entries = [...set];
  for (let i = 0; i < intervals; i++) {
    const ranked = entries
      .filter(([, s]) => i < s.values.length && !Number.isNaN(s.values[i]!))
      // Ties go to the smaller label key, so answers do not depend on map order.
      .sort(([ka, a], [kb, b]) => (which === 'topk' ? b.values[i]! - a.values[i]! : a.values[i]! - b.values[i]!) || (ka < kb ? -1 : 1))
      .slice(0, k);
    for (const [key, s] of ranked) {
      let kept = out.get(key);
      if (!kept) out.set(key, (kept = { ...s, values: new Float64Array(s.values.length).fill(NaN) }));
      kept.values[i] = s.values[i]!;
    }
  }
  return out;
}

type MathOp = '+' | '-' | '*' | '/';

function arithmetic(op: MathOp, a: number, b: number): number {
  const n = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
  // Division by zero has no sample rather than an infinity JSON cannot carry.
  return Number.isFinite(n) ? n : NaN;
}

/** A series set with a number on one side. */
export function mathWithNumber(op: MathOp, set: SeriesSet, n: number, numberOnLeft: boolean): SeriesSet {
  const out: SeriesSet = new Map();
  for (const [key, s] of set) {
    out.set(key, { ...s, values: s.values.map((v) => (numberOnLeft ? arithmetic(op, n, v) : arithmetic(op, v, n))) });
  }
  return out;
}

/** The labels that identify a series for matching: all but `__name__`. */
function matchKey(labels: Label[]): string {
  return labelsKey(labels.filter((l) => l.name !== '__name__'));
}

/**
 * Two series sets combined value by value. Series match on their labels other than `__name__`;
 * a side that is one unlabelled series (an ungrouped query) applies to every series of the other.
 * `__name__` becomes `(lhs op rhs)` when both sides have one.
 */
export function mathBetween(op: MathOp, lhs: SeriesSet, rhs: SeriesSet): SeriesSet {
  const index = (set: SeriesSet) => new Map([...set.values()].map((s) => [matchKey(s.labels), s]));
  const l = index(lhs);
  const r = index(rhs);
  const lAll = l.size === 1 ? l.get(labelsKey([])) : undefined;
  const rAll = r.size === 1 ? r.get(labelsKey([])) : undefined;
  const keys = rAll && !lAll ? [...l.keys()] : lAll && !rAll ? [...r.keys()] : [...l.keys()].filter((k) => r.has(k));
  const out: SeriesSet = new Map();
  for (const key of keys) {
    const a = l.get(key) ?? lAll!;
    const b = r.get(key) ?? rAll!;
    const n = Math.min(a.values.length, b.values.length);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = arithmetic(op, a.values[i]!, b.values[i]!);
    const labels = mergeLabels(op, a.labels, b.labels);
    const series: Series = { labels, values, exemplars: [...a.exemplars, ...b.exemplars] };
    out.set(labelsKey(labels), series);
  }
  return out;
}

function mergeLabels(op: MathOp, a: Label[], b: Label[]): Label[] {
  const out = a.filter((l) => l.name !== '__name__');
  for (const label of b) if (label.name !== '__name__' && !out.some((x) => x.name === label.name)) out.push(label);
  const an = a.find((l) => l.name === '__name__');
  const bn = b.find((l) => l.name === '__name__');
  if (an && bn && an.value.t === 'string' && bn.value.t === 'string') {
    out.unshift(stringLabel('__name__', `(${an.value.v} ${op} ${bn.value.v})`));
  }
  return out;
}
