import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { context, trace, type HrTime } from '@opentelemetry/api';
import { preciseNow } from './clock.ts';
import { installTestTracer } from './testing/index.ts';
import { tracer } from './tracer.ts';

const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

describe('tracer(): every span time from one monotonic clock', () => {
  const tracing = installTestTracer('clock');
  after(() => tracing.shutdown());

  it('preciseNow has sub-millisecond digits, never runs backwards and stays within a millisecond of Date.now()', () => {
    let last = 0n;
    const fractions = new Set<bigint>();
    for (let i = 0; i < 50; i++) {
      const now = nanos(preciseNow());
      assert.ok(now >= last, 'monotonic');
      last = now;
      fractions.add(now % 1_000_000n);
    }
    assert.ok(fractions.size > 1, 'not whole milliseconds');
    assert.ok(Math.abs(Number(last / 1_000_000n) - Date.now()) < 50, 'anchored to the wall clock');
  });

  it('nested spans started back to back start in order, and events and ends default to the same clock', () => {
    tracing.reset();
    const parent = tracer().startSpan('parent');
    const child = tracer().startSpan('child', {}, trace.setSpan(context.active(), parent));
    child.addEvent('message', { 'rpc.message.id': 1 });
    child.recordException(new Error('boom'));
    child.end();
    parent.end();
    const [c, p] = tracing.spans();
    assert.ok(c && p);
    assert.ok(nanos(p.startTime) < nanos(c.startTime), `child starts after parent: ${nanos(p.startTime)} vs ${nanos(c.startTime)}`);
    for (const event of c.events) assert.ok(nanos(event.time) >= nanos(c.startTime) && nanos(event.time) <= nanos(c.endTime), event.name);
    assert.ok(nanos(c.endTime) <= nanos(p.endTime));
    assert.ok(c.duration[0] >= 0 && c.duration[1] >= 0);
  });

  it('explicit times are kept, and startActiveSpan runs its function with the span active', () => {
    tracing.reset();
    const start: HrTime = [1_700_000_000, 123_456_789];
    const result = tracer().startActiveSpan('active', { startTime: start }, (span) => {
      assert.equal(trace.getActiveSpan(), span);
      span.addEvent('at', [1_700_000_000, 200_000_000]);
      span.end([1_700_000_001, 0]);
      return 42;
    });
    assert.equal(result, 42);
    const [span] = tracing.spans();
    assert.deepEqual(span?.startTime, start);
    assert.deepEqual(span?.events[0]?.time, [1_700_000_000, 200_000_000]);
    assert.deepEqual(span?.endTime, [1_700_000_001, 0]);
  });
});
