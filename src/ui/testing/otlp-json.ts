/**
 * Builds Tempo trace-by-id JSON (OTLP protojson: base64 ids, string nanos) from a compact
 * description, for unit tests and the browser-test fixture server.
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

/** One trace as `/api/v2/traces/<id>` returns it: a resourceSpans entry per service. */
export function otlpTrace(traceId: string, spans: SpanSpec[], baseNs = 1_700_000_000_000_000_000n): TraceByIdResponse {
  const byService = new Map<string, OtlpSpan[]>();
  for (const s of spans) {
    const span: OtlpSpan = {
      traceId: hexToBase64(traceId),
      spanId: hexToBase64(s.spanId),
      name: s.name,
      kind: `SPAN_KIND_${s.kind ?? 'INTERNAL'}`,
      startTimeUnixNano: nanos(baseNs, s.startMs),
      endTimeUnixNano: nanos(baseNs, s.endMs),
      attributes: toKeyValues(s.attributes),
      events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: nanos(baseNs, e.atMs), attributes: toKeyValues(e.attributes) })),
      links: (s.links ?? []).map((l) => ({ traceId: hexToBase64(l.traceId), spanId: hexToBase64(l.spanId) })),
      status: s.error !== undefined ? { code: 'STATUS_CODE_ERROR', message: s.error } : {},
    };
    if (s.parentSpanId) span.parentSpanId = hexToBase64(s.parentSpanId);
    const list = byService.get(s.service) ?? [];
    list.push(span);
    byService.set(s.service, list);
  }
  const resourceSpans: OtlpResourceSpans[] = [...byService].map(([service, list]) => ({
    resource: { attributes: toKeyValues({ 'service.name': service, 'telemetry.sdk.language': 'nodejs' }) },
    scopeSpans: [{ scope: { name: 'zeroscope', version: '0.1.0' }, spans: list }],
  }));
  return { trace: { resourceSpans } };
}
