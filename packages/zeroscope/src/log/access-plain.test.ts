import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { installTestTracer } from '../trace/testing/index.ts';
import { logAccess } from './access-log.ts';
import { LogSchema } from './config.ts';
import { setUpLogging } from './logger.ts';
import { captureLines } from './testing/index.ts';

// node --test runs each file in its own process, so this file owns the process logger.
describe('logAccess with Encoding plain', () => {
  const tracing = installTestTracer();
  after(() => tracing.shutdown());
  const sink = captureLines();
  setUpLogging(LogSchema.parse({ Encoding: 'plain', SlowThreshold: 50 }), { serviceName: 'order', destination: sink.stream });

  test('writes plain lines, the trace fields first when inside a span', () => {
    const span = trace.getTracer('t').startSpan('GET /r/:n');
    context.with(trace.setSpan(context.active(), span), () =>
      logAccess({ kind: 'http', method: 'GET', route: '/r/:n', path: '/r/1 x', status: 200, durationMs: 1.5, outcome: 'success' }),
    );
    span.end();
    logAccess({ kind: 'rpc', method: 'user.User/GetUser', status: 5, code: 'NOT_FOUND', durationMs: 60, outcome: 'client-error' });
    const [first, second] = sink.raw().map((line) => line.split('\t').slice(1).join('\t'));
    const { traceId, spanId } = span.spanContext();
    assert.equal(first, `info\tGET /r/1 x 200\ttrace_id=${traceId}\tspan_id=${spanId}\tkind=http\tmethod=GET\troute=/r/:n\tpath="/r/1 x"\tstatus=200\tduration_ms=1.5\n`);
    assert.equal(second, 'error\tslowcall user.User/GetUser NOT_FOUND\tkind=rpc\tmethod=user.User/GetUser\tstatus=5\tcode=NOT_FOUND\tduration_ms=60\tslow=true\n');
  });
});
