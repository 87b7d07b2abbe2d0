import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FetchRequest, QueryTrace, TraceFetcher } from '../query/storage.ts';
import { openMemoryStore } from '../store/memory-store.ts';
import type { TraceStore } from '../store/types.ts';
import { decodedRequest, spanIdOf, traceIdOf, type SpanSpec } from '../otlp/testing/trace-builder.ts';
import { searchTags, searchTagsV2, tagValues, tagValuesV2, type TagRoutesDeps } from './search-tags.ts';
import { fakeEngine } from './testing/fakes.ts';

const MS = 1_000_000n;
const BASE = BigInt(Date.now()) * MS;

/** A fetcher that counts the scans the tag routes make. */
function counting(store: TraceStore): TraceFetcher & { scans: number } {
  const fetcher = {
    scans: 0,
    fetchTraces(request: FetchRequest): AsyncIterable<QueryTrace> {
      fetcher.scans++;
      return store.fetchTraces(request);
    },
  };
  return fetcher;
}

const span = (n: number, name: string, attributes: Record<string, string>): SpanSpec => ({ traceId: traceIdOf(n), spanId: spanIdOf(1), name, start: BASE + BigInt(n) * MS, end: BASE + BigInt(n + 1) * MS, attributes });
const params = (query = '') => new URLSearchParams(query);

describe('tag routes over a partial catalog (its caps reached)', () => {
  let store: TraceStore;
  let fetcher: ReturnType<typeof counting>;
  let deps: TagRoutesDeps;

  before(async () => {
    // Two span keys and six values in all: the first push fills both.
    store = await openMemoryStore({ maxTagKeysPerScope: 2, maxTagValues: 6 });
    fetcher = counting(store);
    deps = { catalog: store, fetcher, engine: fakeEngine() };
    await store.push(decodedRequest([{ service: 'order', spans: [span(1, 'early', { 'user.1': 'a', 'user.2': 'b', 'user.3': 'c' })] }]));
    await store.push(decodedRequest([{ service: 'order', spans: [span(2, 'a', { 'http.route': '/late', 'user.1': 'a2' }), span(3, 'b', {}), span(4, 'late-name', {})] }]));
    assert.equal(store.tagCatalogPartial('span'), true);
    assert.equal(store.tagCatalogPartial('intrinsic'), true);
  });
  after(() => store.close());

  it('lists the keys the catalog turned away, found in the newest traces', async () => {
    assert.deepEqual(await store.tagNames('span'), ['user.1', 'user.2']);
    assert.deepEqual((await searchTags(deps, params('scope=span'))).tagNames, ['http.route', 'user.1', 'user.2', 'user.3']);
    const v2 = await searchTagsV2(deps, params('scope=span'));
    assert.deepEqual(v2.scopes, [{ name: 'span', tags: ['http.route', 'user.1', 'user.2', 'user.3'] }]);
  });

  it('offers the values of the keys it turned away, beside the values it kept', async () => {
    assert.deepEqual((await tagValuesV2(deps, 'span.http.route', params())).tagValues, [{ type: 'string', value: '/late' }]);
    assert.deepEqual((await tagValues(deps, 'http.route', params())).tagValues, ['/late']);
    assert.deepEqual((await tagValues(deps, 'user.1', params())).tagValues.sort(), ['a', 'a2']);
    assert.deepEqual((await tagValuesV2(deps, '.user.3', params())).tagValues, [{ type: 'string', value: 'c' }]);
  });

  it('offers span names past the budget', async () => {
    const names = (await tagValuesV2(deps, 'name', params())).tagValues.map((v) => v.value);
    assert.deepEqual(names.sort(), ['a', 'b', 'early', 'late-name']);
  });

  it('stops at the limit', async () => {
    assert.equal((await tagValues(deps, 'user.1', params('limit=1'))).tagValues.length, 1);
  });
});

describe('tag routes over a complete catalog', () => {
  it('answer from the catalog alone, without scanning traces', async (t) => {
    const store = await openMemoryStore();
    t.after(() => store.close());
    const fetcher = counting(store);
    const deps: TagRoutesDeps = { catalog: store, fetcher, engine: fakeEngine() };
    await store.push(decodedRequest([{ service: 'order', spans: [span(1, 'op', { 'http.route': '/x' })] }]));
    assert.deepEqual((await searchTags(deps, params())).tagNames, ['http.route', 'service.name']);
    assert.deepEqual((await tagValues(deps, 'http.route', params())).tagValues, ['/x']);
    assert.deepEqual((await tagValuesV2(deps, 'span.http.route', params())).tagValues, [{ type: 'string', value: '/x' }]);
    assert.deepEqual((await tagValuesV2(deps, 'name', params())).tagValues, [{ type: 'string', value: 'op' }]);
    assert.equal(fetcher.scans, 0);
  });
});
