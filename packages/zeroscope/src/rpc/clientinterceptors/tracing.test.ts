import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createClient } from '../client.ts';
import { RpcStatusError } from '../errors.ts';
import { EchoService, startEcho } from '../testdata/echo-service.ts';
import { tracedEchoSuite } from '../testdata/traced-echo.ts';

/** [type, id] of each `message` event. */
const messages = (span: ReadableSpan) =>
  span.events.filter((e) => e.name === 'message').map((e) => [e.attributes?.['message.type'], e.attributes?.['message.id']]);

function only(spans: ReadableSpan[], name: string, kind: SpanKind): ReadableSpan {
  const found = spans.filter((s) => s.name === name && s.kind === kind);
  assert.equal(found.length, 1, `one ${SpanKind[kind]} span ${name}, got ${found.length}`);
  return found[0];
}

describe('tracingClientInterceptor (with the server interceptor on the other side)', () => {
  const echo = tracedEchoSuite();
  const client = () => echo.client();

  test('unary: CLIENT span child of the caller, SERVER span child of it, handler span nested', async () => {
    const users = client();
    const callerId = await trace.getTracer('test').startActiveSpan('caller', async (span) => {
      await users.Say({ text: 'hi' });
      span.end();
      return span.spanContext();
    });
    const spans = echo.tracing.spans();
    const clientSpan = only(spans, 'echo.Echo/Say', SpanKind.CLIENT);
    const serverSpan = only(spans, 'echo.Echo/Say', SpanKind.SERVER);
    const work = spans.find((s) => s.name === 'echo.work');
    assert.ok(work);

    for (const s of [clientSpan, serverSpan, work]) assert.equal(s.spanContext().traceId, callerId.traceId);
    assert.equal(clientSpan.parentSpanContext?.spanId, callerId.spanId);
    assert.equal(serverSpan.parentSpanContext?.spanId, clientSpan.spanContext().spanId);
    assert.equal(work.parentSpanContext?.spanId, serverSpan.spanContext().spanId);

    assert.deepEqual(clientSpan.attributes, {
      'rpc.system': 'grpc',
      'rpc.service': 'echo.Echo',
      'rpc.method': 'Say',
      'server.address': '127.0.0.1',
      'server.port': echo.server.port,
      'rpc.grpc.status_code': 0,
    });
    assert.equal(clientSpan.status.code, SpanStatusCode.UNSET);
    assert.deepEqual(messages(clientSpan), [['SENT', 1], ['RECEIVED', 1]]);

    assert.equal(serverSpan.attributes['rpc.system'], 'grpc');
    assert.equal(serverSpan.attributes['rpc.service'], 'echo.Echo');
    assert.equal(serverSpan.attributes['rpc.method'], 'Say');
    assert.equal(serverSpan.attributes['rpc.grpc.status_code'], 0);
    assert.equal(serverSpan.attributes['client.address'], '127.0.0.1');
    assert.equal(typeof serverSpan.attributes['client.port'], 'number');
    assert.equal(serverSpan.status.code, SpanStatusCode.UNSET);
    assert.deepEqual(messages(serverSpan), [['RECEIVED', 1], ['SENT', 1]]);
  });

  test('server streaming: one event per message on both sides', async () => {
    const users = client();
    const seqs: number[] = [];
    for await (const reply of users.Repeat({ text: 'x', count: 3 })) seqs.push(reply.seq);
    assert.deepEqual(seqs, [1, 2, 3]);
    const spans = echo.tracing.spans();
    const clientSpan = only(spans, 'echo.Echo/Repeat', SpanKind.CLIENT);
    const serverSpan = only(spans, 'echo.Echo/Repeat', SpanKind.SERVER);
    assert.equal(serverSpan.parentSpanContext?.spanId, clientSpan.spanContext().spanId);
    assert.deepEqual(messages(clientSpan), [['SENT', 1], ['RECEIVED', 1], ['RECEIVED', 2], ['RECEIVED', 3]]);
    assert.deepEqual(messages(serverSpan), [['RECEIVED', 1], ['SENT', 1], ['SENT', 2], ['SENT', 3]]);
    assert.equal(clientSpan.attributes['rpc.grpc.status_code'], 0);
    assert.equal(serverSpan.attributes['rpc.grpc.status_code'], 0);
  });

  test('NOT_FOUND: Error status with the gRPC message and code 5 on both sides', async () => {
    const users = client();
    await assert.rejects(users.Say({ text: 'notfound' }), (err: unknown) => err instanceof RpcStatusError && err.grpcCode === 5);
    const spans = echo.tracing.spans();
    for (const kind of [SpanKind.CLIENT, SpanKind.SERVER]) {
      const span = only(spans, 'echo.Echo/Say', kind);
      assert.equal(span.attributes['rpc.grpc.status_code'], 5);
      assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'no such echo' });
    }
  });

  test('a call past its deadline ends its CLIENT span once, DEADLINE_EXCEEDED, with no reply event', async () => {
    const users = client();
    await assert.rejects(users.Say({ text: 'slow' }, { timeoutMs: 50 }), (err: unknown) => err instanceof RpcStatusError && err.grpcCode === 4);
    const span = only(echo.tracing.spans(), 'echo.Echo/Say', SpanKind.CLIENT);
    assert.equal(span.attributes['rpc.grpc.status_code'], 4);
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.deepEqual(messages(span), [['SENT', 1]]);
  });

  test('a dead endpoint: the call fails within its deadline and its CLIENT span ends as an error', async (t) => {
    // A port that was free a moment ago: nothing answers there.
    const probe = await startEcho(t, 'gone');
    const address = probe.address ?? '';
    await probe.stop();
    const dead = createClient(EchoService, { Endpoints: [address], Timeout: 300 });
    t.after(() => dead.close());
    await assert.rejects(dead.Say({ text: 'x' }), (err: unknown) => err instanceof RpcStatusError && (err.grpcCode === 4 || err.grpcCode === 14));
    const span = only(echo.tracing.spans(), 'echo.Echo/Say', SpanKind.CLIENT);
    assert.ok([4, 14].includes(span.attributes['rpc.grpc.status_code'] as number), String(span.attributes['rpc.grpc.status_code']));
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.attributes['server.port'], Number(address.split(':').pop()));
  });

  test('Middlewares.Trace false on both sides makes no spans', async (t) => {
    const quiet = await startEcho(t, 'quiet', { Middlewares: { Trace: false } });
    const c = createClient(EchoService, { Endpoints: [quiet.address ?? ''], Middlewares: { Trace: false } });
    t.after(() => c.close());
    await c.Say({ text: 'x' });
    assert.deepEqual(
      echo.tracing.spans().map((s) => s.name),
      ['echo.work'],
    );
  });
});
