/**
 * The backend's span receivers: OTLP/HTTP, OTLP/gRPC, Zipkin v2 and the JSON-lines file import.
 * Each hands decoded ExportTraceServiceRequests to a TracesPusher (the store).
 */
export type { PushFailure, Receiver, ReceiverLimits, ReceiverOptions, TracesPusher } from './types.ts';
export { DEFAULT_BODY_LIMITS, DEFAULT_MAX_BODY_BYTES } from './types.ts';
export { BodyBudget, DEFAULT_BODY_BUDGET_BYTES } from './body-budget.ts';
export {
  BadCompressionError,
  BodyTooLargeError,
  BodyTooSlowError,
  TooManyChunksError,
  PushRejectedError,
  RequestAbortedError,
  UnauthorizedError,
  ReceiversBusyError,
  UnsupportedEncodingError,
  UnsupportedMediaTypeError,
  receiverErrorClasses,
} from './errors.ts';
export { createOtlpHttpReceiver, otlpHttpHandler } from './otlp-http.ts';
export type { OtlpHttpOptions } from './otlp-http.ts';
export { createOtlpGrpcReceiver } from './otlp-grpc.ts';
export { logsServiceDefinition, otlpLogsGrpcImplementation, otlpLogsHttpHandler } from './otlp-logs.ts';
export type { LogsPusher, OtlpLogsOptions } from './otlp-logs.ts';
export { ZIPKIN_SPANS_PATH, createZipkinReceiver, zipkinHandler } from './zipkin.ts';
export { importFile } from './import-file.ts';
export type { ImportLineError, ImportReport } from './import-file.ts';
export { createMemoryPusher } from './memory-pusher.ts';
export type { MemoryPusher } from './memory-pusher.ts';
