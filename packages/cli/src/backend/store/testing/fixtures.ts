/**
 * Store test fixtures beside the shared trace builder (`otlp/testing/trace-builder.ts`): a request
 * that sets every field OTLP has (dropped counts, flags, schema URLs, nested AnyValues), and the
 * helpers that read stored bytes back for comparison.
 */
import { spanIdOf, traceIdOf, idBytes } from '../../otlp/testing/trace-builder.ts';
import type { ExportTraceServiceRequestLike as OtlpExportRequest, SpanLike as OtlpSpan } from '../../otlp/index.ts';
import { ExportTraceServiceRequestType, SpanType, TracesDataType } from '../internal/schema.ts';

/** An int64 (two's complement for negatives) as a {low, high} pair. */
function int64(n: bigint | number, unsigned = false): { low: number; high: number; unsigned: boolean } {
  const u = BigInt.asUintN(64, BigInt(n));
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned };
}

/** A fixed64 from bigint nanoseconds. */
const nanos = (n: bigint) => int64(n, true);

/**
 * Two services, two scopes, every AnyValue type (nested arrays and kvlists, bytes, int64 beyond
 * 2^53, negatives), events, links, status, trace state, flags and dropped counts.
 */
export function richRequest(base: bigint): OtlpExportRequest {
  const trace = idBytes(traceIdOf(1, 9));
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
    spanId: idBytes(spanIdOf(n, 9)),
    parentSpanId: parent === undefined ? new Uint8Array(0) : idBytes(spanIdOf(parent, 9)),
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
    links: [{ traceId: idBytes(traceIdOf(2, 9)), spanId: idBytes(spanIdOf(7, 9)), traceState: 'l=1', attributes: every.slice(3), flags: 1 }],
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
