import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { metricsRegistry, PrometheusSchema, renderMetrics, startMetrics, stopMetrics } from '../../metrics/index.ts';
import { counterValue, exemplarsOf, histogramBuckets, parseMetrics } from '../../metrics/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { createClient } from '../client.ts';
import { EchoService, startEcho } from '../testdata/echo-service.ts';

// node --test runs each file in its own process, so this file owns the process registry.
describe('metricsClientInterceptor', () => {
  const tracing = installTestTracer('caller');
  after(() => tracing.shutdown());

  test("counts and times every call by full method and code, with exemplars naming the caller's trace", async (t) => {
    await startMetrics(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0 })).ready;
    t.after(() => stopMetrics());
    const server = await startEcho(t, 'srv', { Middlewares: { Log: false, Metrics: false } });
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => client.close());

    const caller = trace.getTracer('t').startSpan('caller');
    await context.with(trace.setSpan(context.active(), caller), async () => {
      await client.Say({ text: 'a' });
      await client.Say({ text: 'b' });
      await assert.rejects(client.Say({ text: 'notfound' }));
    });
    caller.end();

    const families = parseMetrics(await renderMetrics(metricsRegistry(), false));
    const method = '/echo.Echo/Say';
    assert.equal(counterValue(families, 'rpc_client_requests_code_total', { method, code: '0' }), 2);
    assert.equal(counterValue(families, 'rpc_client_requests_code_total', { method, code: '5' }), 1);
    assert.equal(histogramBuckets(families, 'rpc_client_requests_duration_ms').get('+Inf'), 3);
    assert.equal(counterValue(families, 'rpc_server_requests_code_total'), 0, 'the server had metrics off');

    const exemplars = exemplarsOf(await renderMetrics(metricsRegistry(), true), 'rpc_client_requests');
    assert.ok(exemplars.length >= 2);
    for (const exemplar of exemplars) assert.equal(exemplar.exemplar.trace_id, caller.spanContext().traceId);
  });
});
