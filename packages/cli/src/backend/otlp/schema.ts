/**
 * The one place that loads the OTLP schema. Everything that encodes or decodes OTLP in the
 * backend (receivers, store, API) goes through the types looked up here, so there is a single
 * decoding path and a single idea of what the wire format is.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// Resolved from this module, not the working directory, so the backend runs from anywhere.
const protoDir = fileURLToPath(new URL('./proto/', import.meta.url));

/**
 * The protobufjs root holding the OTLP trace schema (opentelemetry.proto.*) and google.rpc.Status.
 * int64/fixed64 fields decode to `Long` (protobufjs' default while the `long` package is present).
 */
export const otlpRoot: protobuf.Root = protobuf.loadSync(
  ['trace_service.proto', 'status.proto'].map((file) => protoDir + file),
);

/** The message types the backend uses, looked up once. */
export const otlpTypes = {
  ExportTraceServiceRequest: otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  ExportTraceServiceResponse: otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  TracesData: otlpRoot.lookupType('opentelemetry.proto.trace.v1.TracesData'),
  ResourceSpans: otlpRoot.lookupType('opentelemetry.proto.trace.v1.ResourceSpans'),
  Span: otlpRoot.lookupType('opentelemetry.proto.trace.v1.Span'),
  SpanLink: otlpRoot.lookupType('opentelemetry.proto.trace.v1.Span.Link'),
  AnyValue: otlpRoot.lookupType('opentelemetry.proto.common.v1.AnyValue'),
  RpcStatus: otlpRoot.lookupType('google.rpc.Status'),
  RetryInfo: otlpRoot.lookupType('google.rpc.RetryInfo'),
} as const;

/** gRPC method path of the OTLP trace export. */
export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
