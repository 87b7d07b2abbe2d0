/**
 * Tempo's metrics-generator options that change what is exposed, each checked against the labels
 * and values Tempo's processors produce (modules/generator/processor/{servicegraphs,spanmetrics}).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtobufRequest, otlpTypes, type ExportTraceServiceRequest } from '../otlp/index.ts';
import { decodedRequest, protobufRequest, type SpanSpec } from '../otlp/testing/trace-builder.ts';
import { createMetricsGenerator, type GeneratorOptions } from './index.ts';
import { spanSize } from './span-metrics.ts';
import { parseSamples, type Sample } from './testing/prometheus-text.ts';

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
let next = 1;
const id = () => (next++).toString(16).padStart(16, '0');

/** One export with `resource`'s attributes, as the receiver hands it to the generator; times in ms after the base. */
const request = (resource: Record<string, string>, ...spans: SpanSpec[]): ExportTraceServiceRequest => decodedRequest([{ attributes: resource, spans }]);

function setup(t: { after(fn: () => void): void }, options: GeneratorOptions) {
  const clock = { now: 0 };
  const generator = createMetricsGenerator({ now: () => clock.now, expireIntervalMs: 0, ...options });
  t.after(() => generator.stop());
  return { clock, generator, samples: async () => parseSamples(await generator.metrics()) };
}
const named = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);

describe('metrics-generator options', () => {
  it('default: no virtual_node label; enableVirtualNodeLabel adds it (client/server on virtual edges, empty otherwise)', async (t) => {
    for (const enableVirtualNodeLabel of [false, true]) {
      const { clock, generator, samples } = setup(t, { enableVirtualNodeLabel });
      const trace = 'b0000000000000000000000000000001';
      const root = id();
      const client = id();
      generator.push(request({ 'service.name': 'order' }, { traceId: trace, spanId: root, name: 'GET /', kind: SERVER, start: 0, end: 10 }, { traceId: trace, spanId: client, parentSpanId: root, name: 'call', kind: CLIENT, start: 1, end: 9 }));
      generator.push(request({ 'service.name': 'user' }, { traceId: trace, spanId: id(), parentSpanId: client, name: 'call', kind: SERVER, start: 2, end: 8 }));
      generator.push(request({ 'service.name': 'order' }, { traceId: trace, spanId: id(), parentSpanId: root, name: 'pay', kind: CLIENT, start: 1, end: 5, attributes: { 'peer.service': 'payments' } }));
      clock.now = 11_000;
      generator.expire();
      const totals = named(await samples(), 'traces_service_graph_request_total').map((s) => s.labels);
      const expected = [
        { client: 'order', server: 'user', connection_type: '' },
        { client: 'user', server: 'order', connection_type: 'virtual_node' },
        { client: 'order', server: 'payments', connection_type: 'virtual_node' },
      ].map((l, i) => (enableVirtualNodeLabel ? { ...l, virtual_node: ['', 'client', 'server'][i]! } : l));
      assert.deepEqual(
        totals.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        expected.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        `enableVirtualNodeLabel: ${enableVirtualNodeLabel}`,
      );
    }
  });

  it('a root server span with a peer attribute names its virtual client; db.system.name and db.namespace make database edges', async (t) => {
    const { clock, generator, samples } = setup(t, {});
    generator.push(request({ 'service.name': 'api' }, { traceId: 'b0000000000000000000000000000002', spanId: id(), name: 'GET /', kind: SERVER, start: 0, end: 1, attributes: { 'peer.service': 'mobile-app' } }));
    generator.push(request({ 'service.name': 'api' }, { traceId: 'b0000000000000000000000000000003', spanId: id(), name: 'q', kind: CLIENT, start: 0, end: 1, attributes: { 'db.system.name': 'postgresql' } }));
    generator.push(request({ 'service.name': 'api' }, { traceId: 'b0000000000000000000000000000004', spanId: id(), name: 'q', kind: CLIENT, start: 0, end: 1, attributes: { 'db.namespace': 'orders', 'db.system': 'postgresql' } }));
    clock.now = 11_000;
    generator.expire();
    const totals = named(await samples(), 'traces_service_graph_request_total').map((s) => `${s.labels.client}→${s.labels.server} ${s.labels.connection_type}`).sort();
    assert.deepEqual(totals, ['api→orders database', 'api→postgresql database', 'mobile-app→api virtual_node']);
  });

  it('dimensions, with and without enableClientServerPrefix', async (t) => {
    for (const enableClientServerPrefix of [false, true]) {
      const { generator, samples } = setup(t, { serviceGraphDimensions: ['deployment.environment'], enableClientServerPrefix });
      const trace = 'b0000000000000000000000000000005';
      const client = id();
      generator.push(request({ 'service.name': 'order', 'deployment.environment': 'prod' }, { traceId: trace, spanId: client, name: 'c', kind: CLIENT, start: 0, end: 2 }));
      generator.push(request({ 'service.name': 'user', 'deployment.environment': 'canary' }, { traceId: trace, spanId: id(), parentSpanId: client, name: 's', kind: SERVER, start: 0, end: 1 }));
      const [total] = named(await samples(), 'traces_service_graph_request_total');
      assert.deepEqual(
        total?.labels,
        enableClientServerPrefix
          ? { client: 'order', server: 'user', connection_type: '', client_deployment_environment: 'prod', server_deployment_environment: 'canary' }
          : { client: 'order', server: 'user', connection_type: '', deployment_environment: 'canary' },
      );
    }
  });

  it('enableMessagingSystemLatencyHistogram: producer end → consumer start', async (t) => {
    const { generator, samples } = setup(t, { enableMessagingSystemLatencyHistogram: true });
    const trace = 'b0000000000000000000000000000006';
    const producer = id();
    generator.push(request({ 'service.name': 'shop' }, { traceId: trace, spanId: producer, name: 'publish', kind: PRODUCER, start: 0, end: 10 }));
    generator.push(request({ 'service.name': 'mailer' }, { traceId: trace, spanId: id(), parentSpanId: producer, name: 'consume', kind: CONSUMER, start: 310, end: 320 }));
    const s = await samples();
    const sum = s.find((x) => x.name === 'traces_service_graph_request_messaging_system_seconds_sum');
    assert.deepEqual(sum?.labels, { client: 'shop', server: 'mailer', connection_type: 'messaging_system' });
    assert.ok(Math.abs((sum?.value ?? 0) - 0.3) < 1e-9, String(sum?.value));
    const off = setup(t, {});
    off.generator.push(request({ 'service.name': 'shop' }, { traceId: trace, spanId: producer, name: 'publish', kind: PRODUCER, start: 0, end: 10 }));
    assert.equal((await off.generator.metrics()).includes('messaging_system_seconds'), false, 'off by default');
  });

  it('traces_spanmetrics_size_total counts each span\'s encoded bytes', async (t) => {
    const { generator, samples } = setup(t, {});
    const body = protobufRequest([
      {
        service: 'api',
        spans: [
          { traceId: 'b0000000000000000000000000000007', spanId: id(), name: 'one', kind: SERVER, start: 0, end: 1, attributes: { a: 'x'.repeat(100) } },
          { traceId: 'b0000000000000000000000000000007', spanId: id(), name: 'one', kind: SERVER, start: 1, end: 2 },
        ],
      },
    ]);
    const decoded = decodeProtobufRequest(body);
    const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
    const expected = spans.reduce((n, span) => n + otlpTypes.Span.encode(span as never).finish().length, 0);
    assert.ok(expected > 100);
    assert.equal(spanSize(spans[0]!) + spanSize(spans[1]!), expected);
    generator.push(decoded);
    const [size] = named(await samples(), 'traces_spanmetrics_size_total');
    assert.deepEqual(size?.labels, { service: 'api', span_name: 'one', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_UNSET' });
    assert.equal(size?.value, expected);
  });

  it('intrinsic dimensions (status_message on, span_kind off) and span-metrics dimensions', async (t) => {
    const { generator, samples } = setup(t, { intrinsicDimensions: { status_message: true, span_kind: false }, spanMetricsDimensions: ['http.route', 'service'] });
    generator.push(request({ 'service.name': 'api' }, { traceId: 'b0000000000000000000000000000008', spanId: id(), name: 'GET', kind: SERVER, start: 0, end: 1, error: 'boom', attributes: { 'http.route': '/x', service: 'attr' } }));
    const [calls] = named(await samples(), 'traces_spanmetrics_calls_total');
    assert.deepEqual(calls?.labels, { service: 'api', span_name: 'GET', status_code: 'STATUS_CODE_ERROR', status_message: 'boom', http_route: '/x', __service: 'attr' });
  });

  it('enableTargetInfo: traces_target_info per resource and job/instance on span metrics', async (t) => {
    const { generator, samples } = setup(t, { enableTargetInfo: true, targetInfoExcludedDimensions: ['host.id'] });
    const resource = { 'service.name': 'api', 'service.namespace': 'shop', 'service.instance.id': 'pod-1', 'host.name': 'node-a', 'host.id': 'x', 'k8s.pod.name': 'api-1' };
    generator.push(request(resource, { traceId: 'b0000000000000000000000000000009', spanId: id(), name: 'GET', kind: SERVER, start: 0, end: 1 }));
    generator.push(request({ 'service.name': 'bare' }, { traceId: 'b000000000000000000000000000000a', spanId: id(), name: 'GET', kind: SERVER, start: 0, end: 1 }));
    const s = await samples();
    assert.deepEqual(
      named(s, 'traces_target_info').map((x) => [x.labels, x.value]),
      [[{ host_name: 'node-a', k8s_pod_name: 'api-1', job: 'shop/api', instance: 'pod-1' }, 1]],
      'a resource with nothing beyond its identity has no target info',
    );
    assert.deepEqual(
      named(s, 'traces_spanmetrics_calls_total').map((x) => x.labels),
      [
        { service: 'api', span_name: 'GET', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_UNSET', job: 'shop/api', instance: 'pod-1' },
        { service: 'bare', span_name: 'GET', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_UNSET', job: 'bare', instance: '' },
      ],
    );
    const off = setup(t, {});
    off.generator.push(request(resource, { traceId: 'b000000000000000000000000000000b', spanId: id(), name: 'GET', kind: SERVER, start: 0, end: 1 }));
    assert.equal((await off.generator.metrics()).includes('traces_target_info'), false, 'off by default, as in Tempo');
  });
});
