import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Metadata, status } from '../index.ts';
import { tracedEchoSuite } from '../testdata/traced-echo.ts';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

function serverSpan(spans: ReadableSpan[]): ReadableSpan {
  const found = spans.filter((s) => s.kind === SpanKind.SERVER);
  assert.equal(found.length, 1);
  return found[0];
}

describe('tracingServerInterceptor', () => {
  const echo = tracedEchoSuite();
  /** A client that makes no spans itself, so only the metadata given reaches the server. */
  const rawClient = () => echo.client({ Middlewares: { Trace: false } });

  test('takes its parent from a traceparent in the metadata', async () => {
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${PARENT_TRACE}-${PARENT_SPAN}-01`);
    await rawClient().Say({ text: 'x' }, { metadata });
    const span = serverSpan(echo.tracing.spans());
    assert.equal(span.name, 'echo.Echo/Say');
    assert.equal(span.spanContext().traceId, PARENT_TRACE);
    assert.equal(span.parentSpanContext?.spanId, PARENT_SPAN);
    assert.equal(span.parentSpanContext?.isRemote, true);
  });

  for (const bad of ['garbage', `00-${'0'.repeat(32)}-${PARENT_SPAN}-01`, `00-${PARENT_TRACE}-zz-01`, '']) {
    test(`a malformed traceparent (${JSON.stringify(bad)}) never fails the call: fresh trace`, async () => {
      const metadata = new Metadata();
      metadata.set('traceparent', bad);
      const reply = await rawClient().Say({ text: 'ok' }, { metadata });
      assert.equal(reply.text, 'ok');
      const span = serverSpan(echo.tracing.spans());
      assert.equal(span.parentSpanContext, undefined);
      assert.notEqual(span.spanContext().traceId, PARENT_TRACE);
      assert.equal(span.attributes['rpc.grpc.status_code'], status.OK);
    });
  }

  test('a throwing handler: INTERNAL, Error status, the exception recorded', async () => {
    await assert.rejects(rawClient().Say({ text: 'throw' }));
    const span = serverSpan(echo.tracing.spans());
    assert.equal(span.attributes['rpc.grpc.status_code'], status.INTERNAL);
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'boom' });
    const exception = span.events.find((e) => e.name === 'exception');
    assert.equal(exception?.attributes?.['exception.message'], 'boom');
  });

  test('a failing stream: messages sent before the error are events, then Error', async () => {
    await assert.rejects(async () => {
      for await (const _ of rawClient().Repeat({ text: 'throw', count: 3 }));
    });
    const span = serverSpan(echo.tracing.spans());
    assert.equal(span.name, 'echo.Echo/Repeat');
    assert.equal(span.attributes['rpc.grpc.status_code'], status.INTERNAL);
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    const sent = span.events.filter((e) => e.attributes?.['message.type'] === 'SENT');
    assert.equal(sent.length, 1);
  });

  test('a call cut by its client deadline still ends its span, with an error status', async () => {
    await assert.rejects(rawClient().Say({ text: 'slow' }, { timeoutMs: 150 }));
    // The server learns of it on its own timer or from the client's cancel, whichever comes
    // first (a genuine race), so wait for the span rather than a fixed time and accept either.
    for (let i = 0; i < 200 && echo.tracing.spans().every((s) => s.kind !== SpanKind.SERVER); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const span = serverSpan(echo.tracing.spans());
    assert.ok(
      [status.DEADLINE_EXCEEDED, status.CANCELLED].includes(span.attributes['rpc.grpc.status_code'] as number),
      String(span.attributes['rpc.grpc.status_code']),
    );
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  });
});
