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
  exportResponseJson,
  screenRequest,
  type PartialSuccess,
  type ExportLogsServiceRequest,
  type ExportTraceServiceRequest,
} from '../otlp/index.ts';

/** One OTLP signal's export request codec. */
export interface OtlpSignal<R> {
  /** The gRPC method path of its collector service's Export. */
  readonly grpcPath: string;
  /** Decodes a request; bad records are left in for `screen`. Throws only when nothing decodes. */
  decodeProtobuf(bytes: Uint8Array): R;
  decodeJson(text: string): R;
  /**
   * Drops the records that cannot be stored (in place) and says how many, for OTLP's partial
   * success; undefined when all are good.
   */
  screen(request: R, format: 'protobuf' | 'json'): PartialSuccess | undefined;
  /** False for an empty export (a flush with nothing in it): a success with nothing to store. */
  hasRecords(request: R): boolean;
  /** The Export response, protobuf-encoded (a partial success when given). */
  encodeResponse(partial?: PartialSuccess): Uint8Array;
  /** The Export response as OTLP/JSON. */
  responseJson(partial?: PartialSuccess): string;
}

/** Traces: ExportTraceServiceRequest. */
export const TRACES_SIGNAL: OtlpSignal<ExportTraceServiceRequest> = {
  grpcPath: TRACE_EXPORT_PATH,
  decodeProtobuf: (bytes) => decodeProtobufRequest(bytes, { checkSpans: false }),
  decodeJson: (text) => decodeJsonRequest(text, { checkSpans: false }),
  screen: screenRequest,
  hasRecords: (request) => request.resourceSpans.some((rs) => rs.scopeSpans.some((ss) => ss.spans.length > 0)),
  encodeResponse: encodeExportResponse,
  responseJson: exportResponseJson,
};

/** Logs: ExportLogsServiceRequest. */
export const LOGS_SIGNAL: OtlpSignal<ExportLogsServiceRequest> = {
  grpcPath: LOGS_EXPORT_PATH,
  decodeProtobuf: decodeLogsProtobufRequest,
  decodeJson: decodeLogsJsonRequest,
  screen: () => undefined,
  hasRecords: (request) => countLogRecords(request) > 0,
  encodeResponse: () => encodeLogsExportResponse(),
  responseJson: () => exportResponseJson(),
};
