// Proves the schema and codecs against bytes made by the official OpenTelemetry JS exporters:
// each exporter sends the same spans to our receiver, and every field must decode to what the
// SDK recorded (compared with an InMemorySpanExporter fed by the same provider).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind as ApiSpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { requestToQuerySpans } from '../otlp/index.ts';
import type { QuerySpan } from '../query/storage.ts';
import { createMemoryPusher, createOtlpGrpcReceiver, createOtlpHttpReceiver, createZipkinReceiver } from './index.ts';
import type { MemoryPusher, Receiver } from './index.ts';

const LINKED = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const ATTRS = {
  str: 'hello',
  int: 42,
  dbl: 3.5,
  flag: true,
  strs: ['a', 'b'],
  ints: [1, 2, 3],
  dbls: [1.5, -2.25],
  flags: [true, false],
};
const hr = (sec: number, nanos: number): HrTime => [sec, nanos];
const hrToNanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** Sends a SERVER parent and a CLIENT child (plus an INTERNAL grandchild) through `exporter`. */
async function emit(exporter: SpanExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('zeroscope-test-scope', '1.2.3');
  const parent = tracer.startSpan('GET /api/order/:id', { kind: ApiSpanKind.SERVER, attributes: ATTRS, startTime: hr(1_700_000_000, 123_456_789) });
  parent.addEvent('exception', { 'exception.message': 'boom', 'retry.count': 2 }, hr(1_700_000_000, 500_000_000));
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  const child = tracer.startSpan(
    'user.User/Get',
    { kind: ApiSpanKind.CLIENT, startTime: hr(1_700_000_000, 200_000_000), links: [{ context: { ...LINKED, traceFlags: 1 }, attributes: { 'link.why': 'retry' } }] },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.setStatus({ code: SpanStatusCode.OK });
  const internal = tracer.startSpan('compute', { kind: ApiSpanKind.INTERNAL, startTime: hr(1_700_000_000, 250_000_000) }, trace.setSpan(ROOT_CONTEXT, child));
  internal.end(hr(1_700_000_000, 260_000_000));
  child.end(hr(1_700_000_000, 300_000_000));
  parent.end(hr(1_700_000_001, 987_654_321));
  await provider.forceFlush();
  await provider.shutdown();
  return memory.getFinishedSpans();
}

function received(pusher: MemoryPusher): Map<string, QuerySpan> {
  const spans = pusher.requests.flatMap((request) => requestToQuerySpans(request));
  return new Map(spans.map((s) => [s.name, s]));
}

/** Asserts every field OTLP carries, as the SDK recorded it. */
function assertSameAsSdk(got: QuerySpan | undefined, sdk: ReadableSpan): void {
  assert.ok(got, `span ${sdk.name} was not received`);
  assert.equal(got.traceId, sdk.spanContext().traceId);
  assert.equal(got.spanId, sdk.spanContext().spanId);
  assert.equal(got.parentSpanId, sdk.parentSpanContext?.spanId ?? '');
  assert.equal(got.kind, sdk.kind + 1, 'OTLP kinds are the API kinds plus one');
  assert.equal(got.startTimeUnixNano, hrToNanos(sdk.startTime));
  assert.equal(got.endTimeUnixNano, hrToNanos(sdk.endTime));
  assert.equal(got.durationNanos, Number(hrToNanos(sdk.endTime) - hrToNanos(sdk.startTime)));
  assert.equal(got.statusCode, sdk.status.code);
  assert.equal(got.statusMessage, sdk.status.message ?? '');
  assert.deepEqual(got.attributes, { ...sdk.attributes });
  assert.deepEqual(got.resource, { ...sdk.resource.attributes });
  assert.equal(got.serviceName, 'checkout');
  assert.equal(got.scopeName, 'zeroscope-test-scope');
  assert.equal(got.scopeVersion, '1.2.3');
  assert.deepEqual(
    got.events,
    sdk.events.map((e) => ({ name: e.name, timeUnixNano: hrToNanos(e.time), attributes: { ...e.attributes } })),
  );
  assert.deepEqual(
    got.links,
    sdk.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: { ...l.attributes } })),
  );
}

function assertOtlpScene(pusher: MemoryPusher, sdkSpans: ReadableSpan[]): void {
  const got = received(pusher);
  assert.equal(got.size, 3);
  for (const sdk of sdkSpans) assertSameAsSdk(got.get(sdk.name), sdk);
  // Spot checks in plain values, so a shared mistake in both sides cannot hide.
  const parent = got.get('GET /api/order/:id')!;
  assert.deepEqual(parent.attributes, ATTRS);
  assert.equal(parent.kind, 2);
  assert.equal(parent.statusCode, 2);
  assert.equal(parent.startTimeUnixNano, 1_700_000_000_123_456_789n);
  assert.equal(parent.endTimeUnixNano, 1_700_000_001_987_654_321n);
  assert.deepEqual(parent.events[0], { name: 'exception', timeUnixNano: 1_700_000_000_500_000_000n, attributes: { 'exception.message': 'boom', 'retry.count': 2 } });
  const child = got.get('user.User/Get')!;
  assert.equal(child.parentSpanId, parent.spanId);
  assert.equal(child.traceId, parent.traceId);
  assert.equal(child.kind, 3);
  assert.equal(child.statusCode, 1);
  assert.deepEqual(child.links, [{ ...LINKED, attributes: { 'link.why': 'retry' } }]);
  assert.equal(got.get('compute')!.kind, 1);
}

describe('official exporters against our receivers', () => {
  const pusher = createMemoryPusher();
  const receivers: Receiver[] = [
    createOtlpHttpReceiver({ port: 0, pusher }),
    createOtlpGrpcReceiver({ port: 0, pusher }),
    createZipkinReceiver({ port: 0, pusher }),
  ];
  let httpPort = 0;
  let grpcPort = 0;
  let zipkinPort = 0;
  before(async () => {
    [httpPort, grpcPort, zipkinPort] = (await Promise.all(receivers.map((r) => r.start()))).map((a) => a.port);
  });
  after(() => Promise.all(receivers.map((r) => r.stop())));
  const reset = (): void => {
    pusher.requests.length = 0;
  };

  it('OTLP/HTTP protobuf (exporter-trace-otlp-proto)', async () => {
    reset();
    const sdk = await emit(new ProtoExporter({ url: `http://127.0.0.1:${httpPort}/v1/traces` }));
    assertOtlpScene(pusher, sdk);
  });

  it('OTLP/HTTP JSON, gzip (exporter-trace-otlp-http)', async () => {
    reset();
    const sdk = await emit(new JsonExporter({ url: `http://127.0.0.1:${httpPort}/v1/traces`, compression: 'gzip' as never }));
    assertOtlpScene(pusher, sdk);
  });

  it('OTLP/gRPC, gzip (exporter-trace-otlp-grpc)', async () => {
    reset();
    const sdk = await emit(new GrpcExporter({ url: `http://127.0.0.1:${grpcPort}`, compression: 'gzip' as never }));
    assertOtlpScene(pusher, sdk);
  });

  it('Zipkin v2 JSON (exporter-zipkin)', async () => {
    reset();
    const sdk = await emit(new ZipkinExporter({ url: `http://127.0.0.1:${zipkinPort}/api/v2/spans` }));
    const got = received(pusher);
    assert.equal(got.size, 3);
    for (const s of sdk) {
      const z = got.get(s.name);
      assert.ok(z, `span ${s.name} was not received`);
      assert.equal(z.traceId, s.spanContext().traceId);
      assert.equal(z.spanId, s.spanContext().spanId);
      assert.equal(z.parentSpanId, s.parentSpanContext?.spanId ?? '');
      assert.equal(z.kind, s.kind + 1);
      // Zipkin carries microseconds as a double: start is exact to well under a microsecond,
      // the duration is rounded to whole microseconds.
      const start = hrToNanos(s.startTime);
      assert.ok(z.startTimeUnixNano - start < 1000n && start - z.startTimeUnixNano < 1000n, `start ${z.startTimeUnixNano} vs ${start}`);
      const duration = Number(hrToNanos(s.endTime) - start);
      assert.equal(z.durationNanos, Math.round(duration / 1000) * 1000);
      assert.equal(z.statusCode, s.status.code);
      assert.equal(z.statusMessage, s.status.message ?? '');
      // Tags are strings; the resource attributes the exporter flattened into tags go back.
      assert.deepEqual(z.attributes, Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, String(v)])));
      assert.deepEqual(z.resource, Object.fromEntries(Object.entries(s.resource.attributes).map(([k, v]) => [k, String(v)])));
      assert.equal(z.serviceName, 'checkout');
      assert.deepEqual(z.events.map((e) => e.name), s.events.map((e) => e.name));
    }
    const parent = got.get('GET /api/order/:id')!;
    assert.deepEqual(parent.attributes, { str: 'hello', int: '42', dbl: '3.5', flag: 'true', strs: 'a,b', ints: '1,2,3', dbls: '1.5,-2.25', flags: 'true,false' });
    assert.equal(parent.statusCode, 2);
    assert.equal(parent.statusMessage, 'boom');
    assert.equal(parent.events[0].timeUnixNano, 1_700_000_000_500_000_000n);
  });
});
