import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeJsonObject, decodeProtobufRequest, otlpTypes, receivedSpanBytes } from '../../otlp/index.ts';
import {
  longToBigInt as toBigInt,
  stringAttribute,
  type ExportTraceServiceRequestLike as OtlpExportRequest,
  type SpanLike as OtlpSpan,
} from '../../otlp/index.ts';
import { REF_BYTES, prepareRequest, type PreparedBatch } from './prepare.ts';
import { ResourceSpansType, ScopeSpansType, SpanType } from './schema.ts';
import { TagCatalogIndex } from './tag-catalog.ts';
import { createRng } from '../../../../../../test/lib/random.ts';

/**
 * The straightforward preparation (one key and value allocation per span, traces grouped by hex),
 * as prepare.ts did it before it placed a request's keys and values in shared buffers.
 */
function referencePrepare(request: OtlpExportRequest) {
  const traces = new Map<string, { traceHex: string; spans: Array<{ key: string; value: string; start: bigint; end: bigint; name: string; serviceName: string; isRoot: boolean; isError: boolean }> }>();
  const blobs = new Map<string, string>();
  const ref = (kind: number, bytes: Uint8Array): Buffer => {
    const r = createHash('sha256').update(Uint8Array.of(kind)).update(bytes).digest().subarray(0, REF_BYTES);
    blobs.set(r.toString('hex'), Buffer.from(bytes).toString('hex'));
    return r;
  };
  let spanCount = 0;
  for (const rs of request.resourceSpans ?? []) {
    const serviceName = stringAttribute(rs.resource?.attributes, 'service.name');
    const resourceRef = ref(0x72, ResourceSpansType.encode(rs.schemaUrl ? { resource: rs.resource, schemaUrl: rs.schemaUrl } : { resource: rs.resource }).finish());
    for (const ss of rs.scopeSpans ?? []) {
      const scopeRef = ref(0x73, ScopeSpansType.encode(ss.schemaUrl ? { scope: ss.scope, schemaUrl: ss.schemaUrl } : { scope: ss.scope }).finish());
      for (const span of ss.spans ?? []) {
        spanCount++;
        const body = receivedSpanBytes(span) ?? SpanType.encode(span).finish();
        const traceHex = Buffer.from(span.traceId!).toString('hex');
        let trace = traces.get(traceHex);
        if (!trace) traces.set(traceHex, (trace = { traceHex, spans: [] }));
        const parent = span.parentSpanId;
        trace.spans.push({
          key: traceHex + Buffer.from(span.spanId!).toString('hex'),
          value: Buffer.concat([resourceRef, scopeRef, body]).toString('hex'),
          start: toBigInt(span.startTimeUnixNano),
          end: toBigInt(span.endTimeUnixNano),
          name: span.name ?? '',
          serviceName,
          isRoot: !parent || parent.length === 0 || parent.every((b) => b === 0),
          isError: span.status?.code === 2,
        });
      }
    }
  }
  return { traces: [...traces.values()], blobs: Object.fromEntries(blobs), spanCount };
}

/** The batch in the reference's terms (hex instead of views into shared buffers). */
function comparable(batch: PreparedBatch) {
  return {
    traces: batch.traces.map((t) => {
      assert.equal(Buffer.from(t.traceId).toString('hex'), t.traceHex);
      return {
        traceHex: t.traceHex,
        spans: t.spans.map((s) => ({ ...s, key: Buffer.from(s.key).toString('hex'), value: Buffer.from(s.value).toString('hex') })),
      };
    }),
    blobs: Object.fromEntries(batch.blobs.map((b) => [b.refHex, Buffer.from(b.bytes).toString('hex')])),
    spanCount: batch.spanCount,
  };
}

const hex = (rand: () => number, bytes: number): string => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('');

/** A request whose traces interleave across spans, resources and scopes, with repeats. */
function randomJsonRequest(rand: () => number): Record<string, unknown> {
  const traceIds = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => hex(rand, 16));
  const spanIds = Array.from({ length: 6 }, () => hex(rand, 8));
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)];
  return {
    resourceSpans: Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, r) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${r % 2}` } }, { key: 'host', value: { stringValue: pick(['a', 'b', 'ü']) } }] },
      schemaUrl: rand() < 0.3 ? 'https://opentelemetry.io/schemas/1.21.0' : '',
      scopeSpans: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
        scope: { name: pick(['lib', 'other']), version: '1' },
        spans: Array.from({ length: Math.floor(rand() * 12) }, () => ({
          traceId: pick(traceIds),
          spanId: pick(spanIds),
          parentSpanId: pick(['', '0000000000000000', ...spanIds]),
          name: pick(['GET /a', 'SELECT', 'ünïcode name', '']),
          kind: Math.floor(rand() * 6),
          startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(Math.floor(rand() * 1e9))),
          endTimeUnixNano: String(1_700_000_001_000_000_000n + BigInt(Math.floor(rand() * 1e9))),
          attributes: [{ key: 'k', value: { intValue: String(Math.floor(rand() * 5)) } }, { key: 's', value: { stringValue: pick(['x', 'y']) } }],
          status: { code: Math.floor(rand() * 3) },
          events: rand() < 0.5 ? [{ name: 'e', timeUnixNano: '5' }] : [],
        })),
      })),
    })),
  };
}

describe('prepareRequest', () => {
  it('gives what the per-span reference gives, for protobuf (received bytes) and JSON (encoded) spans', () => {
    const rand = createRng(7).next;
    for (let i = 0; i < 200; i++) {
      const json = randomJsonRequest(rand);
      const fromJson = decodeJsonObject(json) as unknown as OtlpExportRequest;
      const bytes = otlpTypes.ExportTraceServiceRequest.encode(fromJson as never).finish();
      const fromProtobuf = decodeProtobufRequest(bytes) as unknown as OtlpExportRequest;
      for (const request of [fromJson, fromProtobuf]) {
        assert.deepEqual(comparable(prepareRequest(request)), referencePrepare(request), `request ${i}`);
      }
    }
  });

  it('reports the same new catalog tags whichever way the request came', () => {
    const rand = createRng(11).next;
    const viaJson = new TagCatalogIndex();
    const viaProtobuf = new TagCatalogIndex();
    for (let i = 0; i < 50; i++) {
      const request = decodeJsonObject(randomJsonRequest(rand));
      const bytes = otlpTypes.ExportTraceServiceRequest.encode(request as never).finish();
      const a = prepareRequest(request as unknown as OtlpExportRequest, viaJson).newTags;
      const b = prepareRequest(decodeProtobufRequest(bytes) as unknown as OtlpExportRequest, viaProtobuf).newTags;
      assert.deepEqual(b, a);
    }
    assert.deepEqual(viaProtobuf.names('span'), ['k', 's']);
  });

  it('rejects the whole request at the first bad id, naming it, before preparing anything', () => {
    const good = { traceId: new Uint8Array(16).fill(1), spanId: new Uint8Array(8).fill(2), name: 'ok' };
    const bad: OtlpSpan = { ...good, spanId: new Uint8Array(7) };
    const request: OtlpExportRequest = { resourceSpans: [{ scopeSpans: [{ spans: [good] }, { spans: [good, bad] }] }] };
    assert.throws(() => prepareRequest(request), { code: 'STORE_ERR_INVALID_SPAN', message: 'resourceSpans[0].scopeSpans[1].spans[1]: span id must be 8 bytes' });
  });
});
