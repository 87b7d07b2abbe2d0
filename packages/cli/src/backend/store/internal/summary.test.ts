import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PreparedSpan } from './prepare.ts';
import { MAX_NAMES_PER_TRACE, decodeSummary, encodeSummary, matchesSummary, mergeSummary, type SummaryRecord } from './summary.ts';
import { createRng } from '../../../../../../test/lib/random.ts';

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

  it('encodes byte for byte as the DataView + TextEncoder encoding did, on varied records', () => {
    // The layout as first written (the store's format): DataView setters wrap out-of-range numbers.
    const reference = (r: SummaryRecord): Uint8Array => {
      const text = new TextEncoder().encode(JSON.stringify([r.rootService, r.rootName, [...r.services].map(([n, st]) => [n, st.spanCount, st.errorCount]), [...r.names]]));
      const out = new Uint8Array(41 + text.length);
      const view = new DataView(out.buffer);
      view.setBigUint64(0, r.start);
      view.setBigUint64(8, r.end);
      view.setBigUint64(16, r.rootStart);
      view.setUint32(24, r.spanCount);
      view.setUint32(28, r.errorCount);
      view.setFloat64(32, r.bytes);
      view.setUint8(40, (r.hasRoot ? 1 : 0) | (r.namesOverflow ? 2 : 0));
      out.set(text, 41);
      return out;
    };
    const names = ['', 'GET /a', 'ünïcode', '日本語', '😀', '"quoted"\\', 'x'.repeat(300)];
    const rand = createRng(5).int;
    for (let i = 0; i < 300; i++) {
      const record: SummaryRecord = {
        start: [0n, 1n, 1_700_000_000_000_000_000n, 18_446_744_073_709_551_615n, -5n][rand(5)],
        end: [0n, 2n ** 63n, 18_446_744_073_709_551_616n][rand(3)],
        rootStart: BigInt(rand(1_000_000)),
        hasRoot: rand(2) === 1,
        rootService: names[rand(names.length)],
        rootName: names[rand(names.length)],
        spanCount: [0, 1, 4_294_967_295, 4_294_967_297][rand(4)],
        errorCount: rand(3),
        bytes: [0, 512.5, 2 ** 53 + 2, -1][rand(4)],
        services: new Map(Array.from({ length: rand(4) }, (_, k) => [names[(k + i) % names.length], { spanCount: rand(9), errorCount: rand(2) }])),
        names: new Set(Array.from({ length: rand(5) }, () => names[rand(names.length)])),
        namesOverflow: rand(2) === 1,
      };
      assert.deepEqual(Buffer.from(encodeSummary(record)), Buffer.from(reference(record)), `record ${i}`);
    }
  });
});
