/**
 * TraceQL syntax tree. Nodes are plain data (no positions, no methods) so two parses of the same
 * query compare equal with deepStrictEqual, which the corpus round-trip test relies on.
 */

/** The value types of TraceQL. `attribute` is "unknown until evaluated" (a custom attribute). */
export type ValueType = 'string' | 'int' | 'float' | 'bool' | 'duration' | 'status' | 'kind' | 'nil' | 'attribute';

export type StatusValue = 'ok' | 'error' | 'unset';
export type KindValue = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A literal. Durations are in nanoseconds. */
export type Static =
  | { type: 'static'; valueType: 'string'; value: string }
  | { type: 'static'; valueType: 'int'; value: number }
  | { type: 'static'; valueType: 'float'; value: number }
  | { type: 'static'; valueType: 'bool'; value: boolean }
  | { type: 'static'; valueType: 'duration'; value: number }
  | { type: 'static'; valueType: 'status'; value: StatusValue }
  | { type: 'static'; valueType: 'kind'; value: KindValue };

/**
 * Intrinsics, named by what they are; `span:name` and `name` are the same intrinsic. The last
 * group parses (Tempo knows them) but ast-validate rejects it as unsupported.
 */
export type IntrinsicName =
  | 'name'
  | 'status'
  | 'statusMessage'
  | 'kind'
  | 'duration'
  | 'spanID'
  | 'parentID'
  | 'rootName'
  | 'rootServiceName'
  | 'traceDuration'
  | 'traceID'
  | 'eventName'
  | 'eventTimeSinceStart'
  | 'linkTraceID'
  | 'linkSpanID'
  | 'instrumentationName'
  | 'instrumentationVersion'
  | 'childCount'
  | 'parent'
  | 'nestedSetLeft'
  | 'nestedSetRight'
  | 'nestedSetParent';

export interface Intrinsic {
  type: 'intrinsic';
  name: IntrinsicName;
}

/** Where an attribute is looked up; `none` (`.x`) means span first, then resource. */
export type AttributeScope = 'none' | 'span' | 'resource' | 'event' | 'link' | 'instrumentation';

export interface Attribute {
  type: 'attribute';
  scope: AttributeScope;
  /** `parent.` prefix (parses; unsupported). */
  parent: boolean;
  name: string;
}

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type FieldBinaryOp = ComparisonOp | '=~' | '!~' | '&&' | '||' | '+' | '-' | '*' | '/' | '%' | '^';

export interface BinaryOperation {
  type: 'binary';
  op: FieldBinaryOp;
  lhs: FieldExpression;
  rhs: FieldExpression;
}

export interface UnaryOperation {
  type: 'unary';
  op: '-' | '!';
  expr: FieldExpression;
}

/** `x != nil`: the field has a value. */
export interface Exists {
  type: 'exists';
  expr: FieldExpression;
}

/** `x = nil`: the field has no value. */
export interface Missing {
  type: 'missing';
  expr: FieldExpression;
}

/** What sits inside `{ }`, in `select(...)`, `by(...)` and aggregates. */
export type FieldExpression = Static | Intrinsic | Attribute | BinaryOperation | UnaryOperation | Exists | Missing;

/** `{ expr }`; `{}` is `{ true }`. */
export interface SpansetFilter {
  type: 'spansetFilter';
  expr: FieldExpression;
}

export type SpansetOp =
  | '&&'
  | '||'
  | '>'
  | '<'
  | '>>'
  | '<<'
  | '~'
  | '!>'
  | '!<'
  | '!>>'
  | '!<<'
  | '!~'
  | '&>'
  | '&<'
  | '&>>'
  | '&<<'
  | '&~';

export interface SpansetOperation {
  type: 'spansetOperation';
  op: SpansetOp;
  lhs: SpansetExpression;
  rhs: SpansetExpression;
}

/** A pipeline in parentheses used as an operand, e.g. `({ a } | count() > 1) >> { b }`. */
export type SpansetExpression = SpansetFilter | SpansetOperation | Pipeline;

export type AggregateFn = 'count' | 'avg' | 'min' | 'max' | 'sum';

export interface Aggregate {
  type: 'aggregate';
  fn: AggregateFn;
  /** Absent for count(). */
  expr?: FieldExpression;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';

export interface ScalarOperation {
  type: 'scalarOperation';
  op: ArithmeticOp;
  lhs: ScalarExpression;
  rhs: ScalarExpression;
}

/** A number, an aggregate, arithmetic on them, or `( pipeline | aggregate )` (unsupported). */
export type ScalarExpression = Static | Aggregate | ScalarOperation | Pipeline;

/** `count() > 2`: keeps the spansets for which the comparison holds. */
export interface ScalarFilter {
  type: 'scalarFilter';
  op: ComparisonOp;
  lhs: ScalarExpression;
  rhs: ScalarExpression;
}

export interface SelectOperation {
  type: 'select';
  fields: Array<Attribute | Intrinsic>;
}

export interface GroupOperation {
  type: 'by';
  expr: FieldExpression;
}

export interface CoalesceOperation {
  type: 'coalesce';
}

export type PipelineElement =
  | SpansetFilter
  | SpansetOperation
  | Pipeline
  | ScalarFilter
  | SelectOperation
  | GroupOperation
  | CoalesceOperation
  | Aggregate;

/** Stages joined by `|`. A trailing Aggregate only occurs in a wrapped scalar pipeline. */
export interface Pipeline {
  type: 'pipeline';
  elements: PipelineElement[];
}

/** A `with(name = value)` query hint; kept and printed, otherwise ignored. */
export interface Hint {
  name: string;
  value: Static;
}

/** A search query: spansets out. */
export interface RootExpr {
  type: 'root';
  pipeline: Pipeline;
  hints?: Hint[];
}

// -- TraceQL metrics ----------------------------------------------------------------

/** The first-stage metrics functions (Tempo's `metricsAggregation`). */
export type MetricsFn =
  | 'rate'
  | 'count_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'sum_over_time'
  | 'avg_over_time'
  | 'quantile_over_time'
  | 'histogram_over_time';

/** `rate() by (x)`, `quantile_over_time(duration, .5, .9) by (x, y)`... */
export interface MetricsAggregate {
  type: 'metricsAggregate';
  fn: MetricsFn;
  /** The measured field, for the `*_over_time` functions but count_over_time. */
  attr?: Attribute | Intrinsic;
  /** quantile_over_time's quantiles, as written. */
  quantiles?: number[];
  /** The grouping fields; empty when there is no `by`. */
  by: Array<Attribute | Intrinsic>;
}

/** `compare({ filter }, topN, start, end)`: attribute values of the selection vs the baseline. */
export interface MetricsCompare {
  type: 'compare';
  filter: SpansetFilter;
  topN: number;
  /** Unix nanoseconds, as in Tempo (span start times compare with them); 0 means "the whole range". */
  start: number;
  end: number;
}

/** `| topk(n)`, `| bottomk(n)`, or a filter on values (`> 10`). */
export type MetricsSecondStage =
  | { type: 'topk' | 'bottomk'; limit: number }
  | { type: 'metricsFilter'; op: ComparisonOp; value: number };

/** A spanset pipeline feeding a metrics function, then second stages. */
export interface MetricsPipeline {
  type: 'metricsPipeline';
  pipeline: Pipeline;
  aggregate: MetricsAggregate | MetricsCompare;
  secondStage: MetricsSecondStage[];
}

/** Arithmetic between metrics queries, or a query and a number. */
export interface MetricsMath {
  type: 'metricsMath';
  op: '+' | '-' | '*' | '/';
  lhs: MetricsExpression;
  rhs: MetricsExpression;
}

export interface MetricsNumber {
  type: 'metricsNumber';
  value: number;
}

export type MetricsExpression = MetricsPipeline | MetricsMath | MetricsNumber;

/** A metrics query: time series out. `secondStage` applies to the result of math. */
export interface MetricsRoot {
  type: 'metricsRoot';
  expr: MetricsExpression;
  secondStage: MetricsSecondStage[];
  hints?: Hint[];
}

/** Any TraceQL query. */
export type Query = RootExpr | MetricsRoot;

/** Builds a literal. */
export function staticString(value: string): Static {
  return { type: 'static', valueType: 'string', value };
}
export function staticInt(value: number): Static {
  return { type: 'static', valueType: 'int', value };
}
export function staticFloat(value: number): Static {
  return { type: 'static', valueType: 'float', value };
}
export function staticBool(value: boolean): Static {
  return { type: 'static', valueType: 'bool', value };
}
export function staticDuration(nanos: number): Static {
  return { type: 'static', valueType: 'duration', value: nanos };
}

/** Builds an attribute reference. */
export function attribute(scope: AttributeScope, name: string, parent = false): Attribute {
  return { type: 'attribute', scope, parent, name };
}

/** Builds an intrinsic reference. */
export function intrinsic(name: IntrinsicName): Intrinsic {
  return { type: 'intrinsic', name };
}

/** Builds a binary field operation. */
export function binary(op: FieldBinaryOp, lhs: FieldExpression, rhs: FieldExpression): BinaryOperation {
  return { type: 'binary', op, lhs, rhs };
}

/** Wraps a field expression as a one-filter query: `{ expr }`. */
export function filterQuery(expr: FieldExpression): RootExpr {
  return { type: 'root', pipeline: { type: 'pipeline', elements: [{ type: 'spansetFilter', expr }] } };
}
