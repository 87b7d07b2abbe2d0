/**
 * Test fixtures: OTLP export requests built with protobufjs and round-tripped through bytes, so
 * that tests push exactly what a receiver decodes off the wire (Long times, Uint8Array ids).
 */
import type { ExportTraceServiceRequestLike as OtlpExportRequest, SpanLike as OtlpSpan } from '../../otlp/index.ts';
import { ExportTraceServiceRequestType, SpanType, TracesDataType } from './schema.ts';

/** A deterministic, valid 16-byte trace id for a small number. */
export function traceIdOf(n: number, salt = 0): Uint8Array {
  const id = new Uint8Array(16);
  const view = new DataView(id.buffer);
  view.setUint32(0, 0x7a000000 + salt);
  view.setUint32(12, n);
  return id;
}

/** A deterministic, valid 8-byte span id. */
export function spanIdOf(n: number, salt = 0): Uint8Array {
  const id = new Uint8Array(8);
  const view = new DataView(id.buffer);
  view.setUint16(0, 0x5b00 + salt);
  view.setUint32(4, n);
  return id;
}

/** Hex of an id. */
export function hex(id: Uint8Array): string {
  return Buffer.from(id).toString('hex');
}

/** A fixed64 from bigint nanoseconds, as the {low, high} pair protobufjs encodes. */
export function nanos(n: bigint): { low: number; high: number; unsigned: boolean } {
  return int64(n, true);
}

/** An int64 (two's complement for negatives) as a {low, high} pair. */
export function int64(n: bigint | number, unsigned = false): { low: number; high: number; unsigned: boolean } {
  const u = BigInt.asUintN(64, BigInt(n));
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned };
}

export interface SpanSpec {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  start: bigint;
  end: bigint;
  kind?: number;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
}

export interface ResourceSpec {
  service: string;
  attributes?: Record<string, string>;
  scope?: string;
  spans: SpanSpec[];
}

/** A decoded export request from compact specs. */
export function makeRequest(resources: ResourceSpec[]): OtlpExportRequest {
  return roundTrip({
    resourceSpans: resources.map((r) => ({
      resource: { attributes: keyValues({ 'service.name': r.service, ...r.attributes }) },
      scopeSpans: [{ scope: { name: r.scope ?? 'zeroscope-test', version: '1.0.0' }, spans: r.spans.map(specSpan) }],
    })),
  });
}

function specSpan(s: SpanSpec): object {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? new Uint8Array(0),
    name: s.name,
    kind: s.kind ?? 2,
    startTimeUnixNano: nanos(s.start),
    endTimeUnixNano: nanos(s.end),
    attributes: keyValues(s.attributes ?? {}),
    status: s.error ? { code: 2, message: 'failed' } : { code: 0 },
  };
}

function keyValues(attrs: Record<string, string | number | boolean>): object[] {
  return Object.entries(attrs).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: int64(v) }
            : { doubleValue: v },
  }));
}

/**
 * Two services, two scopes, every AnyValue type (nested arrays and kvlists, bytes, int64 beyond
 * 2^53, negatives), events, links, status, trace state, flags and dropped counts.
 */
export function richRequest(base: bigint): OtlpExportRequest {
  const trace = traceIdOf(1, 9);
  const every = [
    { key: 'str', value: { stringValue: 'héllo ✓' } },
    { key: 'bool', value: { boolValue: true } },
    { key: 'int', value: { intValue: int64(-9007199254740993n) } },
    { key: 'int.small', value: { intValue: int64(42) } },
    { key: 'double', value: { doubleValue: 3.25 } },
    { key: 'bytes', value: { bytesValue: Uint8Array.of(0, 1, 254, 255) } },
    {
      key: 'array',
      value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: int64(7) }, { arrayValue: { values: [] } }] } },
    },
    {
      key: 'kvlist',
      value: {
        kvlistValue: {
          values: [
            { key: 'nested', value: { kvlistValue: { values: [{ key: 'deep', value: { bytesValue: Uint8Array.of(9) } }] } } },
            { key: 'empty', value: {} },
          ],
        },
      },
    },
  ];
  const span = (n: number, parent: number | undefined, name: string, kind: number, offset: bigint): object => ({
    traceId: trace,
    spanId: spanIdOf(n, 9),
    parentSpanId: parent === undefined ? new Uint8Array(0) : spanIdOf(parent, 9),
    traceState: 'zs=1',
    flags: 0x301,
    name,
    kind,
    startTimeUnixNano: nanos(base + offset),
    endTimeUnixNano: nanos(base + offset + 5_000_000n),
    attributes: every,
    droppedAttributesCount: 2,
    events: [
      { timeUnixNano: nanos(base + offset + 1n), name: 'message', attributes: every.slice(0, 3), droppedAttributesCount: 1 },
    ],
    droppedEventsCount: 3,
    links: [{ traceId: traceIdOf(2, 9), spanId: spanIdOf(7, 9), traceState: 'l=1', attributes: every.slice(3), flags: 1 }],
    droppedLinksCount: 4,
    status: { code: 2, message: 'boom' },
  });
  return roundTrip({
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'order' } }, ...every.slice(0, 2)],
          droppedAttributesCount: 1,
        },
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        scopeSpans: [
          {
            scope: { name: 'zeroscope/rest', version: '0.1.0', attributes: every.slice(4, 5) },
            schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
            spans: [span(1, undefined, 'GET /api/order/:id', 2, 0n)],
          },
          { scope: { name: 'zeroscope/rpc', version: '0.1.0' }, spans: [span(2, 1, 'user.User/Get', 3, 1_000_000n)] },
        ],
      },
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'user' } }] },
        scopeSpans: [{ scope: { name: 'zeroscope/rpc', version: '0.1.0' }, spans: [span(3, 2, 'user.User/Get', 2, 2_000_000n)] }],
      },
    ],
  });
}

/** Encodes and decodes, as a receiver would. */
export function roundTrip(request: object): OtlpExportRequest {
  return ExportTraceServiceRequestType.decode(ExportTraceServiceRequestType.encode(request).finish()) as OtlpExportRequest;
}

/** A span as a plain object for deep comparison (longs and bytes as strings). */
export function spanObject(span: OtlpSpan | object): Record<string, unknown> {
  return SpanType.toObject(SpanType.fromObject(span), { longs: String, bytes: String }) as Record<string, unknown>;
}

/** A TracesData body decoded (the same shape as an export request). */
export function decodeTracesData(bytes: Uint8Array): OtlpExportRequest {
  return TracesDataType.decode(bytes) as OtlpExportRequest;
}

/** A group's resource (or a scope group's scope) as a plain object, for deep comparison. */
export function plain(message: unknown): unknown {
  return message == null ? message : JSON.parse(JSON.stringify(message));
}

/** Every span of a request, flattened. */
export function spansOf(request: OtlpExportRequest): OtlpSpan[] {
  return (request.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
}
