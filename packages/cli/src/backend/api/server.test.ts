import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createQueryApi, type QueryApi } from './server.ts';
import { fakeDeps, fakeSpan } from './testing/fakes.ts';
import { tempoTypes } from './trace-codec.ts';
import { TEMPO_COMPATIBLE_VERSION } from './status.ts';

const TRACE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SHORT_TRACE = '00000000000000001234567890abcdef';

describe('query API routes (fake store and engine)', () => {
  const deps = fakeDeps();
  let api: QueryApi;
  let base: string;

  before(async () => {
    deps.store.add([
      fakeSpan({
        traceId: TRACE,
        spanId: '0102030405060708',
        name: 'GET /api/order/:id',
        kind: 2,
        statusCode: 2,
        statusMessage: 'boom',
        attributes: { 'http.route': '/api/order/:id', 'http.response.status_code': 500, ratio: 0.5, cached: false },
        resource: { 'service.name': 'order-api' },
      }),
      fakeSpan({
        traceId: TRACE,
        spanId: '1112131415161718',
        parentSpanId: '0102030405060708',
        name: 'user.User/GetUser',
        kind: 3,
        resource: { 'service.name': 'order-api' },
        attributes: { 'rpc.method': 'GetUser' },
      }),
    ]);
    deps.store.add([fakeSpan({ traceId: SHORT_TRACE, spanId: '2122232425262728', name: 'zipkin-op', resource: { 'service.name': 'legacy' } })]);
    api = createQueryApi({ ...deps, port: 0, uiDir: '/nonexistent-zeroscope-ui', onError: () => {} });
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
  });
  after(() => api.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

  describe('GET /api/traces/<id>', () => {
    it('answers v1 JSON with batches, base64 ids, enum names and int64 strings', async () => {
      const res = await get(`/api/traces/${TRACE}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^application\/json/);
      const body = (await res.json()) as { batches: any[] };
      assert.equal(body.batches.length, 2);
      const span = body.batches[0].scopeSpans[0].spans[0];
      assert.equal(span.traceId, Buffer.from(TRACE, 'hex').toString('base64'));
      assert.equal(span.spanId, Buffer.from('0102030405060708', 'hex').toString('base64'));
      assert.equal(span.kind, 'SPAN_KIND_SERVER');
      assert.deepEqual(span.status, { code: 'STATUS_CODE_ERROR', message: 'boom' });
      assert.equal(span.startTimeUnixNano, '1700000000000000000');
      const code = span.attributes.find((a: any) => a.key === 'http.response.status_code');
      assert.deepEqual(code.value, { intValue: '500' });
      assert.deepEqual(body.batches[0].resource.attributes, [{ key: 'service.name', value: { stringValue: 'order-api' } }]);
      assert.equal(body.batches[1].scopeSpans[0].spans[0].kind, 'SPAN_KIND_CLIENT');
    });

    it('answers v2 JSON as {trace:{resourceSpans}}', async () => {
      const res = await get(`/api/v2/traces/${TRACE}`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as { trace: { resourceSpans: any[] } };
      assert.equal(body.trace.resourceSpans.length, 2);
      assert.equal(body.trace.resourceSpans[0].scopeSpans[0].spans[0].name, 'GET /api/order/:id');
    });

    it('answers tempopb protobuf for Accept: application/protobuf', async () => {
      const { trace, byIdResponse } = tempoTypes();
      const v1 = await get(`/api/traces/${TRACE}`, { accept: 'application/protobuf' });
      assert.equal(v1.status, 200);
      assert.equal(v1.headers.get('content-type'), 'application/protobuf');
      const decodedV1 = trace.toObject(trace.decode(new Uint8Array(await v1.arrayBuffer()))) as any;
      assert.equal(decodedV1.resourceSpans.length, 2);
      const v2 = await get(`/api/v2/traces/${TRACE}`, { accept: 'application/protobuf' });
      const decodedV2 = byIdResponse.toObject(byIdResponse.decode(new Uint8Array(await v2.arrayBuffer())), { bytes: String }) as any;
      assert.equal(decodedV2.trace.resourceSpans[0].scopeSpans[0].spans[0].spanId, Buffer.from('0102030405060708', 'hex').toString('base64'));
    });

    it('accepts upper-case and short ids, left-padding them like Tempo', async () => {
      assert.equal((await get(`/api/traces/${TRACE.toUpperCase()}`)).status, 200);
      assert.equal((await get('/api/traces/1234567890ABCDEF')).status, 200);
      assert.equal(deps.store.getTraceCalls.at(-1)!.traceId, SHORT_TRACE);
    });

    it('passes start/end to the store as nanoseconds', async () => {
      assert.equal((await get(`/api/v2/traces/${TRACE}?start=1700000000&end=1700000100`)).status, 200);
      assert.deepEqual(deps.store.getTraceCalls.at(-1)!.range, {
        startUnixNano: 1_700_000_000_000_000_000n,
        endUnixNano: 1_700_000_100_000_000_000n,
      });
    });

    it('answers 404 for an unknown trace and 400 for a bad id or range', async () => {
      const missing = await get('/api/traces/ffffffffffffffffffffffffffffffff');
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as any).code, 'API_ERR_TRACE_NOT_FOUND');
      assert.equal((await get('/api/v2/traces/ffff')).status, 404);
      const bad = await get('/api/traces/xyz');
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /hex characters: invalid character 'x' at position 1/);
      const long = await get(`/api/traces/${TRACE}00`);
      assert.equal(long.status, 400);
      assert.match(await long.text(), /larger than 128 bits/);
      assert.equal((await get(`/api/traces/${TRACE}?start=20&end=10`)).status, 400);
    });
  });

  describe('GET /api/search', () => {
    it('passes q with Tempo defaults (limit 20, spss 3)', async () => {
      const res = await get(`/api/search?q=${encodeURIComponent('{ name = "zipkin-op" }')}`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as any;
      assert.equal(body.traces.length, 1);
      assert.equal(body.traces[0].traceID, '1234567890abcdef');
      assert.deepEqual(deps.engine.requests.at(-1), { query: '{ name = "zipkin-op" }', limit: 20, spss: 3 });
    });

    it('turns tags into TraceQL and parses durations, limit, spss, start and end', async () => {
      const res = await get('/api/search?tags=name%3Dzipkin-op&minDuration=100ms&maxDuration=1.5s&limit=5&spss=7&start=10&end=20');
      assert.equal(res.status, 200);
      assert.deepEqual(deps.engine.requests.at(-1), {
        query: '{ name = "zipkin-op" }',
        limit: 5,
        spss: 7,
        minDurationNanos: 100_000_000,
        maxDurationNanos: 1_500_000_000,
        startUnixNano: 10_000_000_000n,
        endUnixNano: 20_000_000_000n,
      });
    });

    const badRequests: Array<[string, RegExp]> = [
      ['q=%7B%7D&tags=a%3Db', /can't specify tags and q in the same query/],
      ['minDuration=fast', /invalid minDuration: time: invalid duration "fast"/],
      ['maxDuration=10', /invalid maxDuration: time: missing unit/],
      ['minDuration=2s&maxDuration=1s', /maxDuration: must be greater than minDuration/],
      ['limit=0', /invalid limit: must be a positive number/],
      ['spss=abc', /invalid spss/],
      ['start=abc', /invalid start/],
      ['start=30&end=20', /start must be before end/],
      ['tags=%3D%3D', /invalid tags/],
    ];
    for (const [query, message] of badRequests) {
      it(`answers 400 with a reason for ${query}`, async () => {
        const res = await get(`/api/search?${query}`);
        assert.equal(res.status, 400);
        assert.match(res.headers.get('content-type')!, /^text\/plain/);
        assert.match(await res.text(), message);
      });
    }

    it("answers a bad TraceQL query with 400 and the engine's Tempo-form message", async () => {
      const res = await get(`/api/search?q=${encodeURIComponent('{ nope')}`);
      assert.equal(res.status, 400);
      assert.equal(await res.text(), 'invalid TraceQL query: parse error at line 1, col 1: { nope');
    });
  });

  describe('tag autocomplete', () => {
    it('v1 tags merges resource and span names; scope narrows; bad scope is 400', async () => {
      const all = (await (await get('/api/search/tags')).json()) as any;
      assert.deepEqual(all.tagNames, ['cached', 'http.response.status_code', 'http.route', 'ratio', 'rpc.method', 'service.name']);
      const resource = (await (await get('/api/search/tags?scope=resource')).json()) as any;
      assert.deepEqual(resource.tagNames, ['service.name']);
      const intrinsic = (await (await get('/api/search/tags?scope=intrinsic')).json()) as any;
      assert.ok(intrinsic.tagNames.includes('rootServiceName'));
      const bad = await get('/api/search/tags?scope=nope');
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /invalid scope: nope/);
    });

    it('v2 tags lists resource, span and intrinsic scopes', async () => {
      const body = (await (await get('/api/v2/search/tags')).json()) as any;
      assert.deepEqual(body.scopes.map((s: any) => s.name), ['resource', 'span', 'intrinsic']);
      assert.deepEqual(body.scopes[0].tags, ['service.name']);
      for (const t of ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration']) {
        assert.ok(body.scopes[2].tags.includes(t), t);
      }
      const span = (await (await get('/api/v2/search/tags?scope=span')).json()) as any;
      assert.deepEqual(span.scopes, [{ name: 'span', tags: ['cached', 'http.response.status_code', 'http.route', 'ratio', 'rpc.method'] }]);
      const filtered = (await (await get(`/api/v2/search/tags?scope=span&q=${encodeURIComponent('{ name = "user.User/GetUser" }')}`)).json()) as any;
      assert.deepEqual(filtered.scopes[0].tags, ['rpc.method']);
    });

    it('v1 values are strings', async () => {
      const body = (await (await get('/api/search/tag/service.name/values')).json()) as any;
      assert.deepEqual(body.tagValues.sort(), ['legacy', 'order-api']);
      const status = (await (await get('/api/search/tag/http.response.status_code/values')).json()) as any;
      assert.deepEqual(status.tagValues, ['500']);
    });

    it('v2 values are typed by TraceQL identifier', async () => {
      const values = async (tag: string, extra = '') =>
        ((await (await get(`/api/v2/search/tag/${encodeURIComponent(tag)}/values${extra}`)).json()) as any).tagValues;
      assert.deepEqual(await values('resource.service.name'), [
        { type: 'string', value: 'legacy' },
        { type: 'string', value: 'order-api' },
      ]);
      assert.deepEqual(await values('span.http.response.status_code'), [{ type: 'int', value: '500' }]);
      assert.deepEqual(await values('span.ratio'), [{ type: 'float', value: '0.5' }]);
      assert.deepEqual(await values('.cached'), [{ type: 'bool', value: 'false' }]);
      assert.deepEqual(await values('status'), [
        { type: 'keyword', value: 'error' },
        { type: 'keyword', value: 'ok' },
        { type: 'keyword', value: 'unset' },
      ]);
      assert.ok((await values('kind')).some((v: any) => v.type === 'keyword' && v.value === 'server'));
      assert.deepEqual((await values('name')).map((v: any) => v.value).sort(), ['GET /api/order/:id', 'user.User/GetUser', 'zipkin-op']);
      assert.deepEqual(await values('rootServiceName'), [
        { type: 'string', value: 'legacy' },
        { type: 'string', value: 'order-api' },
      ]);
    });

    it('v2 values are narrowed by q, and an unparsable q is ignored like Tempo does', async () => {
      const q = encodeURIComponent('{ name = "zipkin-op" }');
      const narrowed = (await (await get(`/api/v2/search/tag/resource.service.name/values?q=${q}`)).json()) as any;
      assert.deepEqual(narrowed.tagValues, [{ type: 'string', value: 'legacy' }]);
      const kinds = (await (await get(`/api/v2/search/tag/kind/values?q=${encodeURIComponent('{ name = "user.User/GetUser" }')}`)).json()) as any;
      assert.deepEqual(kinds.tagValues, [{ type: 'keyword', value: 'client' }]);
      const broken = (await (await get(`/api/v2/search/tag/resource.service.name/values?q=${encodeURIComponent('{ resource.x = ')}`)).json()) as any;
      assert.equal(broken.tagValues.length, 2);
    });

    it('v2 values refuse an identifier that is neither intrinsic nor scoped', async () => {
      const res = await get('/api/v2/search/tag/service.name/values');
      assert.equal(res.status, 400);
      assert.match(await res.text(), /not valid intrinsic or scoped attribute/);
    });
  });

  describe('status and plumbing', () => {
    it('answers echo, ready and buildinfo', async () => {
      assert.equal(await (await get('/api/echo')).text(), 'echo');
      assert.equal(await (await get('/ready')).text(), 'ready');
      const info = (await (await get('/api/status/buildinfo')).json()) as Record<string, string>;
      assert.equal(info.version, TEMPO_COMPATIBLE_VERSION);
      for (const key of ['revision', 'branch', 'buildUser', 'buildDate', 'goVersion']) assert.equal(typeof info[key], 'string', key);
    });

    it('answers unknown /api paths with JSON 404 and other methods with 405', async () => {
      const res = await get('/api/nope');
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: 'no API route for /api/nope', code: 'API_ERR_ROUTE_NOT_FOUND' });
      assert.equal((await fetch(`${base}/api/search`, { method: 'POST', body: '{}' })).status, 405);
    });

    it('sends no CORS headers by default', async () => {
      const res = await get('/api/echo', { origin: 'http://evil.example' });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    });

    it('allows an origin that was configured', async (t) => {
      const open = createQueryApi({ ...deps, port: 0, corsOrigins: ['http://grafana.local'] });
      await open.start();
      t.after(() => open.stop());
      const res = await fetch(`http://127.0.0.1:${open.port}/api/echo`, { headers: { origin: 'http://grafana.local' } });
      assert.equal(res.headers.get('access-control-allow-origin'), 'http://grafana.local');
    });

    it('reports not ready with 503', async (t) => {
      const starting = createQueryApi({ ...deps, port: 0, isReady: () => false });
      await starting.start();
      t.after(() => starting.stop());
      assert.equal((await fetch(`http://127.0.0.1:${starting.port}/ready`)).status, 503);
    });
  });
});
