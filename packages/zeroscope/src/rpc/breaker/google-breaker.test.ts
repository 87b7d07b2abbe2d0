import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { isAcceptable } from './acceptable.ts';
import { Breakers } from './breakers.ts';
import { GoogleBreaker } from './google-breaker.ts';
import { RollingWindow } from './rolling-window.ts';

/** A breaker on a fake clock, with a fixed "random" draw. */
function breakerAt(draw = 0.5) {
  let now = 1_000_000;
  const breaker = new GoogleBreaker('user.rpc/user.User/GetUser', { now: () => now, random: () => draw });
  return { breaker, tick: (ms: number) => (now += ms) };
}

function run(breaker: GoogleBreaker, outcome: 'accept' | 'reject'): boolean {
  const promise = breaker.allow();
  if (promise === undefined) return false;
  promise[outcome]();
  return true;
}

describe('RollingWindow', () => {
  test('counts per bucket and forgets buckets older than the window', () => {
    let now = 0;
    const window = new RollingWindow(1000, 4, () => now);
    window.add(true);
    window.add(false);
    now = 300; // second bucket
    window.add(true);
    assert.deepEqual(window.totals(), { accepts: 2, total: 3 });
    now = 1100; // first bucket (0..250) left the window, the second (250..500) has not
    assert.deepEqual(window.totals(), { accepts: 1, total: 1 });
    now = 5000; // long idle: everything expired
    assert.deepEqual(window.totals(), { accepts: 0, total: 0 });
  });
});

describe('GoogleBreaker', () => {
  test('drop ratio is max(0, (requests - protection - K*accepts) / (requests + 1))', () => {
    const { breaker } = breakerAt(0.999); // never drops: we only look at the ratio
    for (let i = 0; i < 10; i++) run(breaker, 'reject');
    assert.equal(breaker.dropRatio(), (10 - 5 - 0) / 11);
    for (let i = 0; i < 4; i++) run(breaker, 'accept');
    assert.equal(breaker.dropRatio(), Math.max(0, (14 - 5 - 1.5 * 4) / 15));
    for (let i = 0; i < 20; i++) run(breaker, 'accept');
    assert.equal(breaker.dropRatio(), 0, 'mostly successes: nothing dropped');
  });

  test('a healthy service is never throttled', () => {
    const { breaker } = breakerAt(0);
    for (let i = 0; i < 1000; i++) assert.ok(run(breaker, 'accept'));
  });

  test('opens under failures (dropped calls count as requests) and closes once calls succeed again', () => {
    const { breaker, tick } = breakerAt(0.5);
    let dropped = 0;
    for (let i = 0; i < 100; i++) {
      if (!run(breaker, 'reject')) dropped++;
      tick(10);
    }
    assert.ok(dropped >= 80, `most calls dropped locally, got ${dropped}`);
    assert.ok(breaker.dropRatio() > 0.9);

    // The service recovers; once the failures left the 10 s window, the ratio is back to 0.
    tick(10_000);
    assert.equal(breaker.dropRatio(), 0);
    for (let i = 0; i < 50; i++) assert.ok(run(breaker, 'accept'));
  });

  test('lets one call through after a second without a pass, to notice recovery', () => {
    const { breaker, tick } = breakerAt(0); // every draw says drop
    for (let i = 0; i < 20; i++) run(breaker, 'reject');
    assert.ok(breaker.dropRatio() > 0);
    tick(100);
    assert.equal(breaker.allow(), undefined);
    tick(1000);
    const forced = breaker.allow();
    assert.ok(forced, 'forced pass');
    forced.accept();
    assert.equal(breaker.allow(), undefined, 'and then dropping again until the next second');
  });

  test('settling a promise twice counts once', () => {
    const { breaker } = breakerAt(0.999);
    const promise = breaker.allow()!;
    promise.reject();
    promise.accept();
    for (let i = 0; i < 5; i++) run(breaker, 'reject');
    assert.equal(breaker.dropRatio(), (6 - 5) / 7);
  });
});

test('Breakers: one breaker per name, made on first use', () => {
  const breakers = new Breakers();
  assert.equal(breakers.get('a/x'), breakers.get('a/x'));
  assert.notEqual(breakers.get('a/x'), breakers.get('a/y'));
  assert.equal(breakers.get('a/y').name, 'a/y');
});

test('isAcceptable: server faults count against the breaker, caller errors do not (go-zero codes.Acceptable)', () => {
  const failures = [status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.INTERNAL, status.UNKNOWN, status.RESOURCE_EXHAUSTED, status.DATA_LOSS, status.UNIMPLEMENTED];
  const fine = [status.OK, status.NOT_FOUND, status.INVALID_ARGUMENT, status.ALREADY_EXISTS, status.PERMISSION_DENIED, status.UNAUTHENTICATED, status.FAILED_PRECONDITION, status.ABORTED, status.OUT_OF_RANGE, status.CANCELLED];
  for (const code of failures) assert.equal(isAcceptable(code), false, status[code]);
  for (const code of fine) assert.equal(isAcceptable(code), true, status[code]);
});
