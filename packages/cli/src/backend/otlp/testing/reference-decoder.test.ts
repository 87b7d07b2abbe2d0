import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTypes } from '../index.ts';
import { decodeRequestKeepingSpanBytes, referenceSpanBytes } from './reference-decoder.ts';
import { lengthDelimited } from './trace-builder.ts';

const TRACE = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const span = (n: number, extra: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId: Buffer.from([0, 0, 0, 0, 0, 0, 0, n]),
  name: `op-${n}`,
  kind: 2,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '18446744073709551615',
  attributes: [
    { key: 's', value: { stringValue: 'héllo' } },
    { key: 'i', value: { intValue: '-9007199254740993' } },
    { key: 'd', value: { doubleValue: 0.5 } },
    { key: 'b', value: { bytesValue: Buffer.from([1, 2]) } },
    { key: 'a', value: { arrayValue: { values: [{ boolValue: true }, { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } }] } } },
  ],
  events: [{ name: 'e', timeUnixNano: '5', attributes: [{ key: 'x', value: { intValue: '1' } }] }],
  links: [{ traceId: TRACE, spanId: Buffer.alloc(8, 9), traceState: 'a=b' }],
  status: { code: 2, message: 'boom' },
  ...extra,
});

function encode(object: Record<string, unknown>): Buffer {
  const type = otlpTypes.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

const SAMPLE = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'order' } }], droppedAttributesCount: 2 },
      schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
      scopeSpans: [
        { scope: { name: 'lib', version: '1' }, schemaUrl: 'x', spans: [span(1), span(2, { parentSpanId: Buffer.alloc(8, 1) })] },
        { spans: [span(3)] },
      ],
    },
    { scopeSpans: [] },
    { resource: {}, scopeSpans: [{ scope: { name: 'other' }, spans: [span(4, { kind: 0, status: {} })] }] },
  ],
};

describe('decodeRequestKeepingSpanBytes', () => {
  it('decodes exactly as protobufjs does', () => {
    const bytes = encode(SAMPLE);
    assert.deepStrictEqual(decodeRequestKeepingSpanBytes(bytes), otlpTypes.ExportTraceServiceRequest.decode(bytes));
  });

  it('keeps each span’s received bytes, which decode back to that span', () => {
    const request = decodeRequestKeepingSpanBytes(encode(SAMPLE));
    const spans = request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    assert.equal(spans.length, 4);
    for (const s of spans) {
      const bytes = referenceSpanBytes(s);
      assert.ok(bytes, 'bytes kept');
      assert.deepStrictEqual(otlpTypes.Span.decode(bytes), otlpTypes.Span.decode(otlpTypes.Span.encode(s).finish()));
    }
    assert.equal(Object.keys(spans[0]).includes('undefined'), false);
    assert.equal(JSON.stringify(spans[0]).includes('referenceSpanBytes'), false, 'hidden from JSON');
  });

  it('keeps unknown span fields in the received bytes', () => {
    const spanBytes = Buffer.concat([otlpTypes.Span.encode(otlpTypes.Span.fromObject(span(5))).finish(), Buffer.from([0xf8, 0x07, 0x2a])]); // field 127 varint
    const bytes = lengthDelimited(0x0a, lengthDelimited(0x12, lengthDelimited(0x12, spanBytes)));
    const [s] = decodeRequestKeepingSpanBytes(bytes).resourceSpans[0].scopeSpans[0].spans;
    assert.deepEqual(Buffer.from(referenceSpanBytes(s)!), spanBytes);
  });

  it('merges a repeated resource and skips unknown and mistyped outer fields, as protobufjs does', () => {
    const resource = (key: string) => otlpTypes.ResourceSpans.encode(otlpTypes.ResourceSpans.fromObject({ resource: { attributes: [{ key, value: { stringValue: key } }] } })).finish();
    const rs = Buffer.concat([
      resource('a'),
      resource('b'),
      Buffer.from([0x18, 0x05]), // field 3 (schema_url) with the varint wire type: skipped
      Buffer.from([0x25, 1, 2, 3, 4]), // field 4, fixed32: unknown
    ]);
    const bytes = Buffer.concat([lengthDelimited(0x0a, rs), Buffer.from([0x10, 0x01])]);
    assert.deepStrictEqual(decodeRequestKeepingSpanBytes(bytes), otlpTypes.ExportTraceServiceRequest.decode(bytes));
    assert.equal(decodeRequestKeepingSpanBytes(bytes).resourceSpans[0].resource?.attributes.length, 2);
  });

  it('throws what protobufjs throws on bad bytes', () => {
    const good = encode(SAMPLE);
    for (const bad of [good.subarray(0, 40), good.subarray(0, good.length - 3), Buffer.from('not protobuf at all'), Buffer.from([0x0a, 0x05, 0x00])]) {
      let expected: unknown;
      try {
        otlpTypes.ExportTraceServiceRequest.decode(bad);
      } catch (err) {
        expected = err;
      }
      assert.ok(expected instanceof Error, 'protobufjs rejects it too');
      assert.throws(() => decodeRequestKeepingSpanBytes(bad), (err: unknown) => err instanceof Error && err.constructor === (expected as Error).constructor);
    }
  });
});
