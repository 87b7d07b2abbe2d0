/**
 * A dead instance must not fail the calls in flight on it: order-api finds two user-rpc instances
 * through a real etcd, calls are caught in flight (GetUser takes 400 ms), one instance is SIGKILLed.
 * With `Retry` (the default) every request still answers 200: each call that failed UNAVAILABLE
 * before any answer is sent once more to the other instance, and that shows as a second CLIENT
 * span with a `zeroscope.rpc.retry` event and in `rpc_client_requests_retry_total`. With
 * `Retry: false` the same kill turns the calls in flight into 500s.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SpanKind } from '../../packages/cli/src/backend/query/storage.ts';
import { type EtcdServer, startEtcd } from './etcd-harness.ts';
import { type Collector, freePort, ORDER_ENTRY, REPO, removeTempDirs, type ServiceProcess, startCollector, startService, writeConfig } from './harness.ts';
import { eventually } from '../lib/eventually.ts';

// Each test registers under its own key: a SIGKILLed instance stays registered until its lease
// expires, and one left by the first test would otherwise be found, failed and retried by the
// second test's warm-up (retries that belong to no request of its burst).
const KEY_PLAIN = 'user.rpc.plain';
const KEY_RETRY = 'user.rpc.retry';
const SLOW_MS = 400;
const SLOW_USER_ENTRY = join(REPO, 'test/e2e/slow-user-rpc.ts');

interface Instance {
  proc: ServiceProcess;
  port: number;
  address: string;
  entered(): number;
}

interface Order {
  proc: ServiceProcess;
  url: string;
  metricsUrl: string;
}


describe('etcd discovery, two user-rpc instances, one SIGKILLed with calls in flight', () => {
  let etcd: EtcdServer;
  let collector: Collector;
  const processes: ServiceProcess[] = [];

  async function startUser(name: string, key: string): Promise<Instance> {
    const port = await freePort();
    const file = writeConfig(
      `${name}.yaml`,
      `Name: user.rpc\nListenOn: 127.0.0.1:${port}\nEtcd:\n  Hosts:\n    - ${etcd.host}\n  Key: ${key}\nTelemetry:\n  Name: user-${name}\n  Endpoint: ${collector.endpoint}\n  Batcher: otlphttp\n`,
    );
    const proc = await startService(SLOW_USER_ENTRY, file, { SLOW_USER_MS: String(SLOW_MS) });
    processes.push(proc);
    return { proc, port, address: `127.0.0.1:${port}`, entered: () => proc.output().split('GetUser entered').length - 1 };
  }

  async function startOrder(name: string, retry: boolean, key: string): Promise<Order> {
    const port = await freePort();
    const metricsPort = await freePort();
    const file = writeConfig(
      `${name}.yaml`,
      `Name: ${name}\nHost: 127.0.0.1\nPort: ${port}\nPrometheus:\n  Host: 127.0.0.1\n  Port: ${metricsPort}\nTelemetry:\n  Name: ${name}\n  Endpoint: ${collector.endpoint}\n  Batcher: otlphttp\nUserRpc:\n  Timeout: 5000\n  Retry: ${retry}\n  Etcd:\n    Hosts:\n      - ${etcd.host}\n    Key: ${key}\n`,
    );
    const proc = await startService(ORDER_ENTRY, file);
    processes.push(proc);
    return { proc, url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
  }

  /** `n` concurrent GET /api/order/1, each resolving with its status and trace id. */
  function burst(order: Order, n: number): Promise<{ status: number; traceId: string | undefined }[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const res = await fetch(`${order.url}/api/order/1`);
        await res.arrayBuffer();
        return { status: res.status, traceId: res.headers.get('traceparent')?.split('-')[1] };
      }),
    );
  }

  /** Sends a burst through `order`, SIGKILLs `victim` once at least two of its calls are in flight. */
  async function killDuringBurst(order: Order, victim: Instance) {
    const before = victim.entered();
    const results = burst(order, 10);
    await eventually(`calls in flight on ${victim.address}`, () => (victim.entered() - before >= 2 ? true : undefined), { timeoutMs: 5000 });
    const inFlight = victim.entered() - before;
    await victim.proc.stop('SIGKILL');
    return { results: await results, inFlight };
  }

  /** Until `order` has sent calls to every one of `instances` (its etcd watch and channels are up). */
  async function warm(order: Order, instances: Instance[]): Promise<void> {
    const counts = instances.map((i) => i.entered());
    await eventually('calls to reach every instance', async () => {
      await burst(order, 6);
      return instances.every((instance, i) => instance.entered() > counts[i]!) ? true : undefined;
    }, { timeoutMs: 20_000 });
  }

  before(async () => {
    etcd = await startEtcd();
    collector = await startCollector();
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await collector?.close();
    await etcd?.close();
    removeTempDirs();
  });

  test('Retry: false — the calls in flight on the killed instance fail (the defect, behind its switch)', async () => {
    const [a, b] = await Promise.all([startUser('a', KEY_PLAIN), startUser('b', KEY_PLAIN)]);
    const plain = await startOrder('plain', false, KEY_PLAIN);
    await warm(plain, [a, b]);
    const { results, inFlight } = await killDuringBurst(plain, b);
    const failed = results.filter((r) => r.status !== 200);
    assert.ok(failed.length > 0, `${inFlight} calls were in flight on the killed instance, yet none failed: ${JSON.stringify(results)}`);
    assert.ok(failed.every((r) => r.status === 500), JSON.stringify(failed));
    await a.proc.stop('SIGKILL');
  });

  test('Retry (default) — every request answers 200; each retry is a CLIENT span with an event, and counted', async () => {
    const [c, d] = await Promise.all([startUser('c', KEY_RETRY), startUser('d', KEY_RETRY)]);
    const order = await startOrder('order', true, KEY_RETRY);
    await warm(order, [c, d]);
    const { results, inFlight } = await killDuringBurst(order, d);
    assert.deepEqual(results.map((r) => r.status), results.map(() => 200), `${inFlight} calls were in flight on the killed instance`);

    // Every request has answered, so every retry has happened and been counted. Calls still on
    // their way to d when it died are retried too, so there may be more retries than calls in flight.
    const metrics = await (await fetch(order.metricsUrl)).text();
    const counted = Number(/^rpc_client_requests_retry_total\{method="\/user\.User\/GetUser",code="14"\} (\d+)/m.exec(metrics)?.[1]);
    assert.ok(counted >= inFlight, `${counted} retries counted for ${inFlight} calls in flight:\n${metrics.split('\n').filter((l) => l.includes('retry')).join('\n')}`);

    // Each call caught on d: a failed CLIENT span to d, and a retry CLIENT span to c in the same trace;
    // one retry span for each retry counted.
    const retries = await eventually(`${counted} retry CLIENT spans`, () => {
      const spans = collector.spans().filter((s) => s.serviceName === 'order' && s.kind === SpanKind.CLIENT);
      const retried = spans.filter((s) => s.attributes['zeroscope.rpc.previous_attempts'] === 1);
      return retried.length >= counted ? { spans, retried } : undefined;
    }, { timeoutMs: 15_000 });
    assert.equal(retries.retried.length, counted);
    const traceIds = new Set(results.map((r) => r.traceId));
    assert.ok(retries.retried.every((s) => traceIds.has(s.traceId)), 'every retry belongs to a request of the burst');
    for (const retry of retries.retried) {
      assert.equal(retry.attributes['server.port'], c.port, 'the retry went to the other instance');
      assert.equal(retry.attributes['rpc.grpc.status_code'], 0);
      const event = retry.events.find((e) => e.name === 'zeroscope.rpc.retry');
      assert.ok(event, 'the retry span carries the retry event');
      assert.equal(event.attributes['zeroscope.rpc.retry.previous_server'], d.address);
      assert.equal(event.attributes['rpc.grpc.status_code'], 14);
      const failedAttempt = retries.spans.find((s) => s.traceId === retry.traceId && s.spanId !== retry.spanId);
      assert.ok(failedAttempt, 'the failed attempt has its own CLIENT span');
      assert.equal(failedAttempt.parentSpanId, retry.parentSpanId, 'both attempts are children of the order SERVER span');
      assert.equal(failedAttempt.attributes['server.port'], d.port);
      assert.equal(failedAttempt.attributes['rpc.grpc.status_code'], 14);
    }

  });
});
