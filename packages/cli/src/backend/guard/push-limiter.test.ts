import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OverloadedError } from './errors.ts';
import { countSpans, pushLimiter } from './push-limiter.ts';

const request = (spans: number) => ({ resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: spans }, () => ({})) }] }] });

/** A store that holds every push until released. */
function heldStore() {
  const waiting: Array<() => void> = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  return {
    waiting,
    get maxConcurrent() {
      return maxConcurrent;
    },
    push: () =>
      new Promise<void>((resolve) => {
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        waiting.push(() => {
          concurrent--;
          resolve();
        });
      }),
  };
}

describe('pushLimiter', () => {
  it('counts spans of a decoded request, tolerating missing parts', () => {
    assert.equal(countSpans(request(3)), 3);
    assert.equal(countSpans({ resourceSpans: [{}, { scopeSpans: [{}, { spans: [{}, {}] }] }] }), 2);
    assert.equal(countSpans(null), 0);
  });

  it('refuses past maxInFlightPushes with a retryable 503, and the store never sees more', async () => {
    const store = heldStore();
    const limited = pushLimiter(store, { maxInFlightPushes: 2, retryAfterSeconds: 3 });
    const first = [limited.push(request(1)), limited.push(request(1))];
    const refused = await limited.push(request(1)).then(() => undefined, (err: unknown) => err);
    assert.ok(refused instanceof OverloadedError);
    assert.equal(refused.httpStatus, 503);
    assert.equal(refused.grpcCode, 14);
    assert.equal(refused.retryAfterSeconds, 3);
    assert.equal(store.maxConcurrent, 2);
    for (const release of store.waiting.splice(0)) release();
    await Promise.all(first);
    const again = limited.push(request(1)); // room again
    store.waiting.shift()!();
    await again;
    assert.deepEqual(limited.stats(), {
      inFlightPushes: 0, inFlightSpans: 0, highWaterPushes: 2, highWaterSpans: 2, accepted: 3, rejected: 1,
    });
  });

  it('caps queued spans, but lets one oversized push through alone', async () => {
    const store = heldStore();
    const limited = pushLimiter(store, { maxInFlightPushes: 10, maxInFlightSpans: 100 });
    const big = limited.push(request(500)); // alone: allowed
    await assert.rejects(limited.push(request(1)), OverloadedError);
    store.waiting.shift()!();
    await big;
    const a = limited.push(request(60));
    await assert.rejects(limited.push(request(60)), OverloadedError);
    store.waiting.shift()!();
    await a;
  });

  it('releases its slot when the store fails, passing the failure on', async () => {
    const limited = pushLimiter({ push: () => Promise.reject(new Error('boom')) }, { maxInFlightPushes: 1 });
    await assert.rejects(limited.push(request(1)), /boom/);
    await assert.rejects(limited.push(request(1)), /boom/); // not OverloadedError: the slot was freed
    assert.equal(limited.stats().inFlightPushes, 0);
  });
});
