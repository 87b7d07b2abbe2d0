import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Breakers } from '../breaker/breakers.ts';
import { buildClientChain } from '../client-chain.ts';
import { timeoutClientInterceptor } from '../clientinterceptors/timeout.ts';
import { EchoService } from '../testdata/echo-service.ts';
import { tracedEchoSuite } from '../testdata/traced-echo.ts';
import { beginCall, CallWatches, type CallStatus, type ClientCall, type ClientMiddleware } from './client-call.ts';

const call = (): ClientCall => ({ path: '/echo.Echo/Say', deadline: undefined, context: ROOT_CONTEXT });

describe('beginCall', () => {
  test('runs the middlewares in order; the watches see messages, then the end innermost first, once', () => {
    const seen: string[] = [];
    const watcher = (name: string): ClientMiddleware => ({
      begin: () => ({
        sending: () => void seen.push(`${name}.sending`),
        sent: () => void seen.push(`${name}.sent`),
        received: () => void seen.push(`${name}.received`),
        ended: (s: CallStatus) => void seen.push(`${name}.ended:${s.code}`),
      }),
    });
    const watches = beginCall([watcher('a'), { begin: () => undefined }, watcher('b')], call());
    assert.ok(watches instanceof CallWatches);
    watches.sending(new grpc.Metadata());
    watches.sent();
    watches.received();
    watches.end({ code: grpc.status.OK, details: 'OK' });
    watches.end({ code: grpc.status.CANCELLED, details: 'late' });
    assert.deepEqual(seen, ['a.sending', 'b.sending', 'a.sent', 'b.sent', 'a.received', 'b.received', 'b.ended:0', 'a.ended:0']);
  });

  test('a refusal ends the middlewares already passed with its status and skips the rest', () => {
    const ended: CallStatus[] = [];
    let laterRan = false;
    const refused = { code: grpc.status.UNAVAILABLE, details: 'no' };
    const result = beginCall(
      [{ begin: () => ({ ended: (s) => void ended.push(s) }) }, { begin: () => ({ refused }) }, { begin: () => ((laterRan = true), undefined) }],
      call(),
    );
    assert.deepEqual(result, { refused });
    assert.deepEqual(ended, [refused]);
    assert.equal(laterRan, false);
  });

  test('a middleware may set the deadline and the context later ones see', () => {
    const c = call();
    const marker = ROOT_CONTEXT.setValue(Symbol('m'), 1);
    let seenContext: unknown;
    beginCall([{ begin: (x) => ((x.deadline = 42), (x.context = marker), undefined) }, { begin: (x) => ((seenContext = x.context), undefined) }], c);
    assert.equal(c.deadline, 42);
    assert.equal(seenContext, marker);
  });
});

describe('buildClientChain: the middlewares as one grpc-js interceptor on a plain grpc.Client', () => {
  const echo = tracedEchoSuite();

  function rawClient(breakers?: Breakers): grpc.Client {
    const interceptors = buildClientChain(
      { Middlewares: { Trace: true, Duration: true, Metrics: true, Breaker: true, Timeout: true }, Timeout: 2000 },
      { host: '127.0.0.1', port: echo.server.port },
      breakers && { breakers, target: 'echo' },
    );
    assert.equal(interceptors.length, 1, 'one interceptor runs every middleware');
    return new grpc.Client(echo.server.address ?? '', grpc.credentials.createInsecure(), { interceptors });
  }

  test('unary and streaming calls get a CLIENT span whose context reaches the server', async (t) => {
    const client = rawClient(new Breakers());
    t.after(() => client.close());
    const def = EchoService.definition;
    await new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(def.Say.path, def.Say.requestSerialize, def.Say.responseDeserialize, { text: 'hi' }, (err) => (err ? reject(err) : resolve())),
    );
    const stream = client.makeServerStreamRequest(def.Repeat.path, def.Repeat.requestSerialize, def.Repeat.responseDeserialize, { text: 'r', count: 3 });
    let replies = 0;
    for await (const _ of stream) replies++;
    assert.equal(replies, 3);

    const spans = echo.tracing.spans();
    for (const [method, messages] of [['echo.Echo/Say', 2], ['echo.Echo/Repeat', 4]] as const) {
      const clientSpan = spans.find((s) => s.name === method && s.kind === SpanKind.CLIENT);
      const serverSpan = spans.find((s) => s.name === method && s.kind === SpanKind.SERVER);
      assert.ok(clientSpan && serverSpan, `${method}: both spans`);
      assert.equal(serverSpan.parentSpanContext?.spanId, clientSpan.spanContext().spanId);
      assert.equal(clientSpan.attributes['rpc.grpc.status_code'], 0);
      assert.equal(clientSpan.attributes['server.port'], echo.server.port);
      assert.equal(clientSpan.events.filter((e) => e.name === 'message').length, messages);
    }
  });

  test('an interceptor with nothing to follow (Timeout alone) still sets the deadline and makes no span', async (t) => {
    const client = new grpc.Client(echo.server.address ?? '', grpc.credentials.createInsecure(), { interceptors: [timeoutClientInterceptor(50)] });
    t.after(() => client.close());
    const def = EchoService.definition;
    const err = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.makeUnaryRequest(def.Say.path, def.Say.requestSerialize, def.Say.responseDeserialize, { text: 'slow' }, (e) => resolve(e)),
    );
    assert.equal(err?.code, grpc.status.DEADLINE_EXCEEDED);
    assert.equal(echo.tracing.spans().filter((s) => s.kind === SpanKind.CLIENT).length, 0);
  });

  test('a refused call ends with UNAVAILABLE and an Error span, without reaching the server', async (t) => {
    const breakers = new Breakers();
    // A breaker that has seen only failures refuses (almost) every call.
    const breaker = breakers.get('echo/echo.Echo/Say');
    for (let i = 0; i < 200; i++) breaker.allow()?.reject();
    const client = rawClient(breakers);
    t.after(() => client.close());
    const def = EchoService.definition;
    let refused: grpc.ServiceError | undefined;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      refused = await new Promise<grpc.ServiceError | undefined>((resolve) =>
        client.makeUnaryRequest(def.Say.path, def.Say.requestSerialize, def.Say.responseDeserialize, { text: 'x' }, (err) =>
          resolve(err !== null && /circuit breaker is open/.test(err.details) ? err : undefined),
        ),
      );
    }
    assert.ok(refused, 'the breaker refused a call');
    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    const spans = echo.tracing.spans();
    const clientSpans = spans.filter((s) => s.kind === SpanKind.CLIENT);
    const refusedSpans = clientSpans.filter((s) => s.events.some((e) => e.name === 'breaker.rejected'));
    assert.ok(refusedSpans.length >= 1);
    for (const span of refusedSpans) {
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.match(span.status.message ?? '', /circuit breaker is open: echo\/echo.Echo\/Say/);
    }
    // Only the calls let through reached the server. Counted by trace: the server span of the
    // previous test's cancelled call can end (on the server's own cancel) after this test began.
    const ours = new Set(clientSpans.map((s) => s.spanContext().traceId));
    const serverSpans = spans.filter((s) => s.kind === SpanKind.SERVER && ours.has(s.spanContext().traceId));
    assert.equal(serverSpans.length, clientSpans.length - refusedSpans.length);
  });
});
