import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { status } from '@grpc/grpc-js';
import { eventually } from '../../../../../test/lib/eventually.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { createClient } from '../client.ts';
import { RpcStatusError } from '../errors.ts';
import { RpcServer } from '../server.ts';
import { EchoService, echoImplementation } from '../testdata/echo-service.ts';
import { ATTR_BREAKER_NAME, EVENT_BREAKER_REJECTED } from './breaker.ts';

const OPEN = /circuit breaker is open/;

describe('breakerClientInterceptor', () => {
  test('a failing service: the breaker opens (calls refused locally, spans say so), then closes on recovery', async (t) => {
    const tracing = installTestTracer();
    t.after(() => tracing.shutdown());
    let failing = true;
    let served = 0;
    const echo = echoImplementation('flaky');
    const server = new RpcServer({ Name: 'flaky', ListenOn: '127.0.0.1:0' }, { shutdownTimeoutMs: 200 });
    server.addService(EchoService, {
      ...echo,
      async Say(request, call) {
        served++;
        if (failing) throw new RpcStatusError(status.UNAVAILABLE, 'down for maintenance');
        return echo.Say(request, call);
      },
    });
    await server.start();
    t.after(() => server.stop());
    // A 2 s window (go-zero: 10 s) keeps the recovery phase short.
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] }, { breaker: { windowMs: 2000, buckets: 20 } });
    t.after(() => client.close());
    await client.ready();

    const outcomes = { remote: 0, local: 0 };
    for (let i = 0; i < 100; i++) {
      const err = await client.Say({ text: 'x' }).then(
        () => assert.fail('the service fails every call'),
        (e: unknown) => e as RpcStatusError,
      );
      assert.equal(err.grpcCode, status.UNAVAILABLE);
      if (OPEN.test(err.details)) outcomes.local++;
      else outcomes.remote++;
    }
    assert.equal(outcomes.remote, served);
    assert.ok(outcomes.local >= 70, `most calls refused locally: ${JSON.stringify(outcomes)}`);

    const clientSpans = tracing.spans().filter((s) => s.kind === SpanKind.CLIENT);
    const refused = clientSpans.filter((s) => s.events.some((e) => e.name === EVENT_BREAKER_REJECTED));
    assert.equal(refused.length, outcomes.local);
    for (const span of refused) {
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.match(span.status.message ?? '', OPEN);
      assert.equal(span.attributes['rpc.grpc.status_code'], status.UNAVAILABLE);
      assert.equal(span.attributes[ATTR_BREAKER_NAME], `${server.address}/echo.Echo/Say`);
    }

    // Recovery: the service answers again; calls get through and the breaker closes.
    failing = false;
    let consecutive = 0;
    await eventually(
      () => `the breaker to close within 15 s of recovery (30 calls in a row get through; ${consecutive} did)`,
      async () => {
        const ok = await client.Say({ text: 'x' }).then(
          () => true,
          () => false,
        );
        consecutive = ok ? consecutive + 1 : 0;
        if (!ok) await sleep(20);
        return consecutive >= 30;
      },
      { timeoutMs: 15_000, pollMs: 0 },
    );
  });

  test('NOT_FOUND does not open it; Middlewares.Breaker false turns it off', async (t) => {
    const server = new RpcServer({ Name: 'echo', ListenOn: '127.0.0.1:0' }, { shutdownTimeoutMs: 200 });
    const echo = echoImplementation('echo');
    server.addService(EchoService, {
      ...echo,
      async Say(request, call) {
        if (request.text === 'down') throw new RpcStatusError(status.UNAVAILABLE, 'down');
        return echo.Say(request, call);
      },
    });
    await server.start();
    t.after(() => server.stop());
    const guarded = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    t.after(() => guarded.close());
    for (let i = 0; i < 50; i++) {
      await assert.rejects(guarded.Say({ text: 'notfound' }), (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.NOT_FOUND);
    }
    const open = createClient(EchoService, { Endpoints: [server.address ?? ''], Middlewares: { Breaker: false } });
    t.after(() => open.close());
    for (let i = 0; i < 50; i++) {
      await assert.rejects(open.Say({ text: 'down' }), (err: unknown) => err instanceof RpcStatusError && err.details === 'down');
    }
  });
});
