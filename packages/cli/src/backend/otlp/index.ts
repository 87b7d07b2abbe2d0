/**
 * OTLP codecs for the backend: the schema (one protobufjs root), request decoders for protobuf,
 * OTLP/JSON and Zipkin v2 JSON, response and google.rpc.Status encoders, TracesData for storage
 * and the conversion to the query model. int64 values are protobufjs `Long`s.
 */
export { otlpRoot, otlpTypes, TRACE_EXPORT_PATH } from './schema.ts';
export type {
  AnyValue,
  AnyValueKind,
  ArrayValue,
  ExportTraceServiceRequest,
  InstrumentationScope,
  KeyValue,
  KeyValueList,
  Long,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpSpanStatus,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  TracesData,
} from './types.ts';
export { OtlpDecodeError, ZipkinDecodeError, otlpErrorClasses } from './errors.ts';
export type { PayloadFormat } from './errors.ts';
export { SPAN_ID_BYTES, TRACE_ID_BYTES, bytesToHex, hexToBytes } from './ids.ts';
export { decodeProtobufRequest } from './decode-protobuf.ts';
export { decodeRequestKeepingSpanBytes, receivedSpanBytes } from './received-span-bytes.ts';
export { ReceivedSpan, decodeTracesRequest } from './decode-spans.ts';
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
export {
  anyValueToAttr,
  keyValuesToAttributes,
  longToBigInt,
  requestToQuerySpans,
  spanToQuerySpan,
} from './query-span.ts';
export { LOGS_EXPORT_PATH, LOGS_HTTP_PATH, MAX_SEVERITY_NUMBER, otlpLogsRoot, otlpLogsTypes } from './logs-schema.ts';
export type { ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from './logs-types.ts';
export {
  countLogRecords,
  decodeLogsJsonRequest,
  decodeLogsProtobufRequest,
  encodeLogsExportResponse,
  validateLogsRequest,
} from './decode-logs.ts';
