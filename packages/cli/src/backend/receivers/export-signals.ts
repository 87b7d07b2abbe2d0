/**
 * What the OTLP endpoints need to know about each signal they accept (traces, logs): how to
 * decode a request, whether it holds anything to store, and the success answer. The HTTP and
 * gRPC export handlers are written once against this.
 */
import {
  LOGS_EXPORT_PATH,
  TRACE_EXPORT_PATH,
  countLogRecords,
  decodeJsonRequest,
  decodeLogsJsonRequest,
  decodeLogsProtobufRequest,
  decodeProtobufRequest,
  encodeExportResponse,
  encodeLogsExportResponse,
  type ExportLogsServiceRequest,
  type ExportTraceServiceRequest,
} from '../otlp/index.ts';

/** One OTLP signal's export request codec. */
export interface OtlpSignal<R> {
  /** The gRPC method path of its collector service's Export. */
  readonly grpcPath: string;
  decodeProtobuf(bytes: Uint8Array): R;
  decodeJson(text: string): R;
  /** False for an empty export (a flush with nothing in it): a success with nothing to store. */
  hasRecords(request: R): boolean;
  /** The plain-success Export response, protobuf-encoded. */
  encodeResponse(): Uint8Array;
}

/** Traces: ExportTraceServiceRequest. */
export const TRACES_SIGNAL: OtlpSignal<ExportTraceServiceRequest> = {
  grpcPath: TRACE_EXPORT_PATH,
  decodeProtobuf: decodeProtobufRequest,
  decodeJson: decodeJsonRequest,
  hasRecords: (request) => request.resourceSpans.some((rs) => rs.scopeSpans.some((ss) => ss.spans.length > 0)),
  encodeResponse: () => encodeExportResponse(),
};

/** Logs: ExportLogsServiceRequest. */
export const LOGS_SIGNAL: OtlpSignal<ExportLogsServiceRequest> = {
  grpcPath: LOGS_EXPORT_PATH,
  decodeProtobuf: decodeLogsProtobufRequest,
  decodeJson: decodeLogsJsonRequest,
  hasRecords: (request) => countLogRecords(request) > 0,
  encodeResponse: encodeLogsExportResponse,
};
