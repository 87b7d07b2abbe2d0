/**
 * TraceQL for the zeroscope backend: parse, print, validate and evaluate the Tempo query
 * language over a TraceFetcher, answering in Tempo's search JSON. The storage interface the
 * engine reads through (the span model and the fetch contract) is ./storage.ts.
 */
export type {
  Aggregate,
  AggregateFn,
  ArithmeticOp,
  Attribute,
  AttributeScope,
  BinaryOperation,
  CoalesceOperation,
  ComparisonOp,
  Exists,
  FieldBinaryOp,
  FieldExpression,
  GroupOperation,
  Hint,
  Intrinsic,
  IntrinsicName,
  KindValue,
  MetricsAggregate,
  MetricsCompare,
  MetricsExpression,
  MetricsFn,
  MetricsPipeline,
  MetricsRoot,
  MetricsSecondStage,
  Missing,
  Pipeline,
  PipelineElement,
  Query,
  RootExpr,
  ScalarExpression,
  ScalarFilter,
  ScalarOperation,
  SelectOperation,
  SpansetExpression,
  SpansetFilter,
  SpansetOp,
  SpansetOperation,
  Static,
  StatusValue,
  UnaryOperation,
  ValueType,
} from './ast.ts';
export { stringify } from './ast-stringer.ts';
export { validate } from './ast-validate.ts';
export { columnsFor } from './columns.ts';
export { fetchRequestFor } from './conditions.ts';
export type { FetchBounds } from './conditions.ts';
export {
  compileQuery,
  DEFAULT_LIMIT,
  DEFAULT_MAX_INSPECTED_TRACES,
  DEFAULT_SPANS_PER_SPAN_SET,
  executeSearch,
  isQueryError,
  traceqlMetricsEngine,
  traceqlSearchEngine,
} from './engine.ts';
export type { SearchParams } from './engine.ts';
export {
  InvalidQueryError,
  TagsParseError,
  TRACEQL_ERROR_CODES,
  TraceQLError,
  TraceQLParseError,
  TraceQLUnsupportedError,
  TraceQLValidationError,
} from './errors.ts';
export { parse, parseQuery } from './parser.ts';
export {
  compileMetricsQuery,
  DEFAULT_EXEMPLARS,
  DEFAULT_MAX_SERIES,
  defaultStep,
  evaluateMetricsQueryInstant,
  evaluateMetricsQueryRange,
  MAX_EXEMPLARS,
} from './metrics/index.ts';
export type {
  ExemplarJson,
  InstantSeriesJson,
  MetricsQueryInstantRequest,
  MetricsQueryRangeRequest,
  MetricsSearchMetrics,
  QueryInstantResponse,
  QueryRangeResponse,
  SampleJson,
  TimeSeriesJson,
} from './metrics/index.ts';
export { ROOT_SPAN_NOT_YET_RECEIVED } from './search-response.ts';
export type {
  AnyValueJson,
  KeyValueJson,
  SearchMetrics,
  SearchResponse,
  SearchSpan,
  SearchSpanSet,
  ServiceStats,
  TraceSearchMetadata,
} from './search-response.ts';
export { getAttribute, setAttribute, SpanKind, StatusCode } from './storage.ts';
export type {
  Attributes,
  AttrValue,
  FetchColumns,
  FetchRequest,
  QuerySpan,
  QueryTrace,
  SpanEvent,
  SpanLink,
  TagCatalog,
  TagScope,
  TraceFetcher,
} from './storage.ts';
export { tagsToQuery } from './tags-to-query.ts';
