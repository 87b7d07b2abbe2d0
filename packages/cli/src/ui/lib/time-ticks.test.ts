import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { timeTicks } from './time-ticks.ts';

const ms = 1e6;

describe('timeTicks', () => {
  it('picks 1, 2 or 5 × 10^n steps', () => {
    assert.deepEqual(timeTicks(20.8 * ms), { stepNs: 5 * ms, ticksNs: [0, 5 * ms, 10 * ms, 15 * ms, 20 * ms] });
    assert.equal(timeTicks(5000 * ms).stepNs, 1000 * ms);
    assert.equal(timeTicks(12 * ms).stepNs, 5 * ms);
    assert.equal(timeTicks(900).stepNs, 200);
  });
  it('includes the end when it falls on a step and never goes past it', () => {
    assert.deepEqual(timeTicks(10 * ms).ticksNs, [0, 2 * ms, 4 * ms, 6 * ms, 8 * ms, 10 * ms]);
    for (const d of [1, 7, 999, 1234567, 3.3e9]) {
      const { ticksNs } = timeTicks(d);
      assert.ok(ticksNs.length >= 2 && ticksNs.length <= 6, `${d}: ${ticksNs.length} ticks`);
      assert.ok(ticksNs.at(-1)! <= d);
    }
  });
  it('copes with an empty or broken duration', () => {
    assert.deepEqual(timeTicks(0).ticksNs, [0]);
    assert.deepEqual(timeTicks(Number.NaN).ticksNs, [0]);
  });
});
