/**
 * The one set of OTLP shapes (./types.ts) and the one conversion to the query model: ids, 64-bit
 * values, AnyValue, and `toQuerySpan`.
 */
export type {
  AnyValue,
  AnyValueKind,
  AnyValueLike,
  ArrayValue,
  ExportTraceServiceRequest,
  ExportTraceServiceRequestLike,
  InstrumentationScope,
  KeyValue,
  KeyValueLike,
  KeyValueList,
  Long,
  LongLike,
  MessageLike,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpSpanStatus,
  Resource,
  ResourceSpans,
  ResourceSpansLike,
  ScopeSpans,
  ScopeSpansLike,
  Span,
  SpanLike,
  TracesData,
} from './types.ts';
export type { ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from './logs-types.ts';
export { SPAN_ID_BYTES, TRACE_ID_BYTES, bytesToHex, hexToBytes, isAllZero } from './ids.ts';
export { longToBigInt, toSafeNumber } from './longs.ts';
export { anyValueKind, anyValueToAttr, keyValuesToAttributes, stringAttribute } from './any-value.ts';
export { toSpanEvent, toSpanLink, toSpanResource, toSpanScope } from './span-parts.ts';
export type { SpanResource, SpanScope } from './span-parts.ts';
export { requestToQuerySpans, toQuerySpan } from './query-span.ts';
