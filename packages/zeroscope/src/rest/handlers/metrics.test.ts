import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createMetricsRegistry, metricsEnabled, metricsRegistry, renderMetrics } from '../../metrics/index.ts';
import { counterValue, exemplarsOf, histogramBuckets, parseMetrics } from '../../metrics/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { HttpError } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';
import { metricsHandler } from './metrics.ts';

const tracing = installTestTracer('order-api');
after(() => tracing.shutdown());

describe('metricsHandler', () => {
  test('counts and times every request by route template, method and code, with exemplars of their traces', async (t) => {
    const registry = createMetricsRegistry();
    const { url } = await startTestServer(t, { Middlewares: { Metrics: false } }, (s) => {
      s.use(metricsHandler({ registry }));
      s.addRoute({ method: 'GET', path: '/api/order/:id', handler: ({ params }) => ({ id: params.id }) });
      s.addRoute({
        method: 'POST',
        path: '/api/order',
        handler: () => {
          throw new HttpError(409, 'exists');
        },
      });
    });
    const traceIds = new Set<string>();
    const n = 5;
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${url}/api/order/${i}`);
      await res.arrayBuffer();
      traceIds.add(res.headers.get('traceparent')?.split('-')[1] ?? '');
    }
    await (await fetch(`${url}/api/order`, { method: 'POST' })).arrayBuffer();
    await (await fetch(`${url}/api/nothing/here`)).arrayBuffer();

    const families = parseMetrics(await renderMetrics(registry, false));
    const ok = { path: '/api/order/:id', method: 'GET', code: '200' };
    assert.equal(counterValue(families, 'http_server_requests_code_total', ok), n, 'ids never become label values');
    assert.equal(counterValue(families, 'http_server_requests_code_total', { path: '/api/order', method: 'POST', code: '409' }), 1);
    assert.equal(counterValue(families, 'http_server_requests_code_total', { path: 'unmatched', code: '404' }), 1);
    assert.equal(counterValue(families, 'http_server_requests_code_total'), n + 2);

    const exemplars = exemplarsOf(await renderMetrics(registry, true), 'http_server_requests_code_total');
    const okExemplar = exemplars.find((e) => e.labels.code === '200');
    assert.ok(okExemplar && traceIds.has(okExemplar.exemplar.trace_id), 'the exemplar names the trace of one of the requests');
  });

  test('the histogram has one observation per request: the +Inf bucket equals the count', async (t) => {
    const registry = createMetricsRegistry();
    const { url } = await startTestServer(t, { Middlewares: { Metrics: false } }, (s) => {
      s.use(metricsHandler({ registry }));
      s.addRoute({ method: 'GET', path: '/ping', handler: () => ({}) });
    });
    for (let i = 0; i < 3; i++) await (await fetch(`${url}/ping`)).arrayBuffer();
    const buckets = histogramBuckets(parseMetrics(await renderMetrics(registry, false)), 'http_server_requests_duration_ms');
    assert.equal(buckets.get('+Inf'), 3);
    const counts = [...buckets.values()];
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'cumulative buckets never decrease');
  });

  test('without a Prometheus block (metrics off) the built-in handler records nothing', async (t) => {
    assert.equal(metricsEnabled(), false);
    const { url } = await startTestServer(t, {}, (s) => s.addRoute({ method: 'GET', path: '/x', handler: () => ({}) }));
    assert.equal((await fetch(`${url}/x`)).status, 200);
    assert.doesNotMatch(await renderMetrics(metricsRegistry(), false), /http_server_requests/);
  });
});
