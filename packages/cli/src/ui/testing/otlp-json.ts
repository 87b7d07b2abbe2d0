/**
 * Builds OTLP JSON from a compact description of spans: Tempo's trace-by-id form (protojson,
 * base64 ids) for unit tests, and the OTLP/HTTP JSON export form (hex ids, as the OTLP spec
 * requires) that the browser tests POST into the backend.
 */
import type { KeyValue, OtlpResourceSpans, OtlpSpan, TraceByIdResponse } from '../lib/tempo-types.ts';

export interface SpanSpec {
  service: string;
  /** 16 hex digits. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: 'SERVER' | 'CLIENT' | 'INTERNAL' | 'PRODUCER' | 'CONSUMER';
  /** Milliseconds after the trace's base time. */
  startMs: number;
  endMs: number;
  attributes?: Record<string, string | number | boolean>;
  error?: string;
  events?: { name: string; atMs: number; attributes?: Record<string, string | number | boolean> }[];
  links?: { traceId: string; spanId: string }[];
}

/** Hex → standard base64, as protojson writes bytes. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function toKeyValues(attrs: Record<string, string | number | boolean> = {}): KeyValue[] {
  return Object.entries(attrs).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v },
  }));
}

const nanos = (baseNs: bigint, ms: number) => String(baseNs + BigInt(Math.round(ms * 1_000_000)));

type IdEncoding = 'base64' | 'hex';

function resourceSpans(traceId: string, spans: SpanSpec[], baseNs: bigint, ids: IdEncoding): OtlpResourceSpans[] {
  const id = ids === 'hex' ? (hex: string) => hex.toLowerCase() : hexToBase64;
  const byService = new Map<string, OtlpSpan[]>();
  for (const s of spans) {
    const span: OtlpSpan = {
      traceId: id(traceId),
      spanId: id(s.spanId),
      name: s.name,
      kind: `SPAN_KIND_${s.kind ?? 'INTERNAL'}`,
      startTimeUnixNano: nanos(baseNs, s.startMs),
      endTimeUnixNano: nanos(baseNs, s.endMs),
      attributes: toKeyValues(s.attributes),
      events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: nanos(baseNs, e.atMs), attributes: toKeyValues(e.attributes) })),
      links: (s.links ?? []).map((l) => ({ traceId: id(l.traceId), spanId: id(l.spanId) })),
      status: s.error !== undefined ? { code: 'STATUS_CODE_ERROR', message: s.error } : {},
    };
    if (s.parentSpanId) span.parentSpanId = id(s.parentSpanId);
    const list = byService.get(s.service) ?? [];
    list.push(span);
    byService.set(s.service, list);
  }
  return [...byService].map(([service, list]) => ({
    resource: { attributes: toKeyValues({ 'service.name': service, 'telemetry.sdk.language': 'nodejs' }) },
    scopeSpans: [{ scope: { name: 'zeroscope', version: '0.1.0' }, spans: list }],
  }));
}

/** One trace as `/api/v2/traces/<id>` returns it: a resourceSpans entry per service. */
export function otlpTrace(traceId: string, spans: SpanSpec[], baseNs = 1_700_000_000_000_000_000n): TraceByIdResponse {
  return { trace: { resourceSpans: resourceSpans(traceId, spans, baseNs, 'base64') } };
}

/** The same trace as an OTLP/HTTP JSON export body (`POST /v1/traces`), ids in hex. */
export function otlpExportRequest(traceId: string, spans: SpanSpec[], baseNs = 1_700_000_000_000_000_000n): { resourceSpans: OtlpResourceSpans[] } {
  return { resourceSpans: resourceSpans(traceId, spans, baseNs, 'hex') };
}
