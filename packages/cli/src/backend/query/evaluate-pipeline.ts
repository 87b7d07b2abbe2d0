/**
 * Evaluates a validated query on one trace: the trace's spans enter as one spanset, each
 * pipeline stage filters spansets, and the trace matches when a spanset comes out. Structural
 * operators look at the whole stored trace tree, not only at the spans still selected. Pure.
 */
import type { QuerySpan } from './storage.ts';
import type {
  Aggregate,
  FieldExpression,
  Pipeline,
  PipelineElement,
  RootExpr,
  ScalarExpression,
  SpansetOp,
  SpansetOperation,
} from './ast.ts';
import { stringify } from './ast-stringer.ts';
import { TraceQLUnsupportedError } from './errors.ts';
import { arithmetic, compare, evaluateField, fromStatic, isNumeric, NIL, spanMatches, type Value } from './evaluate-field.ts';
import { ancestorsOf, parentOf, type TraceIndex } from './trace-index.ts';

/** A set of spans of one trace that matched together. */
export interface Spanset {
  spans: QuerySpan[];
  /** What `by(...)` grouped on and the aggregates a scalar filter computed, in order. */
  attributes?: SpansetAttribute[];
}

export interface SpansetAttribute {
  /** The stage as TraceQL: `by(.a)`, `count()`, `avg(duration)`. */
  key: string;
  value: Value;
}

/** The spansets a query yields for a trace (empty when the trace does not match). */
export function evaluateQuery(root: RootExpr, ti: TraceIndex): Spanset[] {
  return evaluatePipeline(root.pipeline, [{ spans: ti.trace.spans }], ti);
}

function evaluatePipeline(p: Pipeline, input: Spanset[], ti: TraceIndex): Spanset[] {
  let sets = input;
  for (const el of p.elements) {
    if (sets.length === 0) break;
    sets = evaluateElement(el, sets, ti);
  }
  return sets;
}

function evaluateElement(el: PipelineElement, input: Spanset[], ti: TraceIndex): Spanset[] {
  switch (el.type) {
    case 'spansetFilter':
      return nonEmpty(input.map((ss) => ({ spans: ss.spans.filter((s) => spanMatches(el.expr, s, ti)) })));
    case 'spansetOperation':
      return nonEmpty(input.map((ss) => ({ spans: spansetOperation(el, ss, ti) })));
    case 'pipeline':
      return evaluatePipeline(el, input, ti);
    case 'scalarFilter': {
      const out: Spanset[] = [];
      for (const ss of input) {
        const computed: SpansetAttribute[] = [];
        if (compare(el.op, scalarValue(el.lhs, ss, ti, computed), scalarValue(el.rhs, ss, ti, computed))) {
          out.push(computed.length ? { ...ss, attributes: [...(ss.attributes ?? []), ...computed] } : ss);
        }
      }
      return out;
    }
    case 'select':
      // Selection only changes what the response shows (see search-response.ts).
      return input;
    case 'by':
      return groupBy(el.expr, stringifyField(el), input, ti);
    case 'coalesce':
      // Every spanset of the trace back into one, as Tempo does.
      return [{ spans: unique(input.flatMap((ss) => ss.spans)) }];
    case 'aggregate':
      throw new TraceQLUnsupportedError('a bare aggregate');
  }
}

/** Splits each spanset by the value `expr` has on each span; a missing value is a group too. */
function groupBy(expr: FieldExpression, key: string, input: Spanset[], ti: TraceIndex): Spanset[] {
  const out: Spanset[] = [];
  for (const ss of input) {
    const groups = new Map<string, Spanset>();
    for (const span of ss.spans) {
      const value = evaluateField(expr, span, ti);
      const id = JSON.stringify(value);
      let group = groups.get(id);
      if (!group) {
        group = { spans: [], attributes: [...(ss.attributes ?? []), { key, value }] };
        groups.set(id, group);
      }
      group.spans.push(span);
    }
    out.push(...groups.values());
  }
  return out;
}

function stringifyField(el: PipelineElement): string {
  return stringify({ type: 'root', pipeline: { type: 'pipeline', elements: [el] } });
}

function nonEmpty(sets: Spanset[]): Spanset[] {
  return sets.filter((ss) => ss.spans.length > 0);
}

function spansOf(el: PipelineElement, ss: Spanset, ti: TraceIndex): QuerySpan[] {
  return unique(evaluateElement(el, [ss], ti).flatMap((s) => s.spans));
}

function unique(spans: QuerySpan[]): QuerySpan[] {
  return [...new Set(spans)];
}

function spansetOperation(op: SpansetOperation, ss: Spanset, ti: TraceIndex): QuerySpan[] {
  const lhs = spansOf(op.lhs, ss, ti);
  const rhs = spansOf(op.rhs, ss, ti);
  switch (op.op) {
    case '&&':
      return lhs.length && rhs.length ? unique([...lhs, ...rhs]) : [];
    case '||':
      return unique([...lhs, ...rhs]);
    default:
      return structural(op.op, lhs, rhs, ti);
  }
}

/**
 * For each right-hand span, the left-hand spans it is related to by `op` (child: its parent;
 * descendant: its ancestors; parent: its children; ancestor: its descendants; sibling: its
 * siblings). Plain operators return the related right spans, `!` ones the unrelated right
 * spans, `&` ones the related spans of both sides.
 */
function structural(op: SpansetOp, lhs: QuerySpan[], rhs: QuerySpan[], ti: TraceIndex): QuerySpan[] {
  const left = new Set(lhs);
  const base = op.replace(/^[!&]/, '');
  const relatedLeft = (r: QuerySpan): QuerySpan[] => {
    switch (base) {
      case '>': {
        const p = parentOf(ti, r);
        return p && left.has(p) ? [p] : [];
      }
      case '>>':
        return ancestorsOf(ti, r).filter((a) => left.has(a));
      case '<':
        return lhs.filter((l) => parentOf(ti, l) === r);
      case '<<':
        return lhs.filter((l) => ancestorsOf(ti, l).includes(r));
      default: // '~'
        return lhs.filter((l) => l !== r && r.parentSpanId !== '' && l.parentSpanId === r.parentSpanId);
    }
  };
  const out: QuerySpan[] = [];
  for (const r of rhs) {
    const related = relatedLeft(r);
    if (op.startsWith('!')) {
      if (related.length === 0) out.push(r);
    } else if (related.length > 0) {
      if (op.startsWith('&')) out.push(...related);
      out.push(r);
    }
  }
  return unique(out);
}

/** A scalar on a spanset; each aggregate's value is also recorded in `computed`. */
function scalarValue(e: ScalarExpression, ss: Spanset, ti: TraceIndex, computed: SpansetAttribute[]): Value {
  switch (e.type) {
    case 'static':
      return fromStatic(e);
    case 'aggregate': {
      const value = aggregate(e, ss, ti);
      computed.push({ key: stringifyField(e), value });
      return value;
    }
    case 'scalarOperation':
      return arithmetic(e.op, scalarValue(e.lhs, ss, ti, computed), scalarValue(e.rhs, ss, ti, computed));
    case 'pipeline':
      throw new TraceQLUnsupportedError('a scalar pipeline in an expression');
  }
}

/** count/avg/min/max/sum over a spanset; spans where the field is not a number are skipped. */
function aggregate(a: Aggregate, ss: Spanset, ti: TraceIndex): Value {
  if (a.fn === 'count') return { t: 'int', v: ss.spans.length };
  const values: Value[] = [];
  for (const span of ss.spans) {
    const v = evaluateField(a.expr!, span, ti);
    if (isNumeric(v)) values.push(v);
  }
  if (values.length === 0) return NIL;
  const t = values.every((v) => v.t === 'duration') ? 'duration' : values.every((v) => v.t === 'int') ? 'int' : 'float';
  const nums = values.map((v) => (v as { v: number }).v);
  let n: number;
  switch (a.fn) {
    case 'min':
      n = nums.reduce((x, y) => (y < x ? y : x));
      break;
    case 'max':
      n = nums.reduce((x, y) => (y > x ? y : x));
      break;
    case 'sum':
      n = nums.reduce((x, y) => x + y, 0);
      break;
    default:
      n = nums.reduce((x, y) => x + y, 0) / nums.length;
      return { t: t === 'duration' ? 'duration' : 'float', v: n };
  }
  return { t, v: n } as Value;
}
