import type * as Transformer from '@opentelemetry/otlp-transformer';
import type { IExporterMetricsHelper, IExportTraceServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import { loadOnUse } from '../../internal/load-on-use.ts';
import type { ReadableSpan } from '../exporters/types.ts';
import { encodeTraceRequest } from './encode-traces.ts';

/**
 * The official protobuf serializer with its request side replaced by {@link encodeTraceRequest}
 * (same bytes, less CPU); responses are still read by the official code. Plugged into the official
 * OTLP/HTTP export delegate, so sending, retries, back-off and `Retry-After` stay the exporter's.
 */
export const fastTraceSerializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest: (spans) => encodeTraceRequest(spans),
  // An empty body (what a receiver that took every span answers) is the empty response; only a
  // body with something in it (a partial success) loads the official reader, and with it
  // @opentelemetry/otlp-transformer and the metrics SDK its index pulls in.
  deserializeResponse: (data) =>
    data.length === 0 ? {} : (loadOnUse('@opentelemetry/otlp-transformer') as typeof Transformer).ProtobufTraceSerializer.deserializeResponse(data),
};

/**
 * What `@opentelemetry/otlp-transformer`'s `TraceExporterMetricsHelper` is (the exporter's
 * self-observability metrics count a batch's spans), written here so that building the exporter
 * does not load that package; serializer.test.ts proves the two equal.
 */
export const spanExportMetrics: IExporterMetricsHelper<ReadableSpan[]> = {
  name: 'span',
  countItems: (spans) => spans.length,
};
