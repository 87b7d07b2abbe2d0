import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PrometheusSchema } from './config.ts';
import { instruments, recordRequest } from './instruments.ts';
import { createMetricsRegistry } from './process-metrics.ts';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE } from './render.ts';
import { startMetricsServer } from './server.ts';
import { counterValue, parseMetrics } from './testing/index.ts';

describe('startMetricsServer', () => {
  test('serves Path as text, as OpenMetrics on request, and 404 elsewhere', async (t) => {
    const registry = createMetricsRegistry();
    recordRequest(instruments(registry).rpcClient, { method: '/user.User/GetUser', code: '0' }, 4, undefined);
    const server = startMetricsServer(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0, Path: '/prom' }), registry);
    t.after(() => server.close());
    const { port } = await server.ready;
    const base = `http://127.0.0.1:${port}`;

    const text = await fetch(`${base}/prom?x=1`);
    assert.equal(text.status, 200);
    assert.equal(text.headers.get('content-type'), PROMETHEUS_CONTENT_TYPE);
    assert.equal(counterValue(parseMetrics(await text.text()), 'rpc_client_requests_code_total'), 1);

    const open = await fetch(`${base}/prom`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    assert.equal(open.headers.get('content-type'), OPENMETRICS_CONTENT_TYPE);
    assert.match(await open.text(), /rpc_client_requests_code_total\{method="\/user.User\/GetUser",code="0"\} 1\n[\s\S]*# EOF\n$/);

    assert.equal((await fetch(`${base}/metrics`)).status, 404);
    assert.equal((await fetch(`${base}/prom`, { method: 'POST' })).status, 404);
    const head = await fetch(`${base}/prom`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('a taken port rejects ready with METRICS_ERR_LISTEN', async (t) => {
    const registry = createMetricsRegistry();
    const first = startMetricsServer(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0 }), registry);
    t.after(() => first.close());
    const { port } = await first.ready;
    const second = startMetricsServer(PrometheusSchema.parse({ Host: '127.0.0.1', Port: port }), registry);
    await assert.rejects(second.ready, { code: 'METRICS_ERR_LISTEN' });
    await second.close();
  });
});
