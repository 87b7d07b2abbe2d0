/** The OTLP message types the store encodes and decodes, from the backend's one schema root. */
import { otlpRoot, otlpTypes } from '../../otlp/index.ts';

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest */
export const ExportTraceServiceRequestType = otlpTypes.ExportTraceServiceRequest;
/** opentelemetry.proto.trace.v1.TracesData */
export const TracesDataType = otlpTypes.TracesData;
/** opentelemetry.proto.trace.v1.ResourceSpans */
export const ResourceSpansType = otlpTypes.ResourceSpans;
/** opentelemetry.proto.trace.v1.ScopeSpans (not in otlpTypes: only the store needs it alone) */
export const ScopeSpansType = otlpRoot.lookupType('opentelemetry.proto.trace.v1.ScopeSpans');
/** opentelemetry.proto.trace.v1.Span */
export const SpanType = otlpTypes.Span;
