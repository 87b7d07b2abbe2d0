import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace } from '../testing/index.ts';
import { buildTrace } from './trace-model.ts';
import { frameAt, flameTree, placeFrames } from './flame-graph.ts';
import { selfTimeNs } from './trace-stats.ts';

const sid = (n: number) => n.toString(16).padStart(16, '0');

describe('flame graph', () => {
  const trace = buildTrace(
    otlpTrace('a0000000000000000000000000000001', [
      { service: 'api', spanId: sid(1), name: 'GET /', start: 0, end: 100 },
      // Three parallel identical calls of 60ms each: 180ms under a 100ms parent.
      { service: 'db', spanId: sid(2), parentSpanId: sid(1), name: 'query', start: 0, end: 60 },
      { service: 'db', spanId: sid(3), parentSpanId: sid(1), name: 'query', start: 0, end: 60 },
      { service: 'db', spanId: sid(4), parentSpanId: sid(1), name: 'query', start: 0, end: 60, error: 'x' },
      { service: 'api', spanId: sid(5), parentSpanId: sid(1), name: 'render', start: 60, end: 80 },
    ]),
  );
  const root = flameTree(trace, selfTimeNs);

  it('merges spans with the same call path', () => {
    const [api] = root.children;
    assert.deepEqual([api.name, api.count, api.totalNs], ['GET /', 1, 100_000_000]);
    const query = api.children.find((f) => f.name === 'query')!;
    assert.deepEqual([query.count, query.totalNs, query.errors], [3, 180_000_000, 1]);
  });

  it('scales children that ran in parallel to fit their parent', () => {
    const placed = placeFrames(root);
    const at = (name: string) => placed.find((p) => p.frame.name === name)!;
    assert.equal(at('GET /').width, 1);
    // 180 + 20 = 200ms of children in a 100ms frame: each keeps its share of the frame.
    assert.ok(Math.abs(at('query').width - 0.9) < 1e-9);
    assert.ok(Math.abs(at('render').width - 0.1) < 1e-9);
    // Children in service then name order: api render, then db query.
    assert.equal(at('render').x, 0);
    assert.ok(Math.abs(at('query').x - 0.1) < 1e-9);
    assert.equal(frameAt(root, at('render').path), at('render').frame);
  });
});
