/**
 * Evaluates field expressions (what sits inside `{ }`) on one span, with Tempo's semantics: a
 * missing attribute is nil and nil never compares true (not even with `!=`); mismatched types
 * compare false; ints, floats and durations compare as numbers; an array attribute (and the
 * many values of `event.`/`link.` fields) matches when any element does.
 */
import type { AttrValue, QuerySpan } from './storage.ts';
import type { Attribute, FieldExpression, Intrinsic, KindValue, Static, StatusValue } from './ast.ts';
import { compileRegex } from './regex.ts';
import { childrenOf, nestedSetOf, type TraceIndex } from './trace-index.ts';

/** A runtime value. `list` holds the values of an array or multi-valued field. */
export type Value =
  | { t: 'string'; v: string }
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'duration'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'status'; v: StatusValue }
  | { t: 'kind'; v: KindValue }
  | { t: 'list'; v: Value[] }
  | { t: 'nil' };

export const NIL: Value = { t: 'nil' };
const TRUE: Value = { t: 'bool', v: true };
const FALSE: Value = { t: 'bool', v: false };
const bool = (b: boolean): Value => (b ? TRUE : FALSE);

const STATUS_NAMES: StatusValue[] = ['unset', 'ok', 'error'];
const KIND_NAMES: KindValue[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const ID_INTRINSICS = new Set(['traceID', 'spanID', 'parentID', 'linkTraceID', 'linkSpanID']);

/** True when the expression holds for the span (evaluates to boolean true). */
export function spanMatches(e: FieldExpression, span: QuerySpan, ti: TraceIndex): boolean {
  const v = evaluateField(e, span, ti);
  return v.t === 'bool' && v.v;
}

/** Evaluates a field expression on a span. */
export function evaluateField(e: FieldExpression, span: QuerySpan, ti: TraceIndex): Value {
  switch (e.type) {
    case 'static':
      return fromStatic(e);
    case 'attribute':
      return attributeValue(e, span);
    case 'intrinsic':
      return intrinsicValue(e, span, ti);
    case 'exists':
      return bool(evaluateField(e.expr, span, ti).t !== 'nil');
    case 'missing':
      return bool(evaluateField(e.expr, span, ti).t === 'nil');
    case 'unary': {
      const v = evaluateField(e.expr, span, ti);
      if (e.op === '!') return v.t === 'bool' ? bool(!v.v) : NIL;
      return isNumeric(v) ? ({ t: v.t, v: -v.v } as Value) : NIL;
    }
    case 'binary': {
      const l = evaluateField(e.lhs, span, ti);
      const r = evaluateField(e.rhs, span, ti);
      switch (e.op) {
        case '&&':
          return bool(isTrue(l) && isTrue(r));
        case '||':
          return bool(isTrue(l) || isTrue(r));
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
        case '^':
          return arithmetic(e.op, l, r);
        default:
          if ((e.op === '=' || e.op === '!=') && (isIdIntrinsic(e.lhs) || isIdIntrinsic(e.rhs))) {
            return bool(compare(e.op, normalizeIds(l), normalizeIds(r)));
          }
          return bool(compare(e.op, l, r));
      }
    }
  }
}

const isTrue = (v: Value) => v.t === 'bool' && v.v;

/** Numbers, durations and ints, which compare with each other. */
export function isNumeric(v: Value): v is Extract<Value, { t: 'int' | 'float' | 'duration' }> {
  return v.t === 'int' || v.t === 'float' || v.t === 'duration';
}

/** Applies a comparison or regex operator; lists match when any element does. */
export function compare(op: string, l: Value, r: Value): boolean {
  if (l.t === 'list') return l.v.some((x) => compare(op, x, r));
  if (r.t === 'list') return r.v.some((x) => compare(op, l, x));
  if (l.t === 'nil' || r.t === 'nil') return false;
  if (op === '=~' || op === '!~') {
    if (l.t !== 'string' || r.t !== 'string') return false;
    const hit = compileRegex(r.v).test(l.v);
    return op === '=~' ? hit : !hit;
  }
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (isNumeric(l) && isNumeric(r)) {
    a = l.v;
    b = r.v;
  } else if (l.t === r.t) {
    a = l.v;
    b = (r as { v: typeof a }).v;
    // Only numbers and strings are ordered.
    if (l.t !== 'string' && op !== '=' && op !== '!=') return false;
  } else return false;
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

/** Arithmetic on numbers; a duration operand keeps the result a duration. */
export function arithmetic(op: string, l: Value, r: Value): Value {
  if (!isNumeric(l) || !isNumeric(r)) return NIL;
  const a = l.v;
  const b = r.v;
  let n: number;
  switch (op) {
    case '+':
      n = a + b;
      break;
    case '-':
      n = a - b;
      break;
    case '*':
      n = a * b;
      break;
    case '/':
      n = a / b;
      break;
    case '%':
      n = a % b;
      break;
    default:
      n = a ** b;
  }
  if (!Number.isFinite(n)) return NIL;
  if (l.t === 'duration' || r.t === 'duration') return { t: 'duration', v: n };
  if (l.t === 'int' && r.t === 'int' && Number.isInteger(n)) return { t: 'int', v: n };
  return { t: 'float', v: n };
}

export function fromStatic(s: Static): Value {
  return { t: s.valueType, v: s.value } as Value;
}

/** Converts a stored attribute value; maps (kvlist) have no TraceQL type and read as nil. */
export function fromAttr(v: AttrValue | undefined): Value {
  if (v === undefined || v === null) return NIL;
  switch (typeof v) {
    case 'string':
      return { t: 'string', v };
    case 'boolean':
      return bool(v);
    case 'bigint':
      return { t: 'int', v: Number(v) };
    case 'number':
      return Number.isInteger(v) ? { t: 'int', v } : { t: 'float', v };
    default:
      if (Array.isArray(v)) return { t: 'list', v: v.map(fromAttr).filter((x) => x.t !== 'nil') };
      return NIL;
  }
}

/** The raw stored value an attribute reference reads (span, then resource, for `.x`). */
export function rawAttribute(a: Attribute, span: QuerySpan): AttrValue | undefined {
  // Called per span per attribute: no closure here (under tsx each one costs a defineProperty).
  switch (a.scope) {
    case 'span':
      return Object.hasOwn(span.attributes, a.name) ? span.attributes[a.name] : undefined;
    case 'resource':
      return Object.hasOwn(span.resource, a.name) ? span.resource[a.name] : undefined;
    case 'instrumentation':
      return span.scopeAttributes && Object.hasOwn(span.scopeAttributes, a.name) ? span.scopeAttributes[a.name] : undefined;
    case 'none':
      if (Object.hasOwn(span.attributes, a.name) && span.attributes[a.name] !== null) return span.attributes[a.name];
      return Object.hasOwn(span.resource, a.name) ? span.resource[a.name] : undefined;
    default:
      return undefined;
  }
}

function attributeValue(a: Attribute, span: QuerySpan): Value {
  if (a.scope === 'event' || a.scope === 'link') {
    const owners = a.scope === 'event' ? span.events : span.links;
    const values = owners.map((o) => fromAttr(Object.hasOwn(o.attributes, a.name) ? o.attributes[a.name] : undefined));
    const present = values.filter((v) => v.t !== 'nil');
    return present.length ? { t: 'list', v: present } : NIL;
  }
  return fromAttr(rawAttribute(a, span));
}

function list(values: Value[]): Value {
  return values.length ? { t: 'list', v: values } : NIL;
}

function intrinsicValue(i: Intrinsic, span: QuerySpan, ti: TraceIndex): Value {
  switch (i.name) {
    case 'name':
      return { t: 'string', v: span.name };
    case 'status':
      return { t: 'status', v: STATUS_NAMES[span.statusCode] ?? 'unset' };
    case 'statusMessage':
      return { t: 'string', v: span.statusMessage };
    case 'kind':
      return { t: 'kind', v: KIND_NAMES[span.kind] ?? 'unspecified' };
    case 'duration':
      return { t: 'duration', v: span.durationNanos };
    case 'spanID':
      return { t: 'string', v: span.spanId };
    case 'parentID':
      return span.parentSpanId === '' ? NIL : { t: 'string', v: span.parentSpanId };
    case 'rootName':
      return ti.root ? { t: 'string', v: ti.root.name } : NIL;
    case 'rootServiceName':
      return ti.root ? { t: 'string', v: ti.root.serviceName } : NIL;
    case 'traceDuration':
      return { t: 'duration', v: ti.durationNanos };
    case 'traceID':
      return { t: 'string', v: span.traceId };
    case 'eventName':
      return list(span.events.map((e) => ({ t: 'string', v: e.name })));
    case 'eventTimeSinceStart':
      return list(span.events.map((e) => ({ t: 'duration', v: Number(e.timeUnixNano - span.startTimeUnixNano) })));
    case 'linkTraceID':
      return list(span.links.map((l) => ({ t: 'string', v: l.traceId })));
    case 'linkSpanID':
      return list(span.links.map((l) => ({ t: 'string', v: l.spanId })));
    case 'instrumentationName':
      return { t: 'string', v: span.scopeName };
    case 'instrumentationVersion':
      return { t: 'string', v: span.scopeVersion };
    case 'childCount':
      return { t: 'int', v: childrenOf(ti, span).length };
    case 'nestedSetLeft':
    case 'nestedSetRight':
    case 'nestedSetParent': {
      const ns = nestedSetOf(ti, span);
      if (!ns) return NIL;
      return { t: 'int', v: i.name === 'nestedSetLeft' ? ns.left : i.name === 'nestedSetRight' ? ns.right : ns.parent };
    }
    default:
      // parent: rejected by ast-validate.
      return NIL;
  }
}

function isIdIntrinsic(e: FieldExpression): boolean {
  return e.type === 'intrinsic' && ID_INTRINSICS.has(e.name);
}

/** Ids compare as numbers do in Tempo: case and leading zeros do not matter. */
function normalizeIds(v: Value): Value {
  if (v.t === 'string') return { t: 'string', v: v.v.toLowerCase().replace(/^0+/, '') };
  if (v.t === 'list') return { t: 'list', v: v.v.map(normalizeIds) };
  return v;
}
