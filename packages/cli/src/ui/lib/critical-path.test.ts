import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpTrace, type SpanSpec } from '../testing/index.ts';
import { buildTrace } from './trace-model.ts';
import { criticalPath } from './critical-path.ts';

const T = '11111111111111111111111111111111';
const ms = 1_000_000;
const span = (spanId: string, parent: string | undefined, start: number, end: number): SpanSpec => ({
  service: 's', spanId: spanId.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), name: spanId, start, end,
});
const path = (specs: SpanSpec[]) =>
  criticalPath(buildTrace(otlpTrace(T, specs))).segments.map((s) => [s.spanId.replace(/^0+/, ''), s.startNs / ms, s.endNs / ms]);

describe('criticalPath', () => {
  it('walks sequential children back from the root end, giving gaps to the parent', () => {
    assert.deepEqual(path([span('1', undefined, 0, 100), span('a', '1', 10, 40), span('b', '1', 50, 90)]), [
      ['1', 0, 10], ['a', 10, 40], ['1', 40, 50], ['b', 50, 90], ['1', 90, 100],
    ]);
  });
  it('skips a child that overlaps the one chosen (it did not decide the end)', () => {
    const p = path([span('1', undefined, 0, 100), span('a', '1', 10, 40), span('b', '1', 30, 90), span('c', '1', 50, 60)]);
    assert.deepEqual(p, [['1', 0, 30], ['b', 30, 90], ['1', 90, 100]]);
  });
  it('descends into grandchildren', () => {
    const p = path([span('1', undefined, 0, 100), span('a', '1', 0, 100), span('b', 'a', 20, 80)]);
    assert.deepEqual(p, [['a', 0, 20], ['b', 20, 80], ['a', 80, 100]]);
  });
  it('cuts a child that outlives its parent and ignores one that starts after the parent ended', () => {
    const p = path([span('1', undefined, 0, 50), span('a', '1', 20, 70), span('late', '1', 60, 80)]);
    assert.deepEqual(p, [['1', 0, 20], ['a', 20, 50]]);
  });
  it('starts from the top-level span that ends last and returns the span id set', () => {
    const cp = criticalPath(buildTrace(otlpTrace(T, [span('1', undefined, 0, 10), span('2', 'f', 5, 30)])));
    assert.deepEqual([...cp.spanIds], ['0000000000000002']);
  });
  it('handles an empty trace and a 5,000-deep chain without recursion limits', () => {
    assert.equal(criticalPath(buildTrace({})).segments.length, 0);
    const chain: SpanSpec[] = [span('1', undefined, 0, 10_000)];
    for (let i = 2; i <= 5000; i++) chain.push(span(i.toString(16), (i - 1).toString(16), i, 10_000 - i));
    assert.equal(criticalPath(buildTrace(otlpTrace(T, chain))).spanIds.size, 5000);
  });
});
