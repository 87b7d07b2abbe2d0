import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempoTypes } from './api/index.ts';
import { MODULE_DEPENDENCIES, START_ORDER, startBackend, storePusher, withStoreMetrics, type RunningBackend } from './app.ts';
import { createMetricsGenerator } from './generator/index.ts';
import { decodeProtobufRequest } from './otlp/index.ts';
import { protobufRequest } from './otlp/testing/trace-builder.ts';
import type { TraceStore } from './store/index.ts';
import { resolveBackendConfig } from './config.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const ROOT = 'eee19b7ec3c1b174';
const CHILD = 'eee19b7ec3c1b173';
const NOW_NS = BigInt(Date.now()) * 1_000_000n;

/** An OTLP export request (wire-identical to tempopb.Trace) with a SERVER root and an erroring CLIENT child. */
function exportRequest(): Uint8Array {
  return protobufRequest(
    [
      {
        service: 'order-api',
        scope: 'zeroscope-test',
        spans: [
          { spanId: ROOT, name: 'GET /api/order/:id', kind: 'SERVER', start: 0, end: 300, attributes: { 'http.route': '/api/order/:id', 'http.response.status_code': 200 } },
          { spanId: CHILD, parentSpanId: ROOT, name: 'user.User/GetUser', kind: 'CLIENT', start: 10, end: 200, error: 'unavailable', attributes: { 'rpc.grpc.status_code': 14 } },
        ],
      },
    ],
    { traceId: TRACE, baseNs: NOW_NS },
  );
}

describe('startBackend', () => {
  it('feeds the metrics-generator only exports the store accepted', async (t) => {
    const generator = createMetricsGenerator({ expireIntervalMs: 0 });
    t.after(() => generator.stop());
    let refuse = true;
    const store = {
      async push() {
        if (refuse) throw Object.assign(new Error('insufficient storage'), { httpStatus: 507 });
        return { acceptedSpans: 2 };
      },
    } as unknown as TraceStore;
    const pusher = storePusher(store, generator);
    const calls = () => generator.metrics().then((text) => text.split('\n').filter((l) => l.startsWith('traces_spanmetrics_calls_total{')));
    await assert.rejects(pusher.push(decodeProtobufRequest(exportRequest())), /insufficient storage/);
    assert.deepEqual(await calls(), []);
    refuse = false;
    await pusher.push(decodeProtobufRequest(exportRequest()));
    assert.equal((await calls()).length, 2, 'the SERVER root and the CLIENT child, once each');
  });

  it('starts modules after their dependencies, in the order derived from the module map', () => {
    assert.deepEqual(START_ORDER, ['store', 'logstore', 'generator', 'retention', 'query-api', 'otlp-http', 'otlp-grpc', 'zipkin']);
    for (const [i, name] of START_ORDER.entries()) {
      for (const dep of MODULE_DEPENDENCIES[name]) assert.ok(START_ORDER.indexOf(dep) < i, `${name} needs ${dep}`);
    }
    // stop is the reverse: receivers, then the API, then the store
    const stopOrder = [...START_ORDER].reverse();
    for (const receiver of ['otlp-http', 'otlp-grpc', 'zipkin'] as const) assert.ok(stopOrder.indexOf(receiver) < stopOrder.indexOf('query-api'), receiver);
    assert.equal(stopOrder.at(-1), 'store');
  });

  describe('a trace pushed over OTLP/HTTP', () => {
    let dir: string;
    let backend: RunningBackend;
    let api: string;
    const get = (path: string, headers: Record<string, string> = {}) => fetch(api + path, { headers });

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'zeroscope-app-'));
      const config = resolveBackendConfig(
        { dataDir: dir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' },
        {},
      );
      backend = await startBackend(config, { onError: () => {} });
      api = backend.addresses.query;
      const res = await fetch(`${backend.addresses.otlpHttp}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array(exportRequest()),
      });
      assert.equal(res.status, 200);
    });
    after(async () => {
      await backend.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('reports every address on a real port', () => {
      const { addresses } = backend;
      for (const url of [addresses.otlpHttp, addresses.zipkin, addresses.query]) assert.match(url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
      assert.match(addresses.otlpGrpc, /^127\.0\.0\.1:[1-9]\d*$/);
      assert.equal(addresses.ui, `${addresses.query}/`);
    });

    it('comes back from /api/traces/<id> as v1 JSON', async () => {
      const res = await get(`/api/traces/${TRACE}`);
      assert.equal(res.status, 200);
      const body = (await res.json()) as any;
      const spans = body.batches.flatMap((b: any) => b.scopeSpans.flatMap((s: any) => s.spans));
      assert.equal(spans.length, 2);
      const child = spans.find((s: any) => s.name === 'user.User/GetUser');
      assert.equal(child.traceId, Buffer.from(TRACE, 'hex').toString('base64'));
      assert.equal(child.parentSpanId, Buffer.from(ROOT, 'hex').toString('base64'));
      assert.equal(child.kind, 'SPAN_KIND_CLIENT');
      assert.equal(child.status.code, 'STATUS_CODE_ERROR');
      assert.equal(typeof child.startTimeUnixNano, 'string');
      assert.deepEqual(child.attributes, [{ key: 'rpc.grpc.status_code', value: { intValue: '14' } }]);
    });

    it('comes back from /api/v2/traces/<id> as JSON and as tempopb protobuf', async () => {
      const json = (await (await get(`/api/v2/traces/${TRACE.toUpperCase()}`)).json()) as any;
      assert.equal(json.trace.resourceSpans[0].resource.attributes[0].value.stringValue, 'order-api');
      const proto = await get(`/api/v2/traces/${TRACE}`, { accept: 'application/protobuf' });
      assert.equal(proto.headers.get('content-type'), 'application/protobuf');
      const { byIdResponse } = tempoTypes();
      const decoded = byIdResponse.toObject(byIdResponse.decode(new Uint8Array(await proto.arrayBuffer())), { enums: String }) as any;
      const names = decoded.trace.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans.map((sp: any) => sp.name)));
      assert.deepEqual(names.sort(), ['GET /api/order/:id', 'user.User/GetUser']);
      const v1 = await get(`/api/traces/${TRACE}`, { accept: 'application/protobuf' });
      const decodedV1 = tempoTypes().trace.decode(new Uint8Array(await v1.arrayBuffer())) as any;
      assert.equal(decodedV1.resourceSpans.length >= 1, true);
    });

    it('answers 404 for an unknown trace and 400 for a bad id', async () => {
      assert.equal((await get('/api/traces/0123456789abcdef0123456789abcdef')).status, 404);
      assert.equal((await get('/api/traces/not-hex')).status, 400);
    });

    it('is found by TraceQL, by tags and by duration', async () => {
      const byQ = (await (await get(`/api/search?q=${encodeURIComponent('{ status = error }')}`)).json()) as any;
      assert.equal(byQ.traces.length, 1);
      assert.equal(byQ.traces[0].rootServiceName, 'order-api');
      const byTags = (await (await get(`/api/search?tags=${encodeURIComponent('name="user.User/GetUser"')}`)).json()) as any;
      assert.equal(byTags.traces.length, 1);
      const tooShort = (await (await get('/api/search?minDuration=1s')).json()) as any;
      assert.equal(tooShort.traces.length, 0);
      const longEnough = (await (await get('/api/search?minDuration=100ms')).json()) as any;
      assert.equal(longEnough.traces.length, 1);
    });

    it("answers a bad TraceQL query with 400 in Tempo's words", async () => {
      const res = await get(`/api/search?q=${encodeURIComponent('{ .a = }')}`);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /^invalid TraceQL query: parse error at line 1, col \d+: /);
    });

    it('feeds the tag autocomplete', async () => {
      const tags = (await (await get('/api/v2/search/tags')).json()) as any;
      assert.ok(tags.scopes.find((s: any) => s.name === 'resource').tags.includes('service.name'));
      assert.ok(tags.scopes.find((s: any) => s.name === 'span').tags.includes('http.route'));
      const v1 = (await (await get('/api/search/tag/service.name/values')).json()) as any;
      assert.deepEqual(v1.tagValues, ['order-api']);
      const v2 = (await (await get('/api/v2/search/tag/span.http.response.status_code/values')).json()) as any;
      assert.deepEqual(v2.tagValues, [{ type: 'int', value: '200' }]);
      const names = (await (await get('/api/v2/search/tag/name/values')).json()) as any;
      assert.deepEqual(names.tagValues.map((v: any) => v.value).sort(), ['GET /api/order/:id', 'user.User/GetUser']);
    });
  });

  it('fails cleanly, releasing what it opened, when a port is taken', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-app-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const first = await startBackend(
      resolveBackendConfig({ dataDir: join(dir, 'a'), otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' }, {}),
      { onError: () => {} },
    );
    t.after(() => first.stop());
    const takenPort = new URL(first.addresses.query).port;
    const config = resolveBackendConfig(
      { dataDir: join(dir, 'b'), otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: takenPort },
      {},
    );
    await assert.rejects(startBackend(config, { onError: () => {} }));
    // the store of the failed start was closed: a second start on the same data dir works
    const retry = await startBackend({ ...config, ports: { ...config.ports, query: 0 } }, { onError: () => {} });
    await retry.stop();
  });
});

describe('withStoreMetrics', () => {
  it("adds the store's unreadable-record counter to the generator's metrics, in either text format", async () => {
    const store = { stats: async () => ({ traces: 1, spans: 1, bytes: 1, unreadableRecords: 3 }) };
    const prom = withStoreMetrics({ contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => 'a_total 1\n' }, store);
    assert.match(await prom.metrics(), /^a_total 1\n# HELP zeroscope_store_unreadable_records_total .*\n# TYPE zeroscope_store_unreadable_records_total counter\nzeroscope_store_unreadable_records_total 3\n$/);
    const open = withStoreMetrics({ contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', metrics: async () => 'a_total 1\n# EOF\n' }, store);
    assert.match(await open.metrics(), /# TYPE zeroscope_store_unreadable_records counter\nzeroscope_store_unreadable_records_total 3\n# EOF\n$/);
  });
});
