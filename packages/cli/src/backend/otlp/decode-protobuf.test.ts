import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  OtlpDecodeError,
  decodeProtobufRequest,
  decodeTracesData,
  encodeTracesData,
  otlpTypes,
  requestToQuerySpans,
  tracesDataToJson,
} from './index.ts';
import { varint } from './testing/trace-builder.ts';

const TRACE = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const SPAN = Buffer.from('eee19b7ec3c1b174', 'hex');

function encode(span: Record<string, unknown>): Uint8Array {
  const type = otlpTypes.ExportTraceServiceRequest;
  return type
    .encode(type.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, name: 'op', ...span }] }] }] }))
    .finish();
}

function rejects(bytes: Uint8Array, reason: RegExp): void {
  assert.throws(
    () => decodeProtobufRequest(bytes),
    (error: unknown) => error instanceof OtlpDecodeError && error.format === 'protobuf' && error.httpStatus === 400 && reason.test(error.reason),
  );
}

describe('decodeProtobufRequest', () => {
  it('decodes a request with full-range fixed64 times as Longs', () => {
    const bytes = encode({ startTimeUnixNano: '18446744073709551615', endTimeUnixNano: '1', kind: 3 });
    const request = decodeProtobufRequest(bytes);
    const [span] = requestToQuerySpans(request);
    assert.equal(span.startTimeUnixNano, 18446744073709551615n);
    assert.equal(span.traceId, TRACE.toString('hex'));
    assert.equal(span.kind, 3);
    assert.equal(span.durationNanos, 0, 'end before start counts as zero length');
  });

  it('accepts an empty body as an empty request', () => {
    assert.deepEqual(decodeProtobufRequest(new Uint8Array(0)).resourceSpans, []);
  });

  it('rejects truncated bytes', () => rejects(encode({}).subarray(0, 20), /index out of range/));
  it('rejects garbage', () => rejects(Buffer.from('this is not protobuf at all'), /wire type|out of range/));
  it('rejects a short trace id', () => rejects(encode({ traceId: Buffer.alloc(8, 1) }), /spans\[0\]\.traceId: expected 16 bytes, got 8/));
  it('rejects a missing span id', () => rejects(encode({ spanId: undefined }), /spans\[0\]\.spanId: expected 8 bytes, got 0/));
  it('rejects a bad parent id', () => rejects(encode({ parentSpanId: Buffer.alloc(3) }), /parentSpanId: expected 8 bytes/));
  it('rejects a bad link id', () => rejects(encode({ links: [{ traceId: TRACE, spanId: Buffer.alloc(4) }] }), /links\[0\]\.spanId/));
  it('rejects an unknown kind', () => rejects(encode({ kind: 7 }), /kind: unknown span kind 7/));
  it('rejects an unknown status code', () => rejects(encode({ status: { code: 5 } }), /status\.code: unknown status code 5/));

  it('turns absurdly deep nesting into a decode error', () => {
    // AnyValue{array_value: ArrayValue{values: [AnyValue{...}]}} nested far past the stack.
    let inner: Buffer = Buffer.from([0x0a, 0x01, 0x78]); // AnyValue{string_value: "x"}
    for (let i = 0; i < 20000; i++) {
      const values = Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]); // ArrayValue.values
      inner = Buffer.concat([Buffer.from([0x2a]), varint(values.length), values]); // AnyValue.array_value
    }
    const kv = Buffer.concat([Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varint(inner.length), inner]);
    const span = Buffer.concat([Buffer.from([0x4a]), varint(kv.length), kv]);
    const scope = Buffer.concat([Buffer.from([0x12]), varint(span.length), span]);
    const resource = Buffer.concat([Buffer.from([0x12]), varint(scope.length), scope]);
    const request = Buffer.concat([Buffer.from([0x0a]), varint(resource.length), resource]);
    rejects(request, /max depth exceeded|call stack/);
  });
});

describe('TracesData', () => {
  it('is byte-compatible with ExportTraceServiceRequest', () => {
    const bytes = encode({ startTimeUnixNano: 5, attributes: [{ key: 'k', value: { intValue: 1 } }] });
    const data = decodeTracesData(bytes);
    assert.deepEqual(Buffer.from(encodeTracesData(data)), Buffer.from(bytes));
    assert.deepEqual(Buffer.from(encodeTracesData(decodeProtobufRequest(bytes))), Buffer.from(bytes));
  });

  it('renders OTLP/JSON with hex or base64 ids and string int64', () => {
    const data = decodeTracesData(encode({ startTimeUnixNano: 5, parentSpanId: SPAN }));
    const hex = tracesDataToJson(data) as any;
    const span = hex.resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.traceId, TRACE.toString('hex'));
    assert.equal(span.parentSpanId, SPAN.toString('hex'));
    assert.equal(span.startTimeUnixNano, '5');
    const b64 = tracesDataToJson(data, 'base64') as any;
    assert.equal(b64.resourceSpans[0].scopeSpans[0].spans[0].traceId, TRACE.toString('base64'));
  });
});

