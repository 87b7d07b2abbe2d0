import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace, type SpanSpec } from '../testing/index.ts';
import { buildTrace } from './trace-model.ts';
import { diffTraces } from './trace-diff.ts';

const sid = (n: number) => n.toString(16).padStart(16, '0');
const build = (id: string, specs: SpanSpec[]) => buildTrace(otlpTrace(id, specs));

describe('diffTraces', () => {
  it('pairs spans by service/name path and sibling rank, and marks the rest', () => {
    const a = build('a0000000000000000000000000000001', [
      { service: 'api', spanId: sid(1), name: 'GET /', start: 0, end: 100 },
      { service: 'db', spanId: sid(2), parentSpanId: sid(1), name: 'query', start: 10, end: 20 },
      { service: 'db', spanId: sid(3), parentSpanId: sid(1), name: 'query', start: 30, end: 40 },
      { service: 'cache', spanId: sid(4), parentSpanId: sid(1), name: 'get', start: 50, end: 51 },
    ]);
    const b = build('b0000000000000000000000000000001', [
      { service: 'api', spanId: sid(11), name: 'GET /', start: 0, end: 150 },
      { service: 'db', spanId: sid(12), parentSpanId: sid(11), name: 'query', start: 10, end: 15 },
      { service: 'db', spanId: sid(13), parentSpanId: sid(11), name: 'query', start: 30, end: 90 },
      { service: 'mail', spanId: sid(14), parentSpanId: sid(11), name: 'send', start: 95, end: 140 },
      { service: 'mail', spanId: sid(15), parentSpanId: sid(14), name: 'smtp', start: 96, end: 139 },
    ]);
    const rows = diffTraces(a, b);
    assert.deepEqual(
      rows.map((r) => [r.depth, r.service, r.name, r.a?.spanId, r.b?.spanId, r.deltaNs]),
      [
        [0, 'api', 'GET /', sid(1), sid(11), 50_000_000],
        [1, 'db', 'query', sid(2), sid(12), -5_000_000],
        [1, 'db', 'query', sid(3), sid(13), 50_000_000],
        [1, 'cache', 'get', sid(4), undefined, undefined],
        [1, 'mail', 'send', undefined, sid(14), undefined],
        [2, 'mail', 'smtp', undefined, sid(15), undefined],
      ],
    );
  });
});
