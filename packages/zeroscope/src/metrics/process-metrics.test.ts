import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PrometheusSchema } from './config.ts';
import { metricsAddress, metricsEnabled, metricsRegistry, startMetrics, stopMetrics } from './process-metrics.ts';

// node --test runs each file in its own process, so this file owns the process registry.
describe('startMetrics', () => {
  test('starts once per process, serves the process registry with Node runtime metrics, stops', async () => {
    assert.equal(metricsEnabled(), false);
    const conf = PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0 });
    const server = startMetrics(conf);
    assert.equal(startMetrics(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 1 })), server, 'the second start is a no-op');
    assert.equal(metricsEnabled(), true);
    const { port } = await server.ready;
    assert.equal(metricsAddress()?.port, port);
    const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(body, /^process_cpu_user_seconds_total \d/m);
    assert.match(body, /^nodejs_eventloop_lag_seconds /m);
    assert.ok(metricsRegistry().getSingleMetric('process_cpu_user_seconds_total'));
    await stopMetrics();
    assert.equal(metricsEnabled(), false);
    assert.equal(metricsAddress(), undefined);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`));
  });

  test('a listen failure is reported, metrics stay off, and a later start may retry', async () => {
    const taken = startMetrics(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0 }));
    const { port } = await taken.ready;
    await stopMetrics();
    const blocker = (await import('node:net')).createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const errors: unknown[] = [];
      const failing = startMetrics(PrometheusSchema.parse({ Host: '127.0.0.1', Port: port }), (err) => errors.push(err));
      await assert.rejects(failing.ready);
      assert.equal(errors.length, 1);
      assert.equal(metricsEnabled(), false);
      const retry = startMetrics(PrometheusSchema.parse({ Host: '127.0.0.1', Port: 0 }));
      await retry.ready;
      assert.equal(metricsEnabled(), true);
      await stopMetrics();
    } finally {
      blocker.close();
    }
  });
});
