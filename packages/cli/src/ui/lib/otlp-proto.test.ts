import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJsonObject, otlpTypes } from '../../backend/otlp/index.ts';
import { lengthDelimited } from '../../backend/otlp/testing/trace-builder.ts';
import { otlpExportRequest, otlpTrace, type SpanSpec } from '../testing/index.ts';
import { decodeTraceByIdProto } from './otlp-proto.ts';
import { buildTrace } from './trace-model.ts';

const ID = 'a0000000000000000000000000000001';
const SPECS: SpanSpec[] = [
  { service: 'api', spanId: '00000000000000a1', name: 'GET /é', kind: 'SERVER', start: 0, end: 12.345678, attributes: { 'http.status_code': 200, ok: true, ratio: 0.25, note: '<img src=x>' } },
  {
    service: 'db', spanId: '00000000000000a2', parentSpanId: '00000000000000a1', name: 'query', kind: 'CLIENT', start: 1, end: 9, error: 'boom',
    attributes: { big: -4294967297 }, events: [{ name: 'retry', at: 2, attributes: { n: 1 } }], links: [{ traceId: 'b0000000000000000000000000000002', spanId: '00000000000000b1' }],
  },
];

/** tempopb.TraceByIDResponse bytes: field 1 (Trace) holds what an export request's bytes hold. */
function protoAnswer(): Uint8Array {
  const request = decodeJsonObject(otlpExportRequest(ID, SPECS));
  const trace = otlpTypes.ExportTraceServiceRequest.encode(request as never).finish();
  return lengthDelimited(0x0a, trace);
}

describe('decodeTraceByIdProto', () => {
  it('gives the same span tree as the JSON answer', () => {
    const fromProto = buildTrace(decodeTraceByIdProto(protoAnswer()));
    const fromJson = buildTrace(otlpTrace(ID, SPECS));
    const view = (t: ReturnType<typeof buildTrace>) =>
      t.spans.map((s) => [s.traceId, s.spanId, s.parentSpanId, s.name, s.kind, s.serviceName, s.status, s.statusMessage, s.startUnixNano, s.durationNs, s.attributes, s.events, s.links, s.scopeName]);
    assert.deepEqual(view(fromProto), view(fromJson));
    assert.equal(fromProto.spans[0].attributes.find((a) => a.key === 'note')?.value, '<img src=x>');
    assert.equal(fromProto.spans[1].attributes.find((a) => a.key === 'big')?.value, '-4294967297');
  });

  it('refuses bytes that are not a trace', () => {
    assert.throws(() => decodeTraceByIdProto(new Uint8Array([0x0a, 0x05, 0x01])), /truncated/);
  });
});
