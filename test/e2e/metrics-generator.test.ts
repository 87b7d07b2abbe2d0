/**
 * The backend as Tempo's metrics-generator, end to end: order-api and user-rpc run as real
 * processes exporting to the real backend (`startBackend`); after N demo requests its `/metrics`,
 * read with a third-party Prometheus text parser, has the order → user edge counted N times,
 * and the RED view and span metrics agree.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBackend, type RunningBackend } from '../../packages/cli/src/backend/app.ts';
import { resolveBackendConfig } from '../../packages/cli/src/backend/config.ts';
import { parseSamples, sampleValue, type Sample } from '../../packages/cli/src/backend/generator/testing/prometheus-text.ts';
import { type ServiceProcess, removeTempDirs, startSeedSystem } from './harness.ts';

const N = 5;

/** The sum over every sample of `name` whose labels include `labels`. */
function sum(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}
const EDGE = { client: 'order', server: 'user', connection_type: '' };

describe('metrics-generator and RED view over the seed services', () => {
  let backend: RunningBackend;
  let dataDir: string;
  let user: ServiceProcess;
  let order: ServiceProcess;
  let orderUrl: string;
  const errors: unknown[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-generator-e2e-'));
    const config = resolveBackendConfig({ dataDir, otlpHttpPort: '0', otlpGrpcPort: '0', zipkinPort: '0', queryPort: '0' }, {});
    backend = await startBackend(config, { onError: (err) => errors.push(err) });
    ({ user, order, orderUrl } = await startSeedSystem(new URL(backend.addresses.otlpHttp).host));
  });
  after(async () => {
    await order?.stop();
    await user?.stop();
    await backend?.stop();
    removeTempDirs();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Polls /metrics until `done` holds (spans arrive on the services' batch schedule). */
  async function metricsWhen(done: (samples: Sample[]) => boolean): Promise<Sample[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${backend.addresses.query}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const samples = parseSamples(await res.text());
      if (done(samples)) return samples;
      if (Date.now() > deadline) return samples;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test(`after ${N} demo requests the backend counts ${N} order → user requests`, async () => {
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
    const samples = await metricsWhen((s) => sampleValue(s, 'traces_service_graph_request_total', EDGE) === N && serverCalls(s) === N);
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
    const red = (await (await fetch(`${backend.addresses.query}/api/red?service=order`)).json()) as {
      routes: Array<{ route: string; requests: number; errors: number; examples: Array<{ traceId: string }> }>;
    };
    const route = red.routes.find((r) => r.route === 'GET /api/order/:id');
    assert.ok(route, `routes: ${red.routes.map((r) => r.route).join(', ')}`);
    assert.equal(route.requests, N);
    assert.equal(route.errors, 1);
    for (const example of route.examples) {
      assert.ok(traceIds.includes(example.traceId), 'each example is one of the demo traces');
      assert.equal((await fetch(`${backend.addresses.query}/api/traces/${example.traceId}`)).status, 200);
    }
    assert.deepEqual(errors, []);
  });
});
