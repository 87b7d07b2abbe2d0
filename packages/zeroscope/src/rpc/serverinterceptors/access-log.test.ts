import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { LogSchema, setUpLogging } from '../../log/index.ts';
import { captureLines, type LogLine } from '../../log/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { createClient } from '../client.ts';
import { RpcStatusError } from '../errors.ts';
import type { RpcServer } from '../server.ts';
import { EchoService, startEcho } from '../testdata/echo-service.ts';

// node --test runs each file in its own process, so this file owns the process logger.
const sink = captureLines();
setUpLogging(LogSchema.parse({ SlowThreshold: 200 }), { serviceName: 'echo', destination: sink.stream });

/** The access lines (Recover writes its own error lines to the same logger). */
const accessLines = (): LogLine[] => sink.lines().filter((l) => l.kind === 'rpc');

async function lines(count: number): Promise<LogLine[]> {
  for (let i = 0; i < 300 && accessLines().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return accessLines();
}

describe('accessLogServerInterceptor', () => {
  const tracing = installTestTracer('echo');
  const hooks: Array<() => Promise<void>> = [];
  let server: RpcServer;
  before(async () => {
    server = await startEcho({ after: (fn) => hooks.push(fn) }, 'srv', { Middlewares: { Metrics: false } });
  });
  after(async () => {
    for (const hook of hooks.reverse()) await hook();
    await tracing.shutdown();
  });

  test('one line per call with method, code and duration, in the server span; faults at error, slow at warn', async () => {
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''], Middlewares: { Trace: false } });
    hooks.push(async () => client.close());
    await client.Say({ text: 'warm-up' }); // connecting is not part of what the lines measure
    sink.reset();
    tracing.reset();
    await client.Say({ text: 'hi' });
    await assert.rejects(client.Say({ text: 'notfound' }), RpcStatusError);
    await assert.rejects(client.Say({ text: 'throw' }), RpcStatusError);
    await client.Say({ text: 'slow' });
    const got = await lines(4);
    assert.deepEqual(
      got.map((l) => [l.level, l.kind, l.method, l.status, l.code, l.msg]),
      [
        ['info', 'rpc', 'echo.Echo/Say', 0, 'OK', 'echo.Echo/Say OK'],
        ['error', 'rpc', 'echo.Echo/Say', 5, 'NOT_FOUND', 'echo.Echo/Say NOT_FOUND'],
        ['error', 'rpc', 'echo.Echo/Say', 13, 'INTERNAL', 'echo.Echo/Say INTERNAL'],
        ['warn', 'rpc', 'echo.Echo/Say', 0, 'OK', 'slowcall echo.Echo/Say OK'],
      ],
    );
    const spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
    assert.deepEqual(
      got.map((l) => [l.trace_id, l.span_id]),
      spans.map((s) => [s.spanContext().traceId, s.spanContext().spanId]),
      'each line carries the trace and span of its call',
    );
    const recovered = sink.lines().find((l) => l.msg === 'rpc echo.Echo/Say: handler failed');
    assert.equal(recovered?.trace_id, got[2].trace_id, "Recover's line carries the failed call's trace");
    assert.ok((got[3].duration_ms as number) >= 200);
  });

  test('a call whose deadline grpc-js enforces is logged as DEADLINE_EXCEEDED at error', async () => {
    const client = createClient(EchoService, { Endpoints: [server.address ?? ''] });
    hooks.push(async () => client.close());
    await client.Say({ text: 'warm-up' }); // so the call reaches the server well within its deadline
    sink.reset();
    await assert.rejects(client.Say({ text: 'slow' }, { timeoutMs: 150 }), (err: RpcStatusError) => err.grpcCode === 4);
    const [line] = await lines(1);
    assert.equal(line.level, 'error');
    assert.equal(line.code, 'DEADLINE_EXCEEDED');
    assert.equal(typeof line.trace_id, 'string');
  });
});
