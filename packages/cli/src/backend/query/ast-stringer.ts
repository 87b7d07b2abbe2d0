/**
 * AST → canonical TraceQL. Parsing the output gives back an equal AST (the corpus test checks
 * this), so the API can log or echo a normalized query. Parentheses are only added where
 * precedence needs them.
 */
import type {
  Attribute,
  FieldExpression,
  Intrinsic,
  IntrinsicName,
  MetricsAggregate,
  MetricsCompare,
  MetricsExpression,
  MetricsSecondStage,
  Pipeline,
  Query,
  PipelineElement,
  RootExpr,
  ScalarExpression,
  SpansetExpression,
  Static,
} from './ast.ts';
import { isAttributeChar } from './lexer.ts';

/** Prints a whole query, search or metrics. */
export function stringify(root: Query): string {
  const body = root.type === 'root' ? pipelineToString(root.pipeline) : metricsRootToString(root);
  if (!root.hints?.length) return body;
  return `${body} with(${root.hints.map((h) => `${h.name}=${staticToString(h.value)}`).join(', ')})`;
}

const INTRINSIC_SPELLING: Record<IntrinsicName, string> = {
  name: 'name',
  status: 'status',
  statusMessage: 'statusMessage',
  kind: 'kind',
  duration: 'duration',
  spanID: 'span:id',
  parentID: 'span:parentID',
  rootName: 'rootName',
  rootServiceName: 'rootServiceName',
  traceDuration: 'traceDuration',
  traceID: 'trace:id',
  eventName: 'event:name',
  eventTimeSinceStart: 'event:timeSinceStart',
  linkTraceID: 'link:traceID',
  linkSpanID: 'link:spanID',
  instrumentationName: 'instrumentation:name',
  instrumentationVersion: 'instrumentation:version',
  childCount: 'childCount',
  parent: 'parent',
  nestedSetLeft: 'nestedSetLeft',
  nestedSetRight: 'nestedSetRight',
  nestedSetParent: 'nestedSetParent',
};

function pipelineToString(p: Pipeline): string {
  return p.elements.map(elementToString).join(' | ');
}

function elementToString(el: PipelineElement): string {
  switch (el.type) {
    case 'spansetFilter':
    case 'spansetOperation':
    case 'pipeline':
      return spansetToString(el, 0);
    case 'scalarFilter':
      return `${scalarToString(el.lhs, 2)} ${el.op} ${scalarToString(el.rhs, 2)}`;
    case 'aggregate':
      return scalarToString(el, 0);
    case 'select':
      return `select(${el.fields.map((f) => fieldToString(f, 0)).join(', ')})`;
    case 'by':
      return `by(${fieldToString(el.expr, 0)})`;
    case 'coalesce':
      return 'coalesce()';
  }
}

const SPANSET_BP = (op: string) => (op === '&&' || op === '||' ? 1 : 2);

function spansetToString(e: SpansetExpression, parentBp: number, rightSide = false): string {
  if (e.type === 'spansetFilter') {
    if (e.expr.type === 'static' && e.expr.valueType === 'bool' && e.expr.value === true) return '{ }';
    return `{ ${fieldToString(e.expr, 0)} }`;
  }
  if (e.type === 'pipeline') return `(${pipelineToString(e)})`;
  const bp = SPANSET_BP(e.op);
  const text = `${spansetToString(e.lhs, bp)} ${e.op} ${spansetToString(e.rhs, bp, true)}`;
  return bp < parentBp || (bp === parentBp && rightSide) ? `(${text})` : text;
}

function arithmeticBp(op: string): number {
  if (op === '+' || op === '-') return 3;
  if (op === '^') return 6;
  return 5;
}

function scalarToString(e: ScalarExpression, parentBp: number, rightSide = false): string {
  switch (e.type) {
    case 'static':
      return staticToString(e);
    case 'aggregate':
      return `${e.fn}(${e.expr ? fieldToString(e.expr, 0) : ''})`;
    case 'pipeline':
      return `(${pipelineToString(e)})`;
    case 'scalarOperation': {
      const bp = arithmeticBp(e.op);
      const rightAssoc = e.op === '^';
      const text = `${scalarToString(e.lhs, bp, rightAssoc)} ${e.op} ${scalarToString(e.rhs, bp, !rightAssoc)}`;
      return bp < parentBp || (bp === parentBp && rightSide) ? `(${text})` : text;
    }
  }
}

function fieldBp(e: FieldExpression): number {
  switch (e.type) {
    case 'binary':
      if (e.op === '&&' || e.op === '||') return 1;
      if (e.op === '+' || e.op === '-') return 3;
      if (e.op === '*' || e.op === '/' || e.op === '%') return 5;
      if (e.op === '^') return 6;
      return 2;
    case 'exists':
    case 'missing':
      return 2;
    case 'unary':
      return 4;
    default:
      return 10;
  }
}

/**
 * `rightSide` marks the operand that would re-associate wrongly at equal precedence (the right
 * one of a left-associative operator, the left one of `^`).
 */
function fieldToString(e: FieldExpression, parentBp: number, rightSide = false): string {
  let text: string;
  const bp = fieldBp(e);
  switch (e.type) {
    case 'static':
      return staticToString(e);
    case 'attribute':
      return attributeToString(e);
    case 'intrinsic':
      return intrinsicToString(e);
    case 'unary':
      // The operand binds only operators tighter than unary (`* / % ^`).
      text = `${e.op}${fieldToString(e.expr, 5)}`;
      break;
    case 'exists':
      text = `${fieldToString(e.expr, bp)} != nil`;
      break;
    case 'missing':
      text = `${fieldToString(e.expr, bp)} = nil`;
      break;
    case 'binary': {
      const rightAssoc = e.op === '^';
      text = `${fieldToString(e.lhs, bp, rightAssoc)} ${e.op} ${fieldToString(e.rhs, bp, !rightAssoc)}`;
      break;
    }
  }
  return bp < parentBp || (bp === parentBp && rightSide) ? `(${text})` : text;
}

function intrinsicToString(i: Intrinsic): string {
  return INTRINSIC_SPELLING[i.name];
}

function attributeToString(a: Attribute): string {
  const scope = a.scope === 'none' ? '' : `${a.scope}.`;
  const prefix = a.parent ? `parent.${scope}` : scope === '' ? '.' : scope;
  const plain = a.name !== '' && Array.from(a.name).every((c) => isAttributeChar(c));
  const name = plain ? a.name : `"${a.name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return prefix + name;
}

/** Prints a literal so that it lexes back to the same value and type. */
export function staticToString(s: Static): string {
  switch (s.valueType) {
    case 'string':
      return JSON.stringify(s.value);
    case 'int':
      return String(s.value);
    case 'float': {
      const t = String(s.value);
      return /[.eE]|Infinity|NaN/.test(t) ? t : `${t}.0`;
    }
    case 'bool':
      return String(s.value);
    case 'duration':
      return durationToString(s.value);
    case 'status':
    case 'kind':
      return s.value;
  }
}

const UNITS: Array<[string, number]> = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
];

/** Shortest exact spelling: 1500ms, 2m, 90s, 1h, 250ns. */
export function durationToString(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const abs = Math.abs(nanos);
  if (abs === 0) return '0s';
  for (const [unit, size] of UNITS) {
    if (abs % size === 0) return `${sign}${abs / size}${unit}`;
  }
  return `${sign}${abs}ns`;
}

// -- metrics -----------------------------------------------------------------------

function metricsRootToString(root: Extract<Query, { type: 'metricsRoot' }>): string {
  // Stages that apply to a whole pipeline's result need the pipeline in parentheses, or they
  // would read back as that pipeline's own stages (which is the same thing, but another tree).
  const expr =
    root.expr.type === 'metricsPipeline' && root.secondStage.length > 0
      ? `(${metricsToString(root.expr, 0)})`
      : metricsToString(root.expr, 0);
  return expr + stagesToString(root.secondStage);
}

function metricsToString(e: MetricsExpression, parentBp: number, rightSide = false): string {
  switch (e.type) {
    case 'metricsNumber':
      return numberToString(e.value);
    case 'metricsPipeline': {
      const text = `${pipelineToString(e.pipeline)} | ${metricsFnToString(e.aggregate)}${stagesToString(e.secondStage)}`;
      return parentBp > 0 ? `(${text})` : text;
    }
    case 'metricsMath': {
      const bp = e.op === '+' || e.op === '-' ? 3 : 5;
      const text = `${metricsToString(e.lhs, bp)} ${e.op} ${metricsToString(e.rhs, bp, true)}`;
      return bp < parentBp || (bp === parentBp && rightSide) ? `(${text})` : text;
    }
  }
}

function metricsFnToString(a: MetricsAggregate | MetricsCompare): string {
  if (a.type === 'compare') {
    const args = [spansetToString(a.filter, 0)];
    if (a.start !== 0 || a.end !== 0) args.push(String(a.topN), String(a.start), String(a.end));
    else if (a.topN !== 10) args.push(String(a.topN));
    return `compare(${args.join(', ')})`;
  }
  const args: string[] = [];
  if (a.attr) args.push(fieldToString(a.attr, 0));
  if (a.quantiles) args.push(...a.quantiles.map(numberToString));
  const by = a.by.length ? ` by (${a.by.map((f) => fieldToString(f, 0)).join(', ')})` : '';
  return `${a.fn}(${args.join(', ')})${by}`;
}

function stagesToString(stages: MetricsSecondStage[]): string {
  return stages.map((s) => (s.type === 'metricsFilter' ? ` ${s.op} ${numberToString(s.value)}` : ` | ${s.type}(${s.limit})`)).join('');
}

/** A number that lexes back to the same value (ints and floats are one in metrics). */
function numberToString(n: number): string {
  return String(n);
}
