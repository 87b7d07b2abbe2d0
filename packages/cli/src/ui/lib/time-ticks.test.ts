import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clockTicks, timeTicks, valueTicks } from './time-ticks.ts';

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

describe('clockTicks', () => {
  it('puts ticks on round local times inside the range', () => {
    const start = new Date(2026, 11, 4, 14, 3, 20).getTime();
    const end = start + 3600_000;
    const { stepMs, ticksMs } = clockTicks(start, end);
    assert.equal(stepMs, 10 * 60_000);
    assert.deepEqual(ticksMs.map((t) => new Date(t).getMinutes()), [10, 20, 30, 40, 50, 0]);
    assert.ok(ticksMs.every((t) => t >= start && t <= end && new Date(t).getSeconds() === 0));
  });
  it('gives no ticks for an empty range', () => {
    assert.deepEqual(clockTicks(5, 5).ticksMs, []);
  });
});

describe('valueTicks', () => {
  it('runs from 0 to a round step at or above the maximum', () => {
    assert.deepEqual(valueTicks(0.2, 0.93), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(valueTicks(3, 3), [0, 1, 2, 3]);
    assert.deepEqual(valueTicks(0, 0), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it('reaches below zero for negative values', () => {
    const ticks = valueTicks(-3, 7);
    assert.ok(ticks[0] <= -3 && ticks.at(-1)! >= 7 && ticks.includes(0));
  });
});
