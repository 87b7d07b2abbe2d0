/**
 * AST → FetchRequest hints, so the store can skip traces early. Only necessary conditions are
 * derived: a hint may let through traces that do not match (the engine evaluates the full query
 * afterwards) but must never drop one that does. Anything not understood yields no hint.
 */
import type { FetchRequest } from './storage.ts';
import type { FieldExpression, Pipeline, RootExpr, SpansetExpression, Static } from './ast.ts';

/** Search parameters that bound the fetch regardless of the query. */
export interface FetchBounds {
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  minDurationNanos?: number;
  maxDurationNanos?: number;
}

/**
 * What every matching trace must have: a span whose service is in `services`, a span whose name
 * is in `names`, a duration within [minDur, maxDur] (inclusive).
 */
interface Needs {
  services?: Set<string>;
  names?: Set<string>;
  minDur?: number;
  maxDur?: number;
}

/** Builds the fetch request for a validated query and the search's own bounds. */
export function fetchRequestFor(root: RootExpr, bounds: FetchBounds = {}): FetchRequest {
  const needs = both(fromPipeline(root.pipeline), { minDur: bounds.minDurationNanos, maxDur: bounds.maxDurationNanos });
  const req: FetchRequest = {};
  if (bounds.startUnixNano !== undefined) req.startUnixNano = bounds.startUnixNano;
  if (bounds.endUnixNano !== undefined) req.endUnixNano = bounds.endUnixNano;
  if (needs.services) req.serviceNames = [...needs.services].sort();
  if (needs.names) req.spanNames = [...needs.names].sort();
  if (needs.minDur !== undefined) req.minTraceDurationNanos = needs.minDur;
  if (needs.maxDur !== undefined) req.maxTraceDurationNanos = needs.maxDur;
  return req;
}

/** Both are required: keep the narrower of each hint. */
function both(a: Needs, b: Needs): Needs {
  const narrower = (x?: Set<string>, y?: Set<string>) => (x && y ? (y.size < x.size ? y : x) : (x ?? y));
  const pick = (x: number | undefined, y: number | undefined, f: (p: number, q: number) => number) =>
    x === undefined ? y : y === undefined ? x : f(x, y);
  return {
    services: narrower(a.services, b.services),
    names: narrower(a.names, b.names),
    minDur: pick(a.minDur, b.minDur, Math.max),
    maxDur: pick(a.maxDur, b.maxDur, Math.min),
  };
}

/** Either suffices: a hint survives only if both sides give one, widened to cover both. */
function either(a: Needs, b: Needs): Needs {
  const union = (x?: Set<string>, y?: Set<string>) => (x && y ? new Set([...x, ...y]) : undefined);
  const wide = (x: number | undefined, y: number | undefined, f: (p: number, q: number) => number) =>
    x === undefined || y === undefined ? undefined : f(x, y);
  return {
    services: union(a.services, b.services),
    names: union(a.names, b.names),
    minDur: wide(a.minDur, b.minDur, Math.min),
    maxDur: wide(a.maxDur, b.maxDur, Math.max),
  };
}

function fromPipeline(p: Pipeline): Needs {
  let needs: Needs = {};
  for (const el of p.elements) {
    // Every spanset stage must keep a span; scalar filters and select only narrow further.
    if (el.type === 'spansetFilter' || el.type === 'spansetOperation' || el.type === 'pipeline') {
      needs = both(needs, fromSpanset(el));
    }
  }
  return needs;
}

function fromSpanset(e: SpansetExpression): Needs {
  switch (e.type) {
    case 'spansetFilter':
      return fromField(e.expr);
    case 'pipeline':
      return fromPipeline(e);
    case 'spansetOperation':
      if (e.op === '||') return either(fromSpanset(e.lhs), fromSpanset(e.rhs));
      // `!>` and friends return right-hand spans that lack a relation: the left may be empty.
      if (e.op.startsWith('!')) return fromSpanset(e.rhs);
      return both(fromSpanset(e.lhs), fromSpanset(e.rhs));
  }
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' };

/** What a single span satisfying `e` implies about its trace. */
function fromField(e: FieldExpression): Needs {
  if (e.type !== 'binary') return {};
  if (e.op === '&&') return both(fromField(e.lhs), fromField(e.rhs));
  if (e.op === '||') return either(fromField(e.lhs), fromField(e.rhs));
  let field = e.lhs;
  let value = e.rhs;
  let op: string = e.op;
  if (field.type === 'static') {
    [field, value] = [value, field];
    op = FLIP[op] ?? '';
  }
  if (value.type !== 'static') return {};
  const str = stringOf(value);
  if (op === '=' && str !== undefined) {
    const isService =
      (field.type === 'attribute' && field.scope === 'resource' && !field.parent && field.name === 'service.name') ||
      (field.type === 'intrinsic' && field.name === 'rootServiceName');
    if (isService) return { services: new Set([str]) };
    if (field.type === 'intrinsic' && (field.name === 'name' || field.name === 'rootName')) return { names: new Set([str]) };
  }
  if (field.type === 'intrinsic' && field.name === 'traceDuration') {
    const n = numberOf(value);
    if (n === undefined) return {};
    if (op === '=') return { minDur: n, maxDur: n };
    if (op === '>' || op === '>=') return { minDur: n };
    if (op === '<' || op === '<=') return { maxDur: n };
  }
  return {};
}

function stringOf(s: Static): string | undefined {
  return s.valueType === 'string' ? s.value : undefined;
}

function numberOf(s: Static): number | undefined {
  return s.valueType === 'int' || s.valueType === 'float' || s.valueType === 'duration' ? s.value : undefined;
}
