/**
 * Issue 7, framework side, end to end: order-api and user-rpc run as real processes with a
 * `Prometheus` block and OTLP/HTTP Telemetry. Their access log lines (stdout, json) and their
 * OTLP log records carry the trace of the request; their `/metrics` count every request, and the
 * exemplars name traces the collector received.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestToQuerySpans } from '../../packages/cli/src/backend/otlp/index.ts';
import { createMemoryPusher, createOtlpHttpReceiver, type LogsPusher } from '../../packages/cli/src/backend/receivers/index.ts';
import { counterValue, exemplarsOf, histogramBuckets, parseMetrics } from '../../packages/zeroscope/src/metrics/testing/index.ts';
import { freePort, ORDER_ENTRY, removeTempDirs, type ServiceProcess, startService, USER_ENTRY, writeConfig } from './harness.ts';
import { eventually } from '../lib/eventually.ts';

type LogsRequest = Parameters<LogsPusher['push']>[0];
interface Line { [key: string]: unknown; trace_id?: string; span_id?: string; kind?: string }

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The json lines a service wrote so far (its "Starting ..." line and other text skipped). */
function jsonLines(service: ServiceProcess): Line[] {
  const lines: Line[] = [];
  for (const text of service.output().split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as Line);
    } catch {
      // A line cut by the chunking of the pipe: the next poll sees it whole.
    }
  }
  return lines;
}

function traceparentOf(res: Response): { traceId: string; spanId: string } {
  const [, traceId, spanId] = (res.headers.get('traceparent') ?? '').split('-');
  assert.ok(traceId && spanId, 'the response carries a traceparent');
  return { traceId, spanId };
}

describe('logs and metrics of order-api → user-rpc', () => {
  const pusher = createMemoryPusher();
  const logRequests: LogsRequest[] = [];
  const receiver = createOtlpHttpReceiver({ host: '127.0.0.1', port: 0, pusher, logs: { push: async (request) => void logRequests.push(request) } });
  const spans = () => pusher.requests.flatMap((r) => requestToQuerySpans(r));
  let user: ServiceProcess;
  let order: ServiceProcess;
  let orderUrl: string;
  let orderMetrics: string;
  let userMetrics: string;

  before(async () => {
    const { port: collectorPort } = await receiver.start();
    const endpoint = `127.0.0.1:${collectorPort}`;
    const [userPort, orderPort, userMetricsPort, orderMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const telemetry = (name: string) => `Log:\n  ExportAccess: true\nTelemetry:\n  Name: ${name}\n  Endpoint: ${endpoint}\n  Batcher: otlphttp\n`;
    const prometheus = (port: number) => `Prometheus:\n  Host: 127.0.0.1\n  Port: ${port}\n`;
    user = await startService(
      USER_ENTRY,
      writeConfig('user.yaml', `Name: user.rpc\nListenOn: 127.0.0.1:${userPort}\n${telemetry('user')}${prometheus(userMetricsPort)}`),
    );
    order = await startService(
      ORDER_ENTRY,
      writeConfig(
        'order.yaml',
        `Name: order\nHost: 127.0.0.1\nPort: ${orderPort}\n${telemetry('order')}${prometheus(orderMetricsPort)}UserRpc:\n  Endpoints:\n    - 127.0.0.1:${userPort}\n`,
      ),
    );
    orderUrl = `http://127.0.0.1:${orderPort}`;
    orderMetrics = `http://127.0.0.1:${orderMetricsPort}/metrics`;
    userMetrics = `http://127.0.0.1:${userMetricsPort}/metrics`;
  });
  after(async () => {
    await order?.stop();
    await user?.stop();
    await receiver.stop();
    removeTempDirs();
  });

  test('after N requests, /metrics of both services count N, buckets reach N, exemplars name received traces', async () => {
    const n = 5;
    const traceIds = new Set<string>();
    for (let i = 1; i <= n; i++) {
      const res = await fetch(`${orderUrl}/api/order/${1 + (i % 3)}`); // users 1..3 exist
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      traceIds.add(traceparentOf(res).traceId);
    }

    const orderFamilies = parseMetrics(await (await fetch(orderMetrics)).text());
    assert.equal(counterValue(orderFamilies, 'http_server_requests_code_total', { path: '/api/order/:id', method: 'GET', code: '200' }), n);
    assert.equal(counterValue(orderFamilies, 'http_server_requests_code_total'), n, 'no other series');
    assert.equal(histogramBuckets(orderFamilies, 'http_server_requests_duration_ms').get('+Inf'), n);
    assert.equal(counterValue(orderFamilies, 'rpc_client_requests_code_total', { method: '/user.User/GetUser', code: '0' }), n);
    assert.equal(histogramBuckets(orderFamilies, 'rpc_client_requests_duration_ms').get('+Inf'), n);

    const userFamilies = parseMetrics(await (await fetch(userMetrics)).text());
    assert.equal(counterValue(userFamilies, 'rpc_server_requests_code_total', { method: '/user.User/GetUser', code: '0' }), n);
    assert.equal(histogramBuckets(userFamilies, 'rpc_server_requests_duration_ms').get('+Inf'), n);

    const accept = { accept: 'application/openmetrics-text; version=1.0.0' };
    const orderExemplars = exemplarsOf(await (await fetch(orderMetrics, { headers: accept })).text(), 'http_server_requests');
    const userExemplars = exemplarsOf(await (await fetch(userMetrics, { headers: accept })).text(), 'rpc_server_requests');
    assert.ok(orderExemplars.length > 0 && userExemplars.length > 0, 'both services keep exemplars');
    for (const exemplar of [...orderExemplars, ...userExemplars]) {
      const traceId = exemplar.exemplar.trace_id;
      assert.ok(traceIds.has(traceId), `${exemplar.metric}: exemplar ${traceId} is one of the requests`);
      await eventually(`the collector to receive trace ${traceId}`, () => spans().some((s) => s.traceId === traceId));
    }
  });

  test("a request's log lines from both services carry its trace id, on stdout and over OTLP", async () => {
    const res = await fetch(`${orderUrl}/api/order/2`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const { traceId, spanId } = traceparentOf(res);

    // kind http: on a busy machine the order's call to user may also log a slowcall line (kind rpc-client).
    const orderLine = await eventually('the order access line', () => jsonLines(order).find((l) => l.trace_id === traceId && l.kind === 'http'));
    assert.equal(orderLine.span_id, spanId, 'logged inside the order server span');
    assert.deepEqual([orderLine.kind, orderLine.route, orderLine.path, orderLine.status], ['http', '/api/order/:id', '/api/order/2', 200]);
    const userLine = await eventually('the user access line', () => jsonLines(user).find((l) => l.trace_id === traceId));
    assert.deepEqual([userLine.kind, userLine.method, userLine.code], ['rpc', 'user.User/GetUser', 'OK']);
    const userServerSpan = await eventually('the user server span', () => spans().find((s) => s.traceId === traceId && s.serviceName === 'user'));
    assert.equal(userLine.span_id, userServerSpan.spanId, 'logged inside the user server span');

    const recordsOf = (service: string) =>
      logRequests
        .flatMap((r) => r.resourceLogs)
        .filter((rl) => rl.resource?.attributes.some((a) => a.key === 'service.name' && a.value?.stringValue === service))
        .flatMap((rl) => rl.scopeLogs.flatMap((s) => s.logRecords))
        .filter((record) => hex(record.traceId) === traceId);
    const orderRecord = await eventually('order OTLP log record', () => recordsOf('order').find((r) => r.body?.stringValue?.startsWith('GET ')));
    assert.equal(hex(orderRecord.spanId), spanId);
    assert.equal(orderRecord.body?.stringValue, 'GET /api/order/2 200');
    const userRecord = await eventually('user OTLP log record', () => recordsOf('user')[0]);
    assert.equal(hex(userRecord.spanId), userServerSpan.spanId);
  });

  test('both stop cleanly on SIGTERM (log export and metrics server torn down)', async () => {
    assert.equal(await order.stop(), 0);
    assert.equal(await user.stop(), 0);
  });
});
