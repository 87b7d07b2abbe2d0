/**
 * Test helpers for code that consumes Tempo trace JSON: the shared trace builder's JSON forms,
 * typed as the UI reads them.
 */
import { otlpJson, tempoTraceJson, type SpanSpec } from '../../backend/otlp/testing/trace-builder.ts';
import type { OtlpResourceSpans, TraceByIdResponse } from '../lib/tempo-types.ts';

export type { SpanSpec };

/** One trace as `/api/v2/traces/<id>` returns it; `number` times are ms after `baseNs`. */
export function otlpTrace(traceId: string, spans: SpanSpec[], baseNs?: bigint): TraceByIdResponse {
  return tempoTraceJson(spans, { traceId, baseNs }) as TraceByIdResponse;
}

/** The same trace as an OTLP/HTTP JSON export body (`POST /v1/traces`), ids in hex. */
export function otlpExportRequest(traceId: string, spans: SpanSpec[], baseNs?: bigint): { resourceSpans: OtlpResourceSpans[] } {
  return otlpJson(spans, { traceId, baseNs }) as { resourceSpans: OtlpResourceSpans[] };
}
