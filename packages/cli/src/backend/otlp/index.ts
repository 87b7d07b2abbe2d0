/**
 * The backend's owner of the span: the schema (one protobufjs root), request decoders for
 * protobuf, OTLP/JSON and Zipkin v2 JSON, response and google.rpc.Status encoders, TracesData for
 * storage, the OTLP types and the conversion to the query model (./model), and the protobuf wire
 * reader and JSON writer (./wire). int64 values are protobufjs `Long`s.
 */
export { otlpRoot, otlpTypes, TRACE_EXPORT_PATH } from './schema.ts';
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
} from './model/types.ts';
export { OtlpDecodeError, ZipkinDecodeError, otlpErrorClasses } from './errors.ts';
export type { PayloadFormat } from './errors.ts';
export { SPAN_ID_BYTES, TRACE_ID_BYTES, bytesToHex, hexToBytes, isAllZero } from './model/ids.ts';
export { longToBigInt, toSafeNumber } from './model/longs.ts';
export { anyValueKind, anyValueToAttr, keyValuesToAttributes, stringAttribute } from './model/any-value.ts';
export { toSpanEvent, toSpanLink, toSpanResource, toSpanScope } from './model/span-parts.ts';
export type { SpanResource, SpanScope } from './model/span-parts.ts';
export { requestToQuerySpans, toQuerySpan } from './model/query-span.ts';
export { decodeProtobufRequest } from './decode-protobuf.ts';
export { ReceivedSpan, decodeTracesRequest, receivedSpanBytes } from './wire/fast-request-decoder.ts';
export { decodeJsonMessage, decodeJsonObject, decodeJsonRequest } from './decode-json.ts';
export { decodeZipkinSpans } from './zipkin-spans.ts';
export { InvalidId, screenRequest, validateRequest } from './validate-request.ts';
export type { DecodeOptions } from './validate-request.ts';
export {
  encodeExportResponse,
  encodeRpcStatus,
  exportResponseJson,
  retryInfoDetail,
  rpcStatusJson,
} from './response.ts';
export type { PartialSuccess, RpcStatus } from './response.ts';
export { decodeTracesData, encodeTracesData, tracesDataToJson } from './traces-data.ts';
export type { JsonIdEncoding } from './traces-data.ts';
export { LOGS_EXPORT_PATH, LOGS_HTTP_PATH, MAX_SEVERITY_NUMBER, otlpLogsRoot, otlpLogsTypes } from './logs-schema.ts';
export type { ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from './model/logs-types.ts';
export {
  countLogRecords,
  decodeLogsJsonRequest,
  decodeLogsProtobufRequest,
  encodeLogsExportResponse,
  validateLogsRequest,
} from './decode-logs.ts';
