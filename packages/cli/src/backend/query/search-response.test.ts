import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executeSearch, traceqlSearchEngine } from './engine.ts';
import { InvalidQueryError, TraceQLParseError, TraceQLUnsupportedError } from './errors.ts';
import { ROOT_SPAN_NOT_YET_RECEIVED } from './search-response.ts';
import { memoryFetcher, NAMES, T1 } from './testdata/traces.ts';

const T1_START = T1.spans[0].startTimeUnixNano;

describe("executeSearch: Tempo's search JSON", () => {
  it('answers with exactly the Tempo shape', async () => {
    const res = await executeSearch(memoryFetcher(), {
      query: '{ resource.service.name = "order" && span.http.response.status_code = 200 }',
      startUnixNano: T1_START - 1n,
      endUnixNano: T1_START + 1_000_000_000n,
    });
    const start = T1_START.toString();
    const span = {
      spanID: '0000000000000011',
      name: 'GET /api/order/:id',
      startTimeUnixNano: start,
      durationNanos: '50000000',
      attributes: [
        { key: 'service.name', value: { stringValue: 'order' } },
        { key: 'http.response.status_code', value: { intValue: '200' } },
      ],
    };
    const spanSet = { spans: [span], matched: 1 };
    assert.deepStrictEqual(res, {
      traces: [
        {
          traceID: 'a01',
          rootServiceName: 'order',
          rootTraceName: 'GET /api/order/:id',
          startTimeUnixNano: start,
          durationMs: 50,
          spanSets: [spanSet],
          spanSet,
          serviceStats: { order: { spanCount: 2 }, user: { spanCount: 1 } },
        },
      ],
      metrics: { inspectedTraces: 1, inspectedSpans: '3', completedJobs: 1, totalJobs: 1 },
    });
    assert.equal(JSON.parse(JSON.stringify(res)).traces[0].spanSet.spans[0].attributes[1].value.intValue, '200');
  });

  it('lists traces newest first and stops at limit (default 20)', async () => {
    const all = await executeSearch(memoryFetcher(), {});
    assert.deepEqual(all.traces.map((t) => NAMES.get(t.traceID)), ['T6', 'T5', 'T4', 'T3', 'T2', 'T1']);
    const starts = all.traces.map((t) => BigInt(t.startTimeUnixNano));
    assert.deepEqual([...starts].sort((a, b) => (a > b ? -1 : 1)), starts);
    const f = memoryFetcher();
    const two = await executeSearch(f, { query: '{}', limit: 2 });
    assert.deepEqual(two.traces.map((t) => NAMES.get(t.traceID)), ['T6', 'T5']);
    assert.equal(f.yielded(), 2, 'stops pulling from the store once the limit is reached');
  });

  it('shows at most spss spans per spanset (default 3) but counts them all in matched', async () => {
    const byDefault = await executeSearch(memoryFetcher(), { query: '{ rootServiceName = "gateway" }' });
    assert.equal(byDefault.traces[0].spanSet.spans.length, 3);
    assert.equal(byDefault.traces[0].spanSet.matched, 6);
    const two = await executeSearch(memoryFetcher(), { query: '{ rootServiceName = "gateway" }', spss: 2 });
    assert.deepEqual(two.traces[0].spanSet.spans.map((s) => s.name), ['GET /checkout', 'POST /api/order']);
    assert.equal(two.traces[0].spanSet.matched, 6);
  });

  it('applies trace duration bounds, inclusive', async () => {
    const slow = await executeSearch(memoryFetcher(undefined, false), { minDurationNanos: 1e9 });
    assert.deepEqual(slow.traces.map((t) => NAMES.get(t.traceID)), ['T3']);
    const fast = await executeSearch(memoryFetcher(undefined, false), { maxDurationNanos: 10e6 });
    assert.deepEqual(fast.traces.map((t) => NAMES.get(t.traceID)), ['T6', 'T2']);
    const f = memoryFetcher();
    await executeSearch(f, { query: '{ traceDuration > 2s }', minDurationNanos: 1e9, maxDurationNanos: 5e9 });
    assert.equal(f.requests[0].minTraceDurationNanos, 2e9);
    assert.equal(f.requests[0].maxTraceDurationNanos, 5e9);
  });

  it("says Tempo's <root span not yet received> when the root is missing", async () => {
    const res = await executeSearch(memoryFetcher(), { query: '{ name = "cache.get" && resource.service.name = "user" }' });
    const t6 = res.traces.find((t) => NAMES.get(t.traceID) === 'T6')!;
    assert.equal(t6.rootServiceName, ROOT_SPAN_NOT_YET_RECEIVED);
    assert.equal('rootTraceName' in t6, false);
  });

  it('shows the status, kind and selected attributes of each span', async () => {
    const res = await executeSearch(memoryFetcher(), { query: '{ status = error && kind = server } | select(span.rpc.grpc.status_code, statusMessage)' });
    assert.deepEqual(
      res.traces[0].spanSet.spans.map((s) => s.attributes),
      [
        [
          { key: 'status', value: { stringValue: 'error' } },
          { key: 'kind', value: { stringValue: 'server' } },
        ],
        [
          { key: 'status', value: { stringValue: 'error' } },
          { key: 'kind', value: { stringValue: 'server' } },
          { key: 'rpc.grpc.status_code', value: { intValue: '5' } },
          { key: 'statusMessage', value: { stringValue: 'user not found' } },
        ],
      ],
    );
  });

  it('rejects bad queries with typed errors; the engine adapter words them as Tempo does', async () => {
    await assert.rejects(executeSearch(memoryFetcher(), { query: '{ .a | .b }' }), (err: unknown) => {
      assert.ok(err instanceof TraceQLParseError);
      assert.equal(err.col, 6);
      return true;
    });
    await assert.rejects(executeSearch(memoryFetcher(), { query: '{ parent.a = 1 }' }), TraceQLUnsupportedError);
    await assert.rejects(executeSearch(memoryFetcher(), { query: '{} | rate()' }), /metrics queries are not searches/);
    await assert.rejects(traceqlSearchEngine.search(memoryFetcher(), { query: '{ .a | .b }' }), (err: unknown) => {
      assert.ok(err instanceof InvalidQueryError);
      assert.ok(traceqlSearchEngine.isQueryError(err));
      assert.equal(err.message, 'invalid TraceQL query: parse error at line 1, col 6: syntax error: unexpected |');
      return true;
    });
    assert.equal(traceqlSearchEngine.isQueryError(new Error('disk on fire')), false);
  });
});
