import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resultRows } from './search-results.ts';

describe('resultRows', () => {
  it('sorts newest first, sums matched spans and spots error status', () => {
    const rows = resultRows({
      traces: [
        { traceID: 'a1', rootServiceName: 'order', rootTraceName: 'old', startTimeUnixNano: '1700000000000000000', durationMs: 5, spanSet: { matched: 3, spans: [] } },
        {
          traceID: 'b2',
          rootServiceName: 'order',
          rootTraceName: 'new',
          startTimeUnixNano: '1700000000000000001',
          durationMs: 7,
          spanSets: [
            { matched: 2, spans: [{ spanID: '1', attributes: [{ key: 'status', value: { stringValue: 'error' } }] }] },
            { matched: 1, spans: [] },
          ],
        },
        { traceID: '<script>', rootTraceName: 'hostile id is dropped' },
      ],
    });
    assert.deepEqual(rows.map((r) => [r.rootName, r.matched, r.hasError, r.traceId.length]), [
      ['new', 3, true, 32],
      ['old', 3, false, 32],
    ]);
  });
  it("counts a trace's spans and errors from Tempo's serviceStats, whatever the query matched", () => {
    const [row] = resultRows({
      traces: [
        {
          traceID: 'c3',
          rootServiceName: 'order',
          startTimeUnixNano: '1',
          spanSets: [{ matched: 1, spans: [{ spanID: '1', attributes: [] }] }],
          serviceStats: { user: { spanCount: 1, errorCount: 1 }, order: { spanCount: 2, errorCount: 2 } },
        },
      ],
    });
    assert.deepEqual([row.matched, row.spanCount, row.errorCount, row.hasError, row.services], [1, 3, 3, true, ['order', 'user']]);
    const [clean] = resultRows({ traces: [{ traceID: 'd4', serviceStats: { order: { spanCount: 3 } } }] });
    assert.deepEqual([clean.spanCount, clean.errorCount, clean.hasError], [3, 0, false]);
  });
  it('copes with an empty answer', () => {
    assert.deepEqual(resultRows({}), []);
  });
});
