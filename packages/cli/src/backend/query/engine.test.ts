import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executeSearch } from './engine.ts';
import type { SearchResponse } from './search-response.ts';
import { memoryFetcher, NAMES } from './testdata/traces.ts';

/** Query → the exact matching traces (newest first), and for some the matched span counts. */
const TABLE: Array<[string, string[], Record<string, number>?]> = [
  ['{}', ['T6', 'T5', 'T4', 'T3', 'T2', 'T1'], { T4: 6, T1: 3 }],
  ['', ['T6', 'T5', 'T4', 'T3', 'T2', 'T1']],
  ['{ resource.service.name = "user" }', ['T6', 'T4', 'T2', 'T1'], { T4: 2, T1: 1 }],
  ['{ .service.name = "user" }', ['T6', 'T4', 'T2', 'T1']],
  ['{ span.service.name = "user" }', []],
  ['{ status = error }', ['T2'], { T2: 3 }],
  ['{ span:status = error && span:statusMessage != "" }', ['T2'], { T2: 2 }],
  ['{ span.http.response.status_code = 500 }', ['T2']],
  ['{ span.http.response.status_code >= 200 && span.http.response.status_code < 300 }', ['T4', 'T3', 'T1']],
  // A missing attribute never matches, not even with !=.
  ['{ span.http.response.status_code != 200 }', ['T4', 'T2'], { T4: 1 }],
  ['{ .missing != 1 }', []],
  ['{ duration > 1s }', ['T3'], { T3: 2 }],
  ['{ duration > 1.5s && duration < 2450ms }', ['T3'], { T3: 1 }],
  ['{ traceDuration > 2s }', ['T3'], { T3: 3 }],
  ['{ trace:duration < 20ms }', ['T6', 'T2']],
  ['{ duration > 1s * 2 }', ['T3'], { T3: 2 }],
  ['{ duration <= 3ms }', ['T6']],
  // Regexes are fully anchored.
  ['{ name =~ "GET .*" }', ['T4', 'T3', 'T2', 'T1']],
  ['{ name =~ "order" }', []],
  ['{ name =~ ".*order.*" }', ['T4', 'T3', 'T2', 'T1']],
  ['{ name !~ "GET.*" }', ['T6', 'T5', 'T4', 'T3', 'T2', 'T1']],
  ['{ statusMessage =~ "(?i)USER NOT FOUND" }', ['T2'], { T2: 2 }],
  // Structural operators return right-hand spans.
  ['{ resource.service.name = "order" } >> { resource.service.name = "user" }', ['T4', 'T2', 'T1'], { T4: 2 }],
  ['{ kind = server } > { kind = client }', ['T4', 'T2', 'T1'], { T4: 2 }],
  ['{ kind = client } > { kind = server }', ['T4', 'T2', 'T1'], { T4: 2 }],
  ['{ name = "GET /checkout" } > { resource.service.name = "user" }', []],
  ['{ name = "GET /checkout" } >> { name = "cache.get" }', ['T4'], { T4: 1 }],
  ['{ kind = producer } > { kind = consumer }', ['T5']],
  ['{ name = "cache.get" } << { kind = server }', ['T6', 'T4'], { T4: 3, T6: 1 }],
  ['{ kind = client } < { kind = server }', ['T4', 'T2', 'T1'], { T4: 2 }],
  ['{ name = "db.query" } ~ { name = "render" }', ['T3'], { T3: 1 }],
  ['{ name = "db.query" } ~ { name = "db.query" }', []],
  ['{ } !< { resource.service.name = "user" }', ['T6', 'T4', 'T2', 'T1'], { T4: 1 }],
  ['{ kind = server } &> { kind = client }', ['T4', 'T2', 'T1'], { T4: 4, T1: 2 }],
  ['{ kind = server } !> { kind = client }', []],
  ['{ kind = client } !> { kind = server }', ['T6', 'T4', 'T3', 'T2', 'T1'], { T4: 1 }],
  // Spanset logic.
  ['{ resource.service.name = "billing" } && { resource.service.name = "mailer" }', ['T5'], { T5: 2 }],
  ['{ resource.service.name = "billing" } && { resource.service.name = "user" }', []],
  ['{ resource.service.name = "billing" } || { status = error }', ['T5', 'T2']],
  ['({ resource.service.name = "order" } | count() > 2) && { name = "render" }', ['T3'], { T3: 3 }],
  // Pipelines and aggregates.
  ['{ } | count() > 4', ['T4']],
  ['{ resource.service.name = "order" } | count() = 2', ['T4', 'T2', 'T1']],
  ['{ } | avg(duration) > 1s', ['T3']],
  ['avg(duration) > 1s', ['T3']],
  ['{ } | max(duration) < 60ms', ['T6', 'T2', 'T1']],
  ['{ } | min(duration) <= 3ms', ['T6']],
  ['{ } | sum(span.retries) >= 3', ['T5']],
  ['{ } | count() > 1 | { kind = consumer }', ['T5'], { T5: 1 }],
  ['{ status = error } | select(span.rpc.grpc.status_code)', ['T2']],
  // Types: int/float compare as numbers, mismatched types never match.
  ['{ span.db.rows > 1 }', ['T3']],
  ['{ span.db.rows = "1.5" }', []],
  ['{ span.cached = false }', ['T3']],
  ['{ .retries = 3.0 }', ['T5']],
  ['{ span.ratio < 0.5 && span.ratio > 0.2 }', ['T5']],
  ['{ span.tags = "b" }', ['T4']],
  ['{ span.tags =~ "[xyz]" }', []],
  ['{ span.cache.hit }', ['T4']],
  // nil
  ['{ span.db.system != nil }', ['T3'], { T3: 1 }],
  ['{ !(span.db.system != nil) && kind = internal }', ['T6', 'T4', 'T3'], { T3: 1 }],
  // Unscoped attributes read the span first, then the resource.
  ['{ .env = "prod" }', ['T5'], { T5: 1 }],
  ['{ .env = "canary" }', ['T5'], { T5: 1 }],
  ['{ resource.env = "prod" }', ['T5'], { T5: 2 }],
  // Trace-level intrinsics.
  ['{ rootServiceName = "gateway" }', ['T4'], { T4: 6 }],
  ['{ rootName = "GET /api/order/:id" }', ['T2', 'T1']],
  ['{ trace:rootService = "user" }', []],
  ['{ trace:id = "a01" }', ['T1']],
  ['{ trace:id = "00000000000000000000000000000A01" }', ['T1']],
  ['{ span:id = "0000000000000046" }', ['T4'], { T4: 1 }],
  // Events and kinds.
  ['{ event:name = "exception" }', ['T2'], { T2: 1 }],
  ['{ event.exception.message =~ "user .* not found" }', ['T2']],
  ['{ kind = consumer }', ['T5']],
  ['{ instrumentation:name = "zeroscope" && kind = producer }', ['T5']],
  ['{ instrumentation.messaging = "kafka" }', ['T5'], { T5: 1 }],
  // `= nil`: the field has no value.
  ['{ .missing = nil && kind = producer }', ['T5'], { T5: 1 }],
  ['{ span.db.system = nil && name = "db.query" }', []],
  ['{ span.db.system = nil && name = "render" }', ['T3'], { T3: 1 }],
  // Leading-dot floats are numbers.
  ['{ span.ratio < .3 }', ['T5']],
  ['{ duration > 2500000000 * .9 }', ['T3'], { T3: 2 }],
  // Tree intrinsics: children and Tempo's nested-set numbers (a root's parent is -1; spans not
  // reachable from a root have none).
  ['{ childCount = 2 }', ['T3'], { T3: 1 }],
  ['{ span:childCount = 0 && kind = server }', ['T2', 'T1']],
  ['{ nestedSetLeft = 3 && nestedSetRight = 4 && nestedSetParent = 2 }', ['T2', 'T1'], { T1: 1 }],
  ['{ span:nestedSetParent = -1 }', ['T5', 'T4', 'T3', 'T2', 'T1'], { T4: 1 }],
  ['{ span:nestedSetLeft > 0 }', ['T5', 'T4', 'T3', 'T2', 'T1'], { T4: 6 }],
  // by() splits a trace's spans into a spanset per value; coalesce() merges them again.
  ['{ } | by(resource.service.name) | count() > 1', ['T6', 'T4', 'T3', 'T2', 'T1'], { T1: 2, T3: 3 }],
  ['{ } | by(resource.service.name) | coalesce()', ['T6', 'T5', 'T4', 'T3', 'T2', 'T1'], { T4: 6 }],
];

function summary(res: SearchResponse): string[] {
  return res.traces.map((t) => NAMES.get(t.traceID) ?? t.traceID);
}

describe('executeSearch over the fixed trace set', () => {
  for (const [query, expected, matched] of TABLE) {
    it(query || '(empty query)', async () => {
      const res = await executeSearch(memoryFetcher(), { query });
      assert.deepEqual(summary(res), expected);
      for (const [name, count] of Object.entries(matched ?? {})) {
        const t = res.traces.find((x) => NAMES.get(x.traceID) === name);
        assert.equal(t?.spanSet.matched, count, `${name} matched spans`);
      }
    });
  }

  it('conditions never prune a trace that matches: same results with and without hints', async () => {
    for (const [query] of TABLE) {
      const hinted = memoryFetcher(undefined, true);
      const unhinted = memoryFetcher(undefined, false);
      const a = await executeSearch(hinted, { query });
      const b = await executeSearch(unhinted, { query });
      assert.deepEqual(a, { ...b, metrics: a.metrics }, query);
    }
  });

  it('answers one spanset per by() group, each naming its group and the aggregate it passed', async () => {
    const res = await executeSearch(memoryFetcher(), {
      query: '{ kind = server || kind = client } | by(resource.service.name) | count() > 1 | select(span.http.response.status_code)',
    });
    const t4 = res.traces.find((t) => NAMES.get(t.traceID) === 'T4');
    assert.ok(t4);
    const groups = t4.spanSets.map((ss) => ({
      by: ss.attributes?.[0],
      count: ss.attributes?.[1],
      spans: ss.spans.map((s) => s.spanID.replace(/^0+/, '')),
    }));
    groups.sort((a, b) => String(a.by?.value.stringValue).localeCompare(String(b.by?.value.stringValue)));
    assert.deepEqual(groups, [
      { by: { key: 'by(resource.service.name)', value: { stringValue: 'gateway' } }, count: { key: 'count()', value: { intValue: '2' } }, spans: ['41', '42'] },
      { by: { key: 'by(resource.service.name)', value: { stringValue: 'order' } }, count: { key: 'count()', value: { intValue: '2' } }, spans: ['43', '44'] },
    ]);
    assert.deepEqual(t4.spanSet, t4.spanSets[0]);
    // The selected and grouped-on attributes are shown on the spans that have them.
    const gateway = t4.spanSets.find((ss) => ss.attributes?.[0]?.value.stringValue === 'gateway')!;
    assert.deepEqual(gateway.spans[0]!.attributes, [
      { key: 'kind', value: { stringValue: 'server' } },
      { key: 'service.name', value: { stringValue: 'gateway' } },
      { key: 'http.response.status_code', value: { intValue: '201' } },
    ]);
  });

  it('limits the spans shown per spanset to spss and still counts them all', async () => {
    const res = await executeSearch(memoryFetcher(), { query: '{ rootServiceName = "gateway" }', spss: 2 });
    assert.equal(res.traces[0]!.spanSets[0]!.spans.length, 2);
    assert.equal(res.traces[0]!.spanSets[0]!.matched, 6);
  });

  it('hints do prune: a service filter inspects only that service traces', async () => {
    const f = memoryFetcher();
    const res = await executeSearch(f, { query: '{ resource.service.name = "billing" } && { kind = consumer }' });
    assert.deepEqual(summary(res), ['T5']);
    assert.deepEqual(f.requests[0].serviceNames, ['billing']);
    assert.equal(res.metrics.inspectedTraces, 1);
  });
});
