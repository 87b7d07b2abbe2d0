import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { metricsRegistry, PrometheusSchema, renderMetrics, startMetrics, stopMetrics } from '../../metrics/index.ts';
import { counterValue, exemplarsOf, histogramBuckets, parseMetrics } from '../../metrics/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { createClient } from '../client.ts';
import { EchoService, startEcho } from '../testdata/echo-service.ts';

// node --test runs each file in its own process, so this file owns the process registry.
describe('metricsServerInterceptor', () => {
  const tracing = installTestTracer('echo');
  after(() => tracing.shutdown());

  test('counts and times every call by full method and code, with exemplars naming the server spans', async (t) => {
    await startMetrics(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0 })).ready;
    t.after(() => stopMetrics());
    const server = await startEcho(t, 'srv', { Middlewares: { Log: false } });
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''], Middlewares: { Trace: false, Metrics: false } });
    t.after(() => client.close());
    for (let i = 0; i < 4; i++) await client.Say({ text: `hi ${i}` });
    await assert.rejects(client.Say({ text: 'notfound' }));
    await assert.rejects(client.Say({ text: 'throw' }));

    const families = parseMetrics(await renderMetrics(metricsRegistry(), false));
    const method = '/echo.Echo/Say';
    assert.equal(counterValue(families, 'rpc_server_requests_code_total', { method, code: '0' }), 4);
    assert.equal(counterValue(families, 'rpc_server_requests_code_total', { method, code: '5' }), 1);
    assert.equal(counterValue(families, 'rpc_server_requests_code_total', { method, code: '13' }), 1);
    assert.equal(histogramBuckets(families, 'rpc_server_requests_duration_ms').get('+Inf'), 6);
    assert.equal(counterValue(families, 'rpc_client_requests_code_total'), 0, 'the client had metrics off');

    const traceIds = new Set(tracing.spans().filter((s) => s.kind === SpanKind.SERVER).map((s) => s.spanContext().traceId));
    const exemplars = exemplarsOf(await renderMetrics(metricsRegistry(), true), 'rpc_server_requests');
    assert.ok(exemplars.length >= 2);
    for (const exemplar of exemplars) assert.ok(traceIds.has(exemplar.exemplar.trace_id), `${exemplar.metric} names a server span's trace`);
  });
});
