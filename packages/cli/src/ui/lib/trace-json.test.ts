import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace } from '../testing/index.ts';
import { toOtlpJson, traceJsonFileName, traceJsonText } from './trace-json.ts';

const ID = 'a0000000000000000000000000000001';

describe('trace JSON', () => {
  const body = otlpTrace(ID, [
    { service: 'api', spanId: '00000000000000a1', name: 'GET /', kind: 'SERVER', start: 0, end: 10 },
    { service: 'api', spanId: '00000000000000a2', parentSpanId: '00000000000000a1', name: 'call', kind: 'CLIENT', start: 1, end: 9, error: 'boom', links: [{ traceId: 'b0000000000000000000000000000002', spanId: '00000000000000b1' }] },
  ]);

  it("keeps Tempo's shape as received", () => {
    assert.deepEqual(JSON.parse(traceJsonText(body, 'tempo')), body);
  });

  it('writes OTLP/JSON: hex ids and enum numbers', () => {
    const spans = toOtlpJson(body).resourceSpans.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans!));
    assert.deepEqual(
      spans.map((s) => [s.traceId, s.spanId, s.parentSpanId, s.kind]),
      [
        [ID, '00000000000000a1', '', 2],
        [ID, '00000000000000a2', '00000000000000a1', 3],
      ],
    );
    assert.equal(spans[1].status?.code, 2);
    assert.deepEqual(spans[1].links?.map((l) => [l.traceId, l.spanId]), [['b0000000000000000000000000000002', '00000000000000b1']]);
    assert.equal(traceJsonFileName(ID, 'otlp'), `trace-${ID}.otlp.json`);
  });
});
