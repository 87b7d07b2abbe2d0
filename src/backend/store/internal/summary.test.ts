import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PreparedSpan } from './prepare.ts';
import { MAX_NAMES_PER_TRACE, decodeSummary, encodeSummary, matchesSummary, mergeSummary } from './summary.ts';

const span = (over: Partial<PreparedSpan>): PreparedSpan => ({
  key: new Uint8Array(24),
  value: new Uint8Array(100),
  start: 1_000n,
  end: 2_000n,
  name: 'op',
  serviceName: 'svc',
  isRoot: false,
  isError: false,
  ...over,
});

describe('trace summary', () => {
  it('merges without touching the previous record and picks the earliest root', () => {
    const first = mergeSummary(undefined, [span({ start: 500n, end: 900n, isRoot: true, name: 'late-root', serviceName: 'a' })]);
    const second = mergeSummary(first, [
      span({ start: 100n, end: 5_000n, isRoot: true, name: 'root', serviceName: 'b', isError: true }),
    ]);
    assert.equal(first.spanCount, 1);
    assert.equal(first.rootName, 'late-root');
    assert.deepEqual([second.start, second.end, second.rootName, second.rootService], [100n, 5_000n, 'root', 'b']);
    assert.deepEqual(Object.fromEntries(second.services), { a: { spanCount: 1, errorCount: 0 }, b: { spanCount: 1, errorCount: 1 } });
    assert.equal(second.bytes, 200);
  });

  it('round-trips through its encoding, u64 times and overflow included', () => {
    const spans = Array.from({ length: MAX_NAMES_PER_TRACE + 5 }, (_, i) =>
      span({ name: `n${i}`, start: 18_446_744_073_709_551_000n, end: 18_446_744_073_709_551_615n, serviceName: 'ü' }),
    );
    const s = mergeSummary(undefined, spans);
    assert.equal(s.names.size, MAX_NAMES_PER_TRACE);
    assert.ok(s.namesOverflow);
    assert.deepEqual(decodeSummary(encodeSummary(s)), s);
    // A name beyond the cap still matches: the trace may hold it.
    assert.ok(matchesSummary(s, { spanNames: [`n${MAX_NAMES_PER_TRACE + 4}`] }));
    assert.ok(!matchesSummary(s, { serviceNames: ['other'] }));
  });
});
