import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SpanKind, trace } from '@opentelemetry/api';
import { LogSchema, setUpLogging } from '../../log/index.ts';
import { captureLines, type LogLine } from '../../log/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { createClient } from '../client.ts';
import { RpcStatusError } from '../errors.ts';
import type { RpcServer } from '../server.ts';
import { EchoService, startEcho } from '../testdata/echo-service.ts';

// node --test runs each file in its own process, so this file owns the process logger.
const sink = captureLines();
setUpLogging(LogSchema.parse({ SlowThreshold: 200 }), { serviceName: 'order', destination: sink.stream });

const clientLines = (): LogLine[] => sink.lines().filter((l) => l.kind === 'rpc-client');

async function settle(): Promise<LogLine[]> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return clientLines();
}

describe('client Duration middleware (go-zero DurationInterceptor)', () => {
  const tracing = installTestTracer('order');
  const hooks: Array<() => Promise<void>> = [];
  let server: RpcServer;
  before(async () => {
    server = await startEcho({ after: (fn) => hooks.push(fn) }, 'srv', { Middlewares: { Metrics: false, Log: false } });
  });
  after(async () => {
    for (const hook of hooks.reverse()) await hook();
    await tracing.shutdown();
  });

  test('a failed call and a slow one are logged with method, server, code, message and duration; a fast success is not', async () => {
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    hooks.push(async () => client.close());
    await client.Say({ text: 'warm-up' });
    sink.reset();
    await client.Say({ text: 'fast' });
    await assert.rejects(client.Say({ text: 'notfound' }), RpcStatusError);
    await assert.rejects(client.Say({ text: 'throw' }), RpcStatusError);
    await client.Say({ text: 'slow' });
    const got = await settle();
    assert.deepEqual(
      got.map((l) => [l.level, l.method, l.server, l.status, l.code, l.slow, l.msg]),
      [
        ['error', 'echo.Echo/Say', server.address, 5, 'NOT_FOUND', undefined, `call echo.Echo/Say NOT_FOUND from ${server.address}: no such echo`],
        ['error', 'echo.Echo/Say', server.address, 13, 'INTERNAL', undefined, `call echo.Echo/Say INTERNAL from ${server.address}: boom`],
        ['warn', 'echo.Echo/Say', server.address, 0, 'OK', true, `slowcall call echo.Echo/Say OK from ${server.address}`],
      ],
    );
    assert.ok((got[2]?.duration_ms as number) >= 200, 'the duration is the call\'s');
  });

  test("the line carries the caller's trace (the CLIENT span's ids)", async () => {
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    hooks.push(async () => client.close());
    await client.Say({ text: 'warm-up' });
    sink.reset();
    tracing.reset();
    await trace.getTracer('test').startActiveSpan('caller', async (span) => {
      await assert.rejects(client.Say({ text: 'notfound' }), RpcStatusError);
      span.end();
    });
    const [line] = await settle();
    const clientSpan = tracing.spans().find((s) => s.name === 'echo.Echo/Say' && s.kind === SpanKind.CLIENT);
    assert.ok(clientSpan, 'a CLIENT span');
    assert.equal(line?.trace_id, clientSpan.spanContext().traceId);
    assert.equal(line?.span_id, clientSpan.spanContext().spanId);
  });

  test('a call refused before the wire (no server) is logged too; Middlewares.Duration: false logs nothing', async () => {
    const down = createClient(EchoService, { Endpoints: ['127.0.0.1:1'], Timeout: 300, NonBlock: true });
    hooks.push(async () => down.close());
    sink.reset();
    await assert.rejects(down.Say({ text: 'x' }), RpcStatusError);
    const [line] = await settle();
    assert.equal(line?.server, '127.0.0.1:1');
    assert.match(String(line?.code), /UNAVAILABLE|DEADLINE_EXCEEDED/);

    const quiet = createClient(EchoService, { Endpoints: [server.address ?? ''], Middlewares: { Duration: false } });
    hooks.push(async () => quiet.close());
    sink.reset();
    await assert.rejects(quiet.Say({ text: 'notfound' }), RpcStatusError);
    await quiet.Say({ text: 'slow' });
    assert.deepEqual(await settle(), []);
  });
});
