import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJsonObject } from '../decode-json.ts';
import { decodeProtobufRequest } from '../decode-protobuf.ts';
import { otlpTypes } from '../schema.ts';
import { bytesToHex } from './ids.ts';
import { requestToQuerySpans, toQuerySpan } from './query-span.ts';
import { toSpanResource, toSpanScope } from './span-parts.ts';
import type { SpanLike } from './types.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const REQUEST = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'order' } }] },
      scopeSpans: [
        {
          scope: { name: 'lib', version: '2', attributes: [{ key: 'lib.flag', value: { boolValue: true } }] },
          spans: [
            {
              traceId: Buffer.from(TRACE, 'hex'),
              spanId: Buffer.from('0000000000000001', 'hex'),
              parentSpanId: Buffer.alloc(8),
              name: 'GET /order',
              kind: 2,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000250000000',
              attributes: [
                { key: 'http.route', value: { stringValue: '/order' } },
                { key: 'big', value: { intValue: '9223372036854775807' } },
              ],
              events: [{ name: 'e', timeUnixNano: '1700000000100000000', attributes: [{ key: 'n', value: { intValue: 1 } }] }],
              links: [{ traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.alloc(8, 9) }],
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ],
};

const bytes = otlpTypes.ExportTraceServiceRequest.encode(otlpTypes.ExportTraceServiceRequest.fromObject(REQUEST)).finish();

describe('toQuerySpan: one conversion for search and storage', () => {
  it('gives the same QuerySpan from the receivers’ decoder, protobufjs, OTLP/JSON and the stored Span bytes', () => {
    const fromReceivers = requestToQuerySpans(decodeProtobufRequest(bytes));
    const fromProtobufjs = requestToQuerySpans(otlpTypes.ExportTraceServiceRequest.decode(bytes) as never);
    // OTLP/JSON writes ids as hex.
    const json: unknown = JSON.parse(JSON.stringify(REQUEST, (_key, value: unknown) => (value && (value as { type?: string }).type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('hex') : value)));
    const fromJson = requestToQuerySpans(decodeJsonObject(json));
    const span = otlpTypes.ExportTraceServiceRequest.decode(bytes) as unknown as { resourceSpans: { resource: never; scopeSpans: { scope: never; spans: SpanLike[] }[] }[] };
    const rs = span.resourceSpans[0];
    const spanBytes = otlpTypes.Span.encode(rs.scopeSpans[0].spans[0] as never).finish();
    const fromStored = toQuerySpan(spanBytes, toSpanResource(rs.resource), toSpanScope(rs.scopeSpans[0].scope));
    assert.deepStrictEqual(fromProtobufjs, fromReceivers);
    assert.deepStrictEqual(fromJson, fromReceivers);
    assert.deepStrictEqual([fromStored], fromReceivers);
    const [q] = fromReceivers;
    assert.equal(q.traceId, TRACE);
    assert.equal(q.parentSpanId, '', 'an all-zero parent is a root');
    assert.equal(q.serviceName, 'order');
    assert.equal(q.durationNanos, 250_000_000);
    assert.equal(q.attributes.big, 9223372036854775807n);
    assert.deepEqual(q.scopeAttributes, { 'lib.flag': true });
    assert.deepEqual(q.events, [{ name: 'e', timeUnixNano: 1700000000100000000n, attributes: { n: 1 } }]);
    assert.deepEqual(q.links, [{ traceId: TRACE, spanId: '0909090909090909', attributes: {} }]);
    assert.equal(q.statusCode, 2);
  });

  it('fills only the asked columns, for decoded spans and stored bytes alike', () => {
    const decoded = otlpTypes.ExportTraceServiceRequest.decode(bytes) as unknown as { resourceSpans: { scopeSpans: { spans: SpanLike[] }[] }[] };
    const span = decoded.resourceSpans[0].scopeSpans[0].spans[0];
    const spanBytes = otlpTypes.Span.encode(span as never).finish();
    const resource = { attributes: {}, serviceName: '' };
    const scope = { name: '', version: '' };
    const columns = { spanAttributes: ['http.route', 'absent'], events: false, links: true };
    const fromObject = toQuerySpan(span, resource, scope, columns);
    assert.deepStrictEqual(fromObject.attributes, { 'http.route': '/order' });
    assert.deepStrictEqual(fromObject.events, []);
    assert.equal(fromObject.links.length, 1);
    assert.deepStrictEqual(toQuerySpan(spanBytes, resource, scope, columns), fromObject);
  });
});

describe('bytesToHex', () => {
  it('hexes Buffers, views into larger buffers, plain arrays and empty ids alike', () => {
    const backing = Buffer.from('00112233445566778899', 'hex');
    assert.equal(bytesToHex(backing.subarray(2, 6)), '22334455');
    assert.equal(bytesToHex(new Uint8Array(backing.buffer, backing.byteOffset + 1, 3)), '112233');
    assert.equal(bytesToHex([0xab, 0x01]), 'ab01');
    assert.equal(bytesToHex([]), '');
  });
});
