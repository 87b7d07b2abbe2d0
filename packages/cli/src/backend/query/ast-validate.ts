/**
 * Type checks a parsed query the way Tempo's validate step does, and rejects what this engine
 * does not evaluate. Throws TraceQLValidationError or TraceQLUnsupportedError; returns nothing.
 */
import type {
  Aggregate,
  FieldExpression,
  IntrinsicName,
  MetricsExpression,
  MetricsSecondStage,
  Pipeline,
  Query,
  PipelineElement,
  RootExpr,
  ScalarExpression,
  SpansetExpression,
  ValueType,
} from './ast.ts';
import { stringify } from './ast-stringer.ts';
import { TraceQLUnsupportedError, TraceQLValidationError } from './errors.ts';
import { compileRegex } from './regex.ts';

/** The type each intrinsic evaluates to. */
export const INTRINSIC_TYPES: Record<IntrinsicName, ValueType> = {
  name: 'string',
  status: 'status',
  statusMessage: 'string',
  kind: 'kind',
  duration: 'duration',
  spanID: 'string',
  parentID: 'string',
  rootName: 'string',
  rootServiceName: 'string',
  traceDuration: 'duration',
  traceID: 'string',
  eventName: 'string',
  eventTimeSinceStart: 'duration',
  linkTraceID: 'string',
  linkSpanID: 'string',
  instrumentationName: 'string',
  instrumentationVersion: 'string',
  childCount: 'int',
  parent: 'nil',
  nestedSetLeft: 'int',
  nestedSetRight: 'int',
  nestedSetParent: 'int',
};

const UNSUPPORTED_INTRINSICS = new Set<IntrinsicName>(['parent']);

const NUMERIC = new Set<ValueType>(['int', 'float', 'duration']);

/** Validates a query, search or metrics; throws on the first problem. */
export function validate(root: Query | RootExpr): void {
  if (root.type === 'root') return validatePipeline(root.pipeline);
  validateMetrics(root.expr, true);
  validateStages(root.secondStage, root.expr);
}

function validateMetrics(e: MetricsExpression, top: boolean): void {
  switch (e.type) {
    case 'metricsNumber':
      if (top) throw invalid('a metrics query needs a metrics function');
      return;
    case 'metricsMath':
      for (const side of [e.lhs, e.rhs]) {
        if (side.type === 'metricsPipeline' && side.aggregate.type === 'compare') {
          throw invalid('compare() cannot be combined with arithmetic');
        }
        validateMetrics(side, false);
      }
      if (e.lhs.type === 'metricsNumber' && e.rhs.type === 'metricsNumber') throw invalid('arithmetic needs a metrics query');
      return;
    case 'metricsPipeline': {
      validatePipeline(e.pipeline);
      const a = e.aggregate;
      if (a.type === 'compare') {
        validateSpanset(a.filter);
        if (a.topN <= 0) throw invalid('compare() topN must be greater than 0');
        if (a.start < 0 || a.end < 0 || (a.start > 0 && a.end > 0 && a.end <= a.start)) {
          throw invalid('compare() selection window must have end after start');
        }
      } else {
        if (a.attr) {
          const t = fieldType(a.attr);
          if (!NUMERIC.has(t) && t !== 'attribute') {
            throw invalid(`${a.fn}() needs a numeric field: ${describeField(a.attr)}`);
          }
        }
        for (const q of a.quantiles ?? []) {
          if (!(q >= 0 && q <= 1)) throw invalid(`quantile_over_time() quantiles must be between 0 and 1, got ${q}`);
        }
        for (const f of a.by) fieldType(f);
      }
      validateStages(e.secondStage, e);
      return;
    }
  }
}

function validateStages(stages: MetricsSecondStage[], on: MetricsExpression): void {
  if (stages.length === 0) return;
  if (on.type === 'metricsPipeline' && on.aggregate.type === 'compare') {
    throw invalid('compare() cannot be followed by topk, bottomk or a value filter');
  }
  for (const s of stages) {
    if (s.type !== 'metricsFilter' && s.limit <= 0) throw invalid(`${s.type} limit must be greater than 0`);
  }
}

function validatePipeline(p: Pipeline): void {
  p.elements.forEach(validateElement);
}

function validateElement(el: PipelineElement): void {
  switch (el.type) {
    case 'spansetFilter':
    case 'spansetOperation':
    case 'pipeline':
      return validateSpanset(el);
    case 'scalarFilter': {
      const lt = scalarType(el.lhs);
      const rt = scalarType(el.rhs);
      if (!matching(lt, rt)) throw invalid(`binary operations must operate on the same type: ${describe(el)}`);
      if (!hasAggregate(el.lhs) && !hasAggregate(el.rhs)) {
        throw new TraceQLUnsupportedError(`a scalar filter without an aggregate (${describe(el)})`);
      }
      // Tempo evaluates one aggregate per scalar filter; `min(.a) < max(duration)` is refused there too.
      if (countAggregates(el.lhs) + countAggregates(el.rhs) > 1) {
        throw new TraceQLUnsupportedError(`a scalar filter combining several aggregates (${describe(el)})`);
      }
      return;
    }
    case 'aggregate':
      scalarType(el);
      return;
    case 'select':
      for (const f of el.fields) fieldType(f);
      return;
    case 'by':
      fieldType(el.expr);
      if (!referencesSpan(el.expr)) throw invalid(`group expressions must reference the span: ${describe(el)}`);
      return;
    case 'coalesce':
      return;
  }
}

function countAggregates(e: ScalarExpression): number {
  if (e.type === 'aggregate') return 1;
  if (e.type === 'scalarOperation') return countAggregates(e.lhs) + countAggregates(e.rhs);
  return 0;
}

function validateSpanset(e: SpansetExpression): void {
  if (e.type === 'pipeline') return validatePipeline(e);
  if (e.type === 'spansetOperation') {
    validateSpanset(e.lhs);
    validateSpanset(e.rhs);
    return;
  }
  const t = fieldType(e.expr);
  if (t !== 'bool' && t !== 'attribute') {
    throw invalid(`span expressions must evaluate to a boolean: ${describeField(e.expr)}`);
  }
}

function hasAggregate(e: ScalarExpression): boolean {
  if (e.type === 'aggregate') return true;
  if (e.type === 'scalarOperation') return hasAggregate(e.lhs) || hasAggregate(e.rhs);
  return false;
}

function scalarType(e: ScalarExpression): ValueType {
  switch (e.type) {
    case 'static':
      if (!NUMERIC.has(e.valueType)) throw invalid(`scalar expressions must be numeric: ${describeScalar(e)}`);
      return e.valueType;
    case 'pipeline':
      throw new TraceQLUnsupportedError(`a scalar pipeline in an expression (${describeScalar(e)})`);
    case 'scalarOperation': {
      const l = scalarType(e.lhs);
      const r = scalarType(e.rhs);
      return l === 'duration' || r === 'duration' ? 'duration' : l === 'int' && r === 'int' ? 'int' : 'float';
    }
    case 'aggregate':
      return aggregateType(e);
  }
}

function aggregateType(a: Aggregate): ValueType {
  if (a.fn === 'count') return 'int';
  const t = fieldType(a.expr!);
  if (!NUMERIC.has(t) && t !== 'attribute') {
    throw invalid(`aggregate field expressions must resolve to a number type: ${describeScalar(a)}`);
  }
  if (!referencesSpan(a.expr!)) throw invalid(`aggregate field expressions must reference the span: ${describeScalar(a)}`);
  return t === 'attribute' ? 'float' : t;
}

function referencesSpan(e: FieldExpression): boolean {
  switch (e.type) {
    case 'attribute':
    case 'intrinsic':
      return true;
    case 'binary':
      return referencesSpan(e.lhs) || referencesSpan(e.rhs);
    case 'unary':
    case 'exists':
    case 'missing':
      return referencesSpan(e.expr);
    default:
      return false;
  }
}

/** Same type, both numeric, or one side unknown until evaluated. */
function matching(a: ValueType, b: ValueType): boolean {
  return a === b || a === 'attribute' || b === 'attribute' || (NUMERIC.has(a) && NUMERIC.has(b));
}

/** Infers a field expression's type, throwing where Tempo's validate would. */
export function fieldType(e: FieldExpression): ValueType {
  switch (e.type) {
    case 'static':
      return e.valueType;
    case 'attribute':
      if (e.parent) throw new TraceQLUnsupportedError('the parent. scope');
      return 'attribute';
    case 'intrinsic':
      if (UNSUPPORTED_INTRINSICS.has(e.name)) throw new TraceQLUnsupportedError(`the ${e.name} intrinsic`);
      return INTRINSIC_TYPES[e.name];
    case 'exists':
      fieldType(e.expr);
      return 'bool';
    case 'missing':
      // Intrinsics always have a value, and so does a span's service (Tempo fills it).
      if (e.expr.type === 'intrinsic') throw invalid(`intrinsics cannot be nil: ${describeField(e)}`);
      if (e.expr.type === 'attribute' && e.expr.scope === 'resource' && e.expr.name === 'service.name') {
        throw invalid(`resource.service.name cannot be nil: ${describeField(e)}`);
      }
      fieldType(e.expr);
      return 'bool';
    case 'unary': {
      const t = fieldType(e.expr);
      if (e.op === '!' && t !== 'bool' && t !== 'attribute') throw invalid(`unary operator ! requires a boolean: ${describeField(e)}`);
      if (e.op === '-' && !NUMERIC.has(t) && t !== 'attribute') throw invalid(`unary operator - requires a number: ${describeField(e)}`);
      return e.op === '!' ? 'bool' : t;
    }
    case 'binary': {
      const l = fieldType(e.lhs);
      const r = fieldType(e.rhs);
      if (!matching(l, r)) throw invalid(`binary operations must operate on the same type: ${describeField(e)}`);
      const known = l === 'attribute' ? r : l;
      const ok = (types: ValueType[]) => known === 'attribute' || types.includes(known);
      switch (e.op) {
        case '&&':
        case '||':
          if (!ok(['bool'])) throw illegal(e);
          return 'bool';
        case '=':
        case '!=':
          return 'bool';
        case '<':
        case '<=':
        case '>':
        case '>=':
          if (!ok(['int', 'float', 'duration', 'string'])) throw illegal(e);
          return 'bool';
        case '=~':
        case '!~':
          if (!ok(['string'])) throw illegal(e);
          if (e.rhs.type === 'static' && e.rhs.valueType === 'string') {
            try {
              compileRegex(e.rhs.value);
            } catch (err) {
              throw invalid((err as Error).message);
            }
          }
          return 'bool';
        default:
          if (!ok(['int', 'float', 'duration'])) throw illegal(e);
          if (l === 'attribute' || r === 'attribute') return 'attribute';
          return l === 'duration' || r === 'duration' ? 'duration' : l === 'int' && r === 'int' ? 'int' : 'float';
      }
    }
  }
}

function invalid(message: string): TraceQLValidationError {
  return new TraceQLValidationError(message);
}

function illegal(e: FieldExpression): TraceQLValidationError {
  return invalid(`illegal operation for the given type: ${describeField(e)}`);
}

function describeField(e: FieldExpression): string {
  return stringify({ type: 'root', pipeline: { type: 'pipeline', elements: [{ type: 'spansetFilter', expr: e }] } });
}

function describeScalar(e: ScalarExpression): string {
  return describe({ type: 'scalarFilter', op: '=', lhs: e, rhs: { type: 'static', valueType: 'int', value: 0 } }).replace(/ = 0$/, '');
}

function describe(el: PipelineElement): string {
  return stringify({ type: 'root', pipeline: { type: 'pipeline', elements: [el] } });
}
