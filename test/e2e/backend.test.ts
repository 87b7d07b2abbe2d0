/**
 * Acceptance suite for the zeroscope backend as a Tempo stand-in: the real backend (`startBackend`,
 * free ports, temp data dir) fed by the official OpenTelemetry exporters, by the example services,
 * by several services and requests out of order, and by `zeroscope import`; read back through
 * Tempo's API exactly as Grafana's Tempo data source reads it.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createExporter, TelemetrySchema } from '../../packages/zeroscope/src/trace/index.ts';
import {
  TRACE_READS,
  b64,
  emitRichTrace,
  expectedView,
  getJson,
  hex,
  hrToNanos,
  readTrace,
  runCli,
  search,
  searchId,
  spanViews,
  startTestBackend,
  waitForTrace,
  type SearchTrace,
  type SpanView,
  type TestBackend,
} from './backend-harness.ts';
import { removeTempDirs, startSeedSystem, writeConfig, type ServiceProcess } from './harness.ts';

const byName = (views: SpanView[]): Map<string, SpanView> => new Map(views.map((v) => [v.name, v]));
const withoutHostPrefix = (url: string): string => url.replace(/^https?:\/\//, '');

/** Asserts that every read of the trace returns exactly what the SDK recorded. */
async function assertTraceIntact(api: string, sdk: ReadableSpan[]): Promise<void> {
  const traceId = sdk[0]!.spanContext().traceId;
  await waitForTrace(api, traceId, sdk.length);
  for (const read of TRACE_READS) {
    const got = byName(spanViews(await readTrace(api, traceId, read)));
    assert.equal(got.size, sdk.length, `${read}: ${sdk.length} spans`);
    for (const s of sdk) assert.deepEqual(got.get(s.name), expectedView(s), `${read}: span ${s.name}`);
  }
  // Spot checks in plain values, so a mistake shared by the expectation and the answer cannot hide.
  const got = byName(spanViews(await readTrace(api, traceId, 'v2 json')));
  const root = got.get('GET /api/order/:id')!;
  assert.equal(root.traceId, Buffer.from(traceId, 'hex').toString('base64'));
  assert.equal(root.kind, 'SPAN_KIND_SERVER');
  assert.deepEqual(root.status, { code: 'STATUS_CODE_ERROR', message: 'boom' });
  const base = BigInt(sdk.find((s) => s.name === root.name)!.startTime[0]);
  assert.equal(root.startTimeUnixNano, `${base}123456789`);
  assert.deepEqual(root.attributes.find((a) => a.key === 'int.max_safe')?.value, { intValue: '9007199254740991' });
  assert.deepEqual(root.attributes.find((a) => a.key === 'dbls')?.value, { arrayValue: { values: [{ doubleValue: 1.5 }, { doubleValue: -2.25 }] } });
  assert.deepEqual(root.events[0], {
    name: 'exception',
    timeUnixNano: `${base}500000000`,
    attributes: [
      { key: 'exception.message', value: { stringValue: 'boom' } },
      { key: 'retry.count', value: { intValue: '2' } },
      { key: 'retry.backoff', value: { doubleValue: 0.25 } },
    ],
  });
  const client = got.get('user.User/Get')!;
  assert.equal(hex(client.parentSpanId), hex(root.spanId));
  assert.equal(client.kind, 'SPAN_KIND_CLIENT');
  assert.equal(client.status.code, 'STATUS_CODE_OK');
  assert.deepEqual(client.links[0], {
    traceId: b64('0af7651916cd43dd8448eb211c80319c'),
    spanId: b64('b7ad6b7169203331'),
    traceState: 'vendor=v1',
    flags: 0x301,
    attributes: [{ key: 'link.why', value: { stringValue: 'retry' } }, { key: 'link.n', value: { intValue: '1' } }],
  });
  assert.deepEqual(
    [...got.values()].map((v) => v.kind).sort(),
    ['SPAN_KIND_CLIENT', 'SPAN_KIND_CONSUMER', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_SERVER'],
  );
  assert.deepEqual(root.scope, { name: 'zeroscope-e2e-scope', version: '1.2.3' });
  assert.deepEqual(root.resource.find((a) => a.key === 'host.cores')?.value, { intValue: '2' });
}

describe('zeroscope backend as a Tempo stand-in', () => {
  let tb: TestBackend;
  let api: string;

  before(async () => {
    tb = await startTestBackend();
    api = tb.api;
  });
  after(async () => {
    await tb?.stop();
    removeTempDirs();
  });

  describe('official OpenTelemetry exporters → receivers → trace by id, every field intact', () => {
    const otlpHttp = () => `${tb.backend.addresses.otlpHttp}/v1/traces`;

    test('OTLP/HTTP protobuf (exporter-trace-otlp-proto)', async () => {
      await assertTraceIntact(api, await emitRichTrace(new ProtoExporter({ url: otlpHttp() })));
    });

    test('OTLP/HTTP JSON, gzip (exporter-trace-otlp-http)', async () => {
      await assertTraceIntact(api, await emitRichTrace(new JsonExporter({ url: otlpHttp(), compression: 'gzip' as never })));
    });

    test('OTLP/gRPC (exporter-trace-otlp-grpc)', async () => {
      await assertTraceIntact(api, await emitRichTrace(new GrpcExporter({ url: `http://${tb.backend.addresses.otlpGrpc}` })));
    });

    test('Zipkin v2 JSON (exporter-zipkin): what Zipkin can carry', async () => {
      const sdk = await emitRichTrace(new ZipkinExporter({ url: `${tb.backend.addresses.zipkin}/api/v2/spans` }));
      const traceId = sdk[0]!.spanContext().traceId;
      await waitForTrace(api, traceId, sdk.length);
      for (const read of TRACE_READS) {
        const got = byName(spanViews(await readTrace(api, traceId, read)));
        for (const s of sdk) {
          const want = expectedView(s);
          const z = got.get(s.name);
          assert.ok(z, `${read}: span ${s.name}`);
          assert.deepEqual(
            { traceId: z.traceId, spanId: z.spanId, parentSpanId: z.parentSpanId, kind: z.kind, status: z.status },
            { traceId: want.traceId, spanId: want.spanId, parentSpanId: want.parentSpanId, kind: want.kind, status: want.status },
            `${read}: ${s.name}`,
          );
          // Zipkin has microseconds: start within a microsecond, duration in whole microseconds.
          const start = hrToNanos(s.startTime);
          const gotStart = BigInt(z.startTimeUnixNano);
          assert.ok(gotStart - start < 1000n && start - gotStart < 1000n, `${s.name} start ${gotStart} vs ${start}`);
          const duration = Number(hrToNanos(s.endTime) - start);
          assert.equal(Number(BigInt(z.endTimeUnixNano) - gotStart), Math.round(duration / 1000) * 1000);
          // Tags are strings: every attribute comes back, stringified.
          const tags = Object.fromEntries(z.attributes.map((a) => [a.key, (a.value as { stringValue: string }).stringValue]));
          assert.deepEqual(tags, Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, String(v)])));
          assert.deepEqual(z.events.map((e) => e.name), s.events.map((e) => e.name));
          assert.deepEqual(z.resource.find((a) => a.key === 'service.name')?.value, { stringValue: 'checkout' });
          assert.deepEqual(z.links, [], 'Zipkin v2 has no links');
        }
      }
    });
  });

  describe('the demo: order-api → user-rpc exporting to the backend', () => {
    let user: ServiceProcess;
    let order: ServiceProcess;
    let ok: { traceId: string; spans: SpanView[] };
    let failed: { traceId: string; spans: SpanView[] };
    const range = () => {
      const now = Math.floor(Date.now() / 1000);
      return { start: String(now - 3600), end: String(now + 3600) };
    };

    before(async () => {
      const seed = await startSeedSystem(withoutHostPrefix(tb.backend.addresses.otlpHttp));
      ({ user, order } = seed);
      const request = async (path: string) => {
        const res = await fetch(`${seed.orderUrl}${path}`);
        await res.arrayBuffer();
        const traceId = res.headers.get('traceparent')!.split('-')[1]!;
        return { traceId, spans: await waitForTrace(api, traceId, 3) };
      };
      ok = await request('/api/order/1');
      failed = await request('/api/order/999');
    });
    after(async () => {
      await order?.stop();
      await user?.stop();
    });

    test('by id: one trace of three spans, order SERVER → order CLIENT → user SERVER, in every read', async () => {
      for (const read of TRACE_READS) {
        const spans = spanViews(await readTrace(api, ok.traceId, read));
        const svc = (v: SpanView) => (v.resource.find((a) => a.key === 'service.name')?.value as { stringValue: string }).stringValue;
        const orderServer = spans.find((s) => svc(s) === 'order' && s.kind === 'SPAN_KIND_SERVER');
        const orderClient = spans.find((s) => svc(s) === 'order' && s.kind === 'SPAN_KIND_CLIENT');
        const userServer = spans.find((s) => svc(s) === 'user' && s.kind === 'SPAN_KIND_SERVER');
        assert.ok(orderServer && orderClient && userServer, `${read}: the three spans`);
        assert.equal(spans.length, 3);
        assert.equal(orderServer.parentSpanId, '');
        assert.equal(orderClient.parentSpanId, orderServer.spanId);
        assert.equal(userServer.parentSpanId, orderClient.spanId);
        assert.equal(orderServer.name, 'GET /api/order/:id');
        assert.equal(userServer.name, 'user.User/GetUser');
        assert.equal(hex(orderServer.traceId), ok.traceId);
      }
      // A trace id in upper case or with its leading zeros stripped names the same trace (Grafana
      // sends what search returned).
      const upper = await readTrace(api, ok.traceId.toUpperCase(), 'v2 protobuf');
      assert.equal(spanViews(upper).length, 3);
    });

    test('TraceQL: resource and span attributes together', async () => {
      const traces = await search(api, {
        q: '{ resource.service.name = "order" && span.http.route = "/api/order/:id" }',
        ...range(),
      });
      const hit = traces.find((t) => t.traceID === searchId(ok.traceId));
      assert.ok(hit, `found ${ok.traceId} in ${traces.map((t) => t.traceID).join(', ')}`);
      assert.ok(traces.some((t) => t.traceID === searchId(failed.traceId)));
      const root = ok.spans.find((s) => s.parentSpanId === '')!;
      assert.equal(hit.rootServiceName, 'order');
      assert.equal(hit.rootTraceName, 'GET /api/order/:id');
      assert.equal(hit.startTimeUnixNano, root.startTimeUnixNano);
      assert.equal(typeof hit.durationMs, 'number');
      assert.equal(hit.spanSets.length, 1);
      assert.deepEqual(hit.spanSet, hit.spanSets[0]);
      const [span] = hit.spanSets[0]!.spans;
      assert.equal(hit.spanSets[0]!.matched, 1);
      assert.equal(span!.spanID, hex(root.spanId));
      assert.equal(span!.name, 'GET /api/order/:id');
      assert.equal(span!.startTimeUnixNano, root.startTimeUnixNano);
      assert.equal(span!.durationNanos, String(BigInt(root.endTimeUnixNano) - BigInt(root.startTimeUnixNano)));
      assert.deepEqual(
        Object.fromEntries((span!.attributes ?? []).map((a) => [a.key, a.value])),
        { 'service.name': { stringValue: 'order' }, 'http.route': { stringValue: '/api/order/:id' } },
      );
      assert.deepEqual(hit.serviceStats, { order: { spanCount: 2 }, user: { spanCount: 1 } });
    });

    test('legacy tag search and minDuration', async () => {
      const tags = 'service.name=order http.route=/api/order/:id';
      const ids = (traces: SearchTrace[]) => traces.map((t) => t.traceID);
      assert.ok(ids(await search(api, { tags, ...range() })).includes(searchId(ok.traceId)));
      const start = ok.spans.reduce((m, s) => (BigInt(s.startTimeUnixNano) < m ? BigInt(s.startTimeUnixNano) : m), BigInt(ok.spans[0]!.startTimeUnixNano));
      const end = ok.spans.reduce((m, s) => (BigInt(s.endTimeUnixNano) > m ? BigInt(s.endTimeUnixNano) : m), 0n);
      const durationNanos = end - start;
      assert.ok(ids(await search(api, { tags, minDuration: `${durationNanos - 1n}ns` })).includes(searchId(ok.traceId)), 'below its duration');
      assert.ok(ids(await search(api, { tags, minDuration: `${durationNanos}ns` })).includes(searchId(ok.traceId)), 'at its duration');
      assert.ok(!ids(await search(api, { tags, minDuration: `${durationNanos + 1n}ns` })).includes(searchId(ok.traceId)), 'above its duration');
      assert.ok(!ids(await search(api, { tags, maxDuration: `${durationNanos - 1n}ns` })).includes(searchId(ok.traceId)), 'maxDuration below it');
    });

    test('{ status = error } finds the 999 trace, not the good one', async () => {
      const ids = (await search(api, { q: '{ status = error }', ...range() })).map((t) => t.traceID);
      assert.ok(ids.includes(searchId(failed.traceId)));
      assert.ok(!ids.includes(searchId(ok.traceId)));
      const errors = (await search(api, { q: '{ status = error }', ...range() })).find((t) => t.traceID === searchId(failed.traceId))!;
      assert.equal(errors.spanSets[0]!.matched, 3, 'all three spans are errors');
      assert.deepEqual(errors.serviceStats, { order: { spanCount: 2, errorCount: 2 }, user: { spanCount: 1, errorCount: 1 } });
    });

    test('structural: { order } >> { user } returns the user spans of both traces', async () => {
      const traces = await search(api, { q: '{ resource.service.name = "order" } >> { resource.service.name = "user" }', ...range() });
      for (const t of [ok, failed]) {
        const hit = traces.find((x) => x.traceID === searchId(t.traceId));
        assert.ok(hit, `trace ${t.traceId}`);
        const userSpan = t.spans.find((s) => s.name === 'user.User/GetUser' && s.kind === 'SPAN_KIND_SERVER')!;
        assert.deepEqual(hit.spanSets[0]!.spans.map((s) => s.spanID), [hex(userSpan.spanId)]);
      }
      // And not the other way round.
      const reversed = await search(api, { q: '{ resource.service.name = "user" } >> { resource.service.name = "order" }', ...range() });
      assert.ok(!reversed.some((x) => x.traceID === searchId(ok.traceId)));
    });

    test('Grafana: Save & test and the buildinfo version gate', async () => {
      const echo = await fetch(`${api}/api/echo`);
      assert.equal(echo.status, 200);
      assert.equal(await echo.text(), 'echo');
      const info = await getJson<Record<string, string>>(api, '/api/status/buildinfo');
      assert.deepEqual(Object.keys(info).sort(), ['branch', 'buildDate', 'buildUser', 'goVersion', 'revision', 'version']);
      // A semver at or past 2.7.0: Grafana versions that gate streamed search (2.2.0) and streamed
      // metrics (2.7.0) on it use the gRPC API the query port serves (grafana-streaming.test.ts).
      assert.match(info.version!, /^\d+\.\d+\.\d+$/);
      const [major, minor] = info.version!.split('.').map(Number);
      assert.ok(major! > 2 || (major === 2 && minor! >= 7), `version ${info.version}`);
    });

    test('Grafana: trace by id as the data source opens it (v2 protobuf, v1 fallback, time shift)', async () => {
      // Grafana sends start/end (unix seconds) only with "time shift" on; the trace is in range.
      const { start, end } = range();
      assert.equal(spanViews(await readTrace(api, ok.traceId, 'v2 protobuf', `?start=${start}&end=${end}`)).length, 3);
      assert.equal(spanViews(await readTrace(api, ok.traceId, 'v1 protobuf', `?start=${start}&end=${end}`)).length, 3);
      const longAgo = `?start=${Number(start) - 90_000}&end=${Number(start) - 86_400}`;
      const missing = await fetch(`${api}/api/traces/${ok.traceId}${longAgo}`, { headers: { accept: 'application/protobuf' } });
      assert.equal(missing.status, 404, 'outside the range the trace is not found');
      await missing.body?.cancel();
      // An unknown id: Grafana tries v2, falls back to v1 on a 404, and shows v1's 404 as "not found".
      const unknown = await fetch(`${api}/api/traces/${'f'.repeat(32)}`, { headers: { accept: 'application/protobuf' } });
      assert.equal(unknown.status, 404);
      await unknown.body?.cancel();
    });

    test('Grafana: search as the query builder and the old native search write it', async () => {
      const ids = (traces: SearchTrace[]) => traces.map((t) => t.traceID);
      // The builder: `{` filters joined by ` && ` `}`, no spaces around operators; limit and spss always sent.
      const builder = await search(api, {
        q: '{resource.service.name="order" && name="GET /api/order/:id" && duration>1ns}',
        limit: '20',
        spss: '3',
        ...range(),
      });
      assert.ok(ids(builder).includes(searchId(ok.traceId)));
      // An empty builder sends `{}`: every trace in the range.
      const all = await search(api, { q: '{}', limit: '20', spss: '3', ...range() });
      assert.ok(ids(all).includes(searchId(ok.traceId)) && ids(all).includes(searchId(failed.traceId)));
      // Neither q nor tags (older Grafana's "recent traces"): every trace in the range.
      assert.ok(ids(await search(api, { limit: '20', ...range() })).includes(searchId(ok.traceId)));
      // spss caps the spans listed per spanset; `matched` still counts them all.
      const capped = (await search(api, { q: '{ resource.service.name = "order" }', spss: '1', ...range() })).find(
        (t) => t.traceID === searchId(ok.traceId),
      )!;
      assert.equal(capped.spanSets[0]!.spans.length, 1);
      assert.equal(capped.spanSets[0]!.matched, 2);
      // Native search (Grafana < 10) built `tags` with a leading space and quoted values, `name` for the span name.
      const native = await search(api, { tags: ' service.name="order" name="GET /api/order/:id"', minDuration: '1ns', limit: '20', ...range() });
      assert.ok(ids(native).includes(searchId(ok.traceId)));
      const none = await search(api, { tags: ' service.name="order" name="no such span"', limit: '20', ...range() });
      assert.ok(!ids(none).includes(searchId(ok.traceId)));
    });

    test('autocomplete: tag names (v1, v2 scopes) and values (v1, v2, narrowed by q)', async () => {
      const v1 = await getJson<{ tagNames: string[] }>(api, '/api/search/tags');
      assert.ok(v1.tagNames.includes('service.name') && v1.tagNames.includes('http.route'));
      const v2 = await getJson<{ scopes: Array<{ name: string; tags: string[] }> }>(api, '/api/v2/search/tags');
      const scope = (name: string) => v2.scopes.find((s) => s.name === name)?.tags ?? [];
      assert.ok(scope('resource').includes('service.name'));
      assert.ok(scope('span').includes('http.route'));
      assert.ok(scope('intrinsic').includes('name') && scope('intrinsic').includes('status'));
      const spanOnly = await getJson<{ scopes: Array<{ name: string; tags: string[] }> }>(api, '/api/v2/search/tags?scope=span');
      assert.deepEqual(spanOnly.scopes.map((s) => s.name), ['span']);

      const v1Values = await getJson<{ tagValues: string[] }>(api, '/api/search/tag/service.name/values');
      assert.ok(v1Values.tagValues.includes('order') && v1Values.tagValues.includes('user'));
      const services = await getJson<{ tagValues: Array<{ type: string; value: string }> }>(api, '/api/v2/search/tag/resource.service.name/values');
      assert.ok(services.tagValues.some((v) => v.type === 'string' && v.value === 'order'));
      assert.ok(services.tagValues.some((v) => v.type === 'string' && v.value === 'user'));
      const routes = await getJson<{ tagValues: Array<{ type: string; value: string }> }>(api, '/api/v2/search/tag/span.http.route/values');
      assert.ok(routes.tagValues.some((v) => v.type === 'string' && v.value === '/api/order/:id'));
      const q = encodeURIComponent('{ resource.service.name = "user" }');
      const userNames = await getJson<{ tagValues: Array<{ type: string; value: string }> }>(api, `/api/v2/search/tag/name/values?q=${q}`);
      assert.deepEqual(userNames.tagValues, [{ type: 'string', value: 'user.User/GetUser' }]);
      // The code editor sends the query being typed; one that does not parse yet narrows nothing.
      const partial = encodeURIComponent('{ resource.service.name = "user" && span.http.route = }');
      const unfiltered = await getJson<{ tagValues: Array<{ type: string; value: string }> }>(api, `/api/v2/search/tag/name/values?q=${partial}`);
      assert.ok(unfiltered.tagValues.some((v) => v.value === 'GET /api/order/:id'));
      // Enumerated intrinsics come back as keywords.
      const statuses = await getJson<{ tagValues: Array<{ type: string; value: string }> }>(api, '/api/v2/search/tag/status/values');
      assert.ok(statuses.tagValues.some((v) => v.type === 'keyword' && v.value === 'error'));
    });
  });

  describe('one trace from two services, several requests, two exporters, children first', () => {
    // Leading zeros: Tempo's search writes the id without them and Grafana opens the trace with that.
    const TRACE_ID = '00c0ffee00000000000000000000beef';
    let sdk: ReadableSpan[];

    before(async () => {
      let n = 0;
      const ids = { generateTraceId: () => TRACE_ID, generateSpanId: () => (++n).toString(16).padStart(16, 'a') };
      const memory = new InMemorySpanExporter();
      const provider = (service: string, exporter: SpanExporter) =>
        new BasicTracerProvider({
          resource: resourceFromAttributes({ 'service.name': service }),
          idGenerator: ids,
          spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(exporter)],
        });
      const gateway = provider('gateway', new JsonExporter({ url: `${tb.backend.addresses.otlpHttp}/v1/traces` }));
      const inventory = provider('inventory', new GrpcExporter({ url: `http://${tb.backend.addresses.otlpGrpc}` }));
      const gw = gateway.getTracer('gw');
      const root = gw.startSpan('GET /stock', { kind: SpanKind.SERVER });
      const call = gw.startSpan('inventory.Stock/Get', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
      // The callee sees only the propagated context, as over the wire.
      const remote = trace.setSpanContext(ROOT_CONTEXT, { ...call.spanContext(), isRemote: true });
      const inv = inventory.getTracer('inv');
      const server = inv.startSpan('inventory.Stock/Get', { kind: SpanKind.SERVER }, remote);
      const query = inv.startSpan('SELECT stock', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, server));
      query.setStatus({ code: SpanStatusCode.ERROR, message: 'slow' });
      query.end(); // each end is one export request
      server.end();
      await inventory.forceFlush();
      call.end();
      root.end();
      await gateway.forceFlush();
      sdk = [...memory.getFinishedSpans()]; // shutdown empties the in-memory exporter
      await Promise.all([gateway.shutdown(), inventory.shutdown()]);
      assert.equal(sdk.length, 4);
    });

    test('is one trace through the API, all fields intact, by its id with or without leading zeros', async () => {
      await waitForTrace(api, TRACE_ID, 4);
      for (const id of [TRACE_ID, searchId(TRACE_ID)]) {
        for (const read of TRACE_READS) {
          const resourceSpans = await readTrace(api, id, read);
          const got = spanViews(resourceSpans);
          assert.equal(got.length, 4, `${read} ${id}`);
          const key = (v: SpanView) => `${v.name}/${v.kind}`;
          const want = new Map(sdk.map((s) => [key(expectedView(s)), expectedView(s)]));
          for (const v of got) assert.deepEqual(v, want.get(key(v)), `${read} ${id}: ${key(v)}`);
        }
      }
    });

    test('search sees its root, both services and the cross-service edge', async () => {
      const [hit] = (await search(api, { q: '{ resource.service.name = "inventory" && status = error }' })).filter((t) => t.traceID === searchId(TRACE_ID));
      assert.ok(hit, 'found by the inventory error span');
      assert.equal(hit.traceID, 'c0ffee00000000000000000000beef');
      assert.equal(hit.rootServiceName, 'gateway');
      assert.equal(hit.rootTraceName, 'GET /stock');
      assert.deepEqual(hit.serviceStats, { gateway: { spanCount: 2 }, inventory: { spanCount: 2, errorCount: 1 } });
      const child = await search(api, { q: '{ span:kind = client && resource.service.name = "gateway" } > { resource.service.name = "inventory" }' });
      const edge = child.find((t) => t.traceID === searchId(TRACE_ID));
      assert.ok(edge, 'the inventory server span is a child of the gateway client span');
      assert.deepEqual(edge.spanSets[0]!.spans.map((s) => s.name), ['inventory.Stock/Get']);
    });

    test('TraceQL metrics count its spans by service, and by() splits its search result per service', async () => {
      // Instant: a range query ends at the last whole step before now (as Tempo's), which may
      // leave out spans sent a moment ago.
      const q = `{ trace:id = "${TRACE_ID}" } | count_over_time() by (resource.service.name)`;
      const res = await fetch(`${api}/api/metrics/query?${new URLSearchParams({ q, since: '15m' })}`);
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { series: Array<{ labels: Array<{ value: { stringValue: string } }>; value: number }> };
      const totals = Object.fromEntries(body.series.map((s) => [s.labels[0]!.value.stringValue, s.value]));
      assert.deepEqual(totals, { gateway: 2, inventory: 2 });
      const range = await fetch(`${api}/api/metrics/query_range?${new URLSearchParams({ q, since: '15m', step: '1m' })}`);
      assert.equal(range.status, 200);
      const grouped = await search(api, { q: `{ trace:id = "${TRACE_ID}" } | by(resource.service.name)` });
      const hit = grouped.find((t) => t.traceID === searchId(TRACE_ID));
      assert.equal(hit?.spanSets.length, 2);
    });
  });

  describe('zeroscope import: the framework\'s file batcher output', () => {
    test('imported with the CLI, then served by /api/traces/<id> intact', async () => {
      const file = writeConfig('spans.jsonl', '');
      const conf = TelemetrySchema.parse({ Name: 'importer', Endpoint: file, Batcher: 'file' });
      const { exporter } = createExporter({ ...conf, Name: 'importer', Endpoint: file });
      const sdk = await emitRichTrace(exporter as unknown as SpanExporter, 'importer');
      // A bad line is reported by number and skipped; the good ones are still imported.
      await writeFile(file, 'not json\n', { flag: 'a' });
      const dataDir = join(file, '..', 'store');
      const cli = await runCli(['import', file, '--data-dir', dataDir]);
      assert.equal(cli.code, 1, cli.output);
      assert.match(cli.output, /spans\.jsonl:6: /);
      assert.match(cli.output, /imported 5 spans from 5 of 6 lines/);

      const imported = await startTestBackend(dataDir);
      try {
        const traceId = sdk[0]!.spanContext().traceId;
        for (const read of TRACE_READS) {
          const got = byName(spanViews(await readTrace(imported.api, traceId, read)));
          assert.equal(got.size, 5, read);
          for (const s of sdk) assert.deepEqual(got.get(s.name), expectedView(s), `${read}: ${s.name}`);
        }
      } finally {
        await imported.stop(true); // the data dir is removed with the config's temp dir
      }
    });
  });
});
