/**
 * The backend as Tempo's metrics-generator, end to end: order-api and user-rpc run as real
 * processes exporting to the real backend (`startBackend`); after N demo requests its `/metrics`,
 * read with a third-party Prometheus text parser, has the order → user edge counted N times,
 * and the RED view and span metrics agree.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseSamples, sampleValue, type Sample } from '../../packages/cli/src/backend/generator/testing/prometheus-text.ts';
import { eventually } from '../lib/eventually.ts';
import { startSeedOnBackend, type SeedOnBackend } from './backend-harness.ts';

const N = 5;

/** The sum over every sample of `name` whose labels include `labels`. */
function sum(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}
const EDGE = { client: 'order', server: 'user', connection_type: '' };

describe('metrics-generator and RED view over the seed services', () => {
  let seed: SeedOnBackend;

  before(async () => {
    seed = await startSeedOnBackend();
  });
  after(() => seed?.stop());

  /** Polls /metrics until `done` holds (spans arrive on the services' batch schedule). */
  function metricsWhen(what: string, done: (samples: Sample[]) => boolean): Promise<Sample[]> {
    return eventually(
      what,
      async () => {
        const res = await fetch(`${seed.tb.api}/metrics`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
        const samples = parseSamples(await res.text());
        return done(samples) && samples;
      },
      { timeoutMs: 20_000, pollMs: 200 },
    );
  }

  test(`after ${N} demo requests the backend counts ${N} order → user requests`, async () => {
    const { orderUrl, tb } = seed;
    const traceIds: string[] = [];
    // Users 1-3 exist; order 9's user does not, so its RPC fails (NOT_FOUND) and order answers 404.
    const ids = [1, 2, 3, 1, 9];
    for (const id of ids) {
      const res = await fetch(`${orderUrl}/api/order/${id}`);
      assert.equal(res.status, id === 9 ? 404 : 200);
      await res.arrayBuffer();
      traceIds.push(res.headers.get('traceparent')!.split('-')[1]);
    }
    const serverLabels = { service: 'order', span_name: 'GET /api/order/:id', span_kind: 'SPAN_KIND_SERVER' };
    const serverCalls = (s: Sample[]) => sum(s, 'traces_spanmetrics_calls_total', serverLabels);
    const samples = await metricsWhen(
      `${N} order → user requests and ${N} order server calls`,
      (s) => sampleValue(s, 'traces_service_graph_request_total', EDGE) === N && serverCalls(s) === N,
    );
    assert.equal(sampleValue(samples, 'traces_service_graph_request_total', EDGE), N);
    assert.equal(sampleValue(samples, 'traces_service_graph_request_failed_total', EDGE), 1, 'the NOT_FOUND call');
    assert.equal(sampleValue(samples, 'traces_service_graph_request_server_seconds_bucket', { ...EDGE, le: '+Inf' }), N);
    assert.equal(sampleValue(samples, 'traces_service_graph_request_client_seconds_count', EDGE), N);
    assert.equal(serverCalls(samples), N);
    // The framework marks order's span as failed when its downstream call failed.
    assert.equal(sampleValue(samples, 'traces_spanmetrics_calls_total', { ...serverLabels, status_code: 'STATUS_CODE_ERROR' }), 1);
    assert.equal(sum(samples, 'traces_spanmetrics_calls_total', { service: 'order', span_kind: 'SPAN_KIND_CLIENT' }), N);
    assert.equal(sampleValue(samples, 'traces_spanmetrics_calls_total', { service: 'user', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_UNSET' }), N - 1);
    assert.equal(sampleValue(samples, 'traces_spanmetrics_calls_total', { service: 'user', span_kind: 'SPAN_KIND_SERVER', status_code: 'STATUS_CODE_ERROR' }), 1);
    assert.equal(sum(samples, 'traces_spanmetrics_latency_count', serverLabels), N);

    // The RED view reads the same requests from the stored spans and links to real traces.
    const red = (await (await fetch(`${tb.api}/api/red?service=order`)).json()) as {
      routes: Array<{ route: string; requests: number; errors: number; examples: Array<{ traceId: string }> }>;
    };
    const route = red.routes.find((r) => r.route === 'GET /api/order/:id');
    assert.ok(route, `routes: ${red.routes.map((r) => r.route).join(', ')}`);
    assert.equal(route.requests, N);
    assert.equal(route.errors, 1);
    for (const example of route.examples) {
      assert.ok(traceIds.includes(example.traceId), 'each example is one of the demo traces');
      assert.equal((await fetch(`${tb.api}/api/traces/${example.traceId}`)).status, 200);
    }
    assert.deepEqual(tb.errors, []);
  });
});
