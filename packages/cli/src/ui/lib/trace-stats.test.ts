import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace } from '../testing/index.ts';
import { buildTrace } from './trace-model.ts';
import { selfTimeNs, traceStats } from './trace-stats.ts';

const ID = 'a0000000000000000000000000000001';
const sid = (n: number) => n.toString(16).padStart(16, '0');

// root 0–100ms; two overlapping db calls 10–40 and 30–60; one call running past the root 90–120.
const trace = buildTrace(
  otlpTrace(ID, [
    { service: 'api', spanId: sid(1), name: 'GET /', kind: 'SERVER', start: 0, end: 100 },
    { service: 'db', spanId: sid(2), parentSpanId: sid(1), name: 'query', kind: 'CLIENT', start: 10, end: 40 },
    { service: 'db', spanId: sid(3), parentSpanId: sid(1), name: 'query', kind: 'CLIENT', start: 30, end: 60, error: 'timeout' },
    { service: 'api', spanId: sid(4), parentSpanId: sid(1), name: 'late', start: 90, end: 120 },
  ]),
);

describe('selfTimeNs', () => {
  it('subtracts the union of the children inside the span', () => {
    // Children cover 10–60 and 90–100 of the root: 60ms covered, 40ms its own.
    assert.equal(selfTimeNs(trace.byId.get(sid(1))!), 40_000_000);
    assert.equal(selfTimeNs(trace.byId.get(sid(2))!), 30_000_000);
  });
});

describe('traceStats', () => {
  it('groups by service and span name, with counts, totals, self time, extremes and errors', () => {
    const { groups, services } = traceStats(trace);
    const query = groups.find((g) => g.service === 'db' && g.name === 'query')!;
    assert.deepEqual(
      [query.count, query.totalNs, query.selfNs, query.minNs, query.maxNs, query.errors],
      [2, 60_000_000, 60_000_000, 30_000_000, 30_000_000, 1],
    );
    // Sorted by self time: db's 60ms first, then the root's 40ms, then late's 30ms.
    assert.deepEqual(groups.map((g) => g.name), ['query', 'GET /', 'late']);
    assert.deepEqual(services.map((s) => [s.service, s.count, s.totalNs, s.selfNs, s.errors]), [
      ['api', 2, 130_000_000, 70_000_000, 0],
      ['db', 2, 60_000_000, 60_000_000, 1],
    ]);
  });
});
