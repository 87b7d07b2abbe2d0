import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportTraceServiceRequest } from '../otlp/index.ts';
import { decodedRequest, type SpanSpec } from '../otlp/testing/trace-builder.ts';
import { DEFAULT_SERVICE_GRAPH_BUCKETS, DEFAULT_SPAN_METRICS_BUCKETS, createMetricsGenerator } from './index.ts';
import { familyTypes, parseSamples, sampleValue } from './testing/prometheus-text.ts';
import { createRng } from '../../../../../test/lib/random.ts';

let nextId = 1;
const spanId = () => (nextId++).toString(16).padStart(16, '0');

/** One service's export, as the receiver hands it to the generator; times in ms after the base. */
const request = (service: string, ...spans: SpanSpec[]): ExportTraceServiceRequest => decodedRequest([{ service, spans }]);

const SERVER = 2;
const CLIENT = 3;
const TOTAL = 'traces_service_graph_request_total';
const EDGE = { client: 'order', server: 'user', connection_type: '' };

/** A fresh generator on a fake clock, stopped after the test. */
function setup(t: { after(fn: () => void): void }, maxItems = 100) {
  const clock = { now: 0 };
  const generator = createMetricsGenerator({ now: () => clock.now, expireIntervalMs: 0, maxItems });
  t.after(() => generator.stop());
  return { clock, generator, samples: async () => parseSamples(await generator.metrics()) };
}

/** The seed's three spans: order SERVER root → order CLIENT → user SERVER; user's export first. */
function pushSeedTrace(generator: ReturnType<typeof createMetricsGenerator>, traceId: string, options: { error?: boolean } = {}) {
  const root = spanId();
  const client = spanId();
  generator.push(request('user', { traceId, spanId: spanId(), parentSpanId: client, name: 'user.User/GetUser', kind: SERVER, start: 2, end: 152, error: options.error }));
  generator.push(
    request(
      'order',
      { traceId, spanId: root, name: 'GET /api/order/:id', kind: SERVER, start: 0, end: 300 },
      { traceId, spanId: client, parentSpanId: root, name: 'user.User/GetUser', kind: CLIENT, start: 1, end: 201 },
    ),
  );
}

describe('metrics-generator', () => {
  it('pairs a server span with its client span from a later export, under Tempo names and labels', async (t) => {
    const { generator, samples } = setup(t);
    pushSeedTrace(generator, 'a0000000000000000000000000000001');
    assert.equal(generator.pendingEdges(), 1, 'only the root server span still waits (for a client that never comes)');
    const s = await samples();
    assert.equal(sampleValue(s, TOTAL, EDGE), 1);
    assert.equal(sampleValue(s, 'traces_service_graph_request_failed_total', EDGE), undefined);
    assert.equal(sampleValue(s, 'traces_service_graph_request_server_seconds_count', EDGE), 1);
    assert.ok(Math.abs(sampleValue(s, 'traces_service_graph_request_server_seconds_sum', EDGE)! - 0.15) < 1e-9);
    assert.ok(Math.abs(sampleValue(s, 'traces_service_graph_request_client_seconds_sum', EDGE)! - 0.2) < 1e-9);
    assert.equal(sampleValue(s, 'traces_service_graph_request_server_seconds_bucket', { ...EDGE, le: '0.1' }), 0);
    assert.equal(sampleValue(s, 'traces_service_graph_request_server_seconds_bucket', { ...EDGE, le: '0.2' }), 1);
    assert.equal(sampleValue(s, 'traces_service_graph_request_server_seconds_bucket', { ...EDGE, le: '+Inf' }), 1);
    const buckets = s.filter((x) => x.name === 'traces_service_graph_request_server_seconds_bucket').map((x) => x.labels.le);
    assert.deepEqual(buckets, [...DEFAULT_SERVICE_GRAPH_BUCKETS.map(String), '+Inf'], "Tempo's default buckets");
    const types = familyTypes(await generator.metrics());
    assert.equal(types.get(TOTAL), 'COUNTER');
    assert.equal(types.get('traces_service_graph_request_server_seconds'), 'HISTOGRAM');
    assert.equal(types.get('traces_spanmetrics_latency'), 'HISTOGRAM');
  });

  it('counts a failed request when either side has status ERROR', async (t) => {
    const { generator, samples } = setup(t);
    pushSeedTrace(generator, 'a0000000000000000000000000000002');
    pushSeedTrace(generator, 'a0000000000000000000000000000003', { error: true });
    const s = await samples();
    assert.equal(sampleValue(s, TOTAL, EDGE), 2);
    assert.equal(sampleValue(s, 'traces_service_graph_request_failed_total', EDGE), 1);
  });

  it('after the wait, draws an unpaired root server span from "user" and a client with a peer to that peer', async (t) => {
    const { clock, generator, samples } = setup(t);
    pushSeedTrace(generator, 'a0000000000000000000000000000004');
    const trace = 'a0000000000000000000000000000005';
    generator.push(request('order', { traceId: trace, spanId: spanId(), name: 'POST /pay', kind: CLIENT, start: 0, end: 50, attributes: { 'peer.service': 'payments' } }));
    clock.now = 9_999;
    generator.expire();
    assert.equal(sampleValue(await samples(), TOTAL, { client: 'user', server: 'order' }), undefined, 'not before the wait is over');
    clock.now = 10_000;
    generator.expire();
    assert.equal(generator.pendingEdges(), 0);
    const s = await samples();
    assert.equal(sampleValue(s, TOTAL, { client: 'user', server: 'order', connection_type: 'virtual_node' }), 1);
    assert.equal(sampleValue(s, TOTAL, { client: 'order', server: 'payments', connection_type: 'virtual_node' }), 1);
    assert.equal(sampleValue(s, TOTAL, EDGE), 1);
    assert.equal(sampleValue(s, 'traces_service_graph_unpaired_spans_total', { client: '', server: 'order' }), 1);
  });

  it('completes a database call at once, named by server.address', async (t) => {
    const { generator, samples } = setup(t);
    generator.push(request('user', { traceId: 'a0000000000000000000000000000006', spanId: spanId(), name: 'SELECT users', kind: CLIENT, start: 0, end: 5, attributes: { 'db.system': 'postgresql', 'server.address': 'db.local' } }));
    assert.equal(generator.pendingEdges(), 0);
    assert.equal(sampleValue(await samples(), TOTAL, { client: 'user', server: 'db.local', connection_type: 'database' }), 1);
  });

  it('keeps at most maxItems waiting edges and counts the spans it drops', async (t) => {
    const { generator, samples } = setup(t, 2);
    for (let i = 0; i < 3; i++) {
      generator.push(request('user', { traceId: 'a0000000000000000000000000000007', spanId: spanId(), parentSpanId: spanId(), name: 'x', kind: SERVER, start: 0, end: 1 }));
    }
    assert.equal(generator.pendingEdges(), 2);
    assert.equal(sampleValue(await samples(), 'traces_service_graph_dropped_spans_total', { server: 'user' }), 1);
  });

  it('counts every span in traces_spanmetrics_calls_total and traces_spanmetrics_latency', async (t) => {
    const { generator, samples } = setup(t);
    pushSeedTrace(generator, 'a0000000000000000000000000000008');
    pushSeedTrace(generator, 'a0000000000000000000000000000009', { error: true });
    const s = await samples();
    const rootLabels = { service: 'order', span_name: 'GET /api/order/:id', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_UNSET' };
    assert.equal(sampleValue(s, 'traces_spanmetrics_calls_total', rootLabels), 2);
    assert.equal(sampleValue(s, 'traces_spanmetrics_calls_total', { service: 'order', span_kind: 'SPAN_KIND_CLIENT', status_code: 'STATUS_CODE_UNSET' }), 2);
    assert.equal(sampleValue(s, 'traces_spanmetrics_calls_total', { service: 'user', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_ERROR' }), 1);
    assert.equal(sampleValue(s, 'traces_spanmetrics_latency_count', rootLabels), 2);
    assert.equal(sampleValue(s, 'traces_spanmetrics_latency_bucket', { ...rootLabels, le: '0.256' }), 0);
    assert.equal(sampleValue(s, 'traces_spanmetrics_latency_bucket', { ...rootLabels, le: '0.512' }), 2);
    const les = s.filter((x) => x.name === 'traces_spanmetrics_latency_bucket' && x.labels.service === 'user' && x.labels.status_code === 'STATUS_CODE_UNSET').map((x) => Number(x.labels.le));
    assert.deepEqual(les.slice(0, -1), [...DEFAULT_SPAN_METRICS_BUCKETS]);
  });

  it('read() counts nothing until its step runs, then exactly what push() counts', async (t) => {
    const viaPush = setup(t);
    const viaRead = setup(t);
    const pending: Array<() => void> = [];
    const rand = createRng(21).int;
    const services = ['order', 'user', 'db-client'];
    for (let i = 0; i < 40; i++) {
      const trace = `b${String(i % 7).padStart(31, '0')}`;
      const client = spanId();
      const attrs: Record<string, string> = [{}, { 'peer.service': 'payments' }, { 'db.system': 'redis', 'network.peer.address': 'cache', 'network.peer.port': '6379' }][rand(3)];
      const req = request(
        services[rand(3)],
        { traceId: trace, spanId: client, name: 'call', kind: [CLIENT, 4][rand(2)], start: 0, end: rand(400), error: rand(5) === 0, attributes: attrs },
        { traceId: trace, spanId: spanId(), parentSpanId: rand(3) ? client : undefined, name: 'serve', kind: [SERVER, 5][rand(2)], start: 1, end: rand(300) },
        { traceId: trace, spanId: spanId(), name: 'inner', kind: rand(2), start: 2, end: 3 },
      );
      viaPush.generator.push(req);
      pending.push(viaRead.generator.read(req));
    }
    const untouched = await viaRead.generator.metrics();
    assert.doesNotMatch(untouched, /traces_spanmetrics_calls_total\{/);
    assert.equal(viaRead.generator.pendingEdges(), 0);
    for (const record of pending) record();
    assert.equal(await viaRead.generator.metrics(), await viaPush.generator.metrics());
    assert.equal(viaRead.generator.pendingEdges(), viaPush.generator.pendingEdges());
    viaPush.clock.now = viaRead.clock.now = 60_000;
    viaPush.generator.expire();
    viaRead.generator.expire();
    assert.equal(await viaRead.generator.metrics(), await viaPush.generator.metrics());
  });
});
