/**
 * The trace as JSON to read or download, in two shapes: Tempo's (the `/api/v2/traces/<id>`
 * answer as received: protojson, base64 ids, enum names) and OTLP's (an OTLP/HTTP JSON export
 * request: hex ids and enum numbers, as the OTLP spec's JSON encoding requires), which any
 * OTLP receiver, zeroscope's included, takes back.
 */
import { idToHex } from './ids.ts';
import { kindName, resourceSpansOf, statusName } from './trace-model.ts';
import type { OtlpResourceSpans, OtlpSpan, TraceByIdResponse } from './tempo-types.ts';

export type JsonShape = 'tempo' | 'otlp';

const KIND_NUMBER: Record<string, number> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS_NUMBER: Record<string, number> = { unset: 0, ok: 1, error: 2 };

function otlpSpan(span: OtlpSpan): OtlpSpan {
  const out: OtlpSpan = {
    ...span,
    traceId: idToHex(span.traceId),
    spanId: idToHex(span.spanId),
    parentSpanId: idToHex(span.parentSpanId),
    kind: KIND_NUMBER[kindName(span.kind)],
  };
  if (span.status) out.status = { ...span.status, code: STATUS_NUMBER[statusName(span.status.code)] };
  if (span.links) out.links = span.links.map((l) => ({ ...l, traceId: idToHex(l.traceId), spanId: idToHex(l.spanId) }));
  return out;
}

/** The trace as an OTLP/HTTP JSON `ExportTraceServiceRequest`. */
export function toOtlpJson(body: TraceByIdResponse): { resourceSpans: OtlpResourceSpans[] } {
  return {
    resourceSpans: resourceSpansOf(body).map((rs) => ({
      resource: rs.resource,
      scopeSpans: (rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []).map((ss) => ({ ...ss, spans: (ss.spans ?? []).map(otlpSpan) })),
    })),
  };
}

/** The JSON text of a shape, indented. */
export function traceJsonText(body: TraceByIdResponse, shape: JsonShape): string {
  return JSON.stringify(shape === 'otlp' ? toOtlpJson(body) : body, null, 2);
}

/** The file name a download gets. */
export function traceJsonFileName(traceId: string, shape: JsonShape): string {
  return `trace-${traceId}${shape === 'otlp' ? '.otlp' : '.tempo'}.json`;
}
