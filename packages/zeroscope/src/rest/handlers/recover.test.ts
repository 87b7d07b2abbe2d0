import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { LogSchema, setUpLogging } from '../../log/index.ts';
import { captureLines } from '../../log/testing/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { recoverHandler } from './recover.ts';

// node --test runs each file in its own process, so this file owns the process logger.
const sink = captureLines();
setUpLogging(LogSchema.parse({}), { serviceName: 'recover-test', destination: sink.stream });

const route = { method: 'GET', path: '/r', timeout: undefined };
function fakeContext(): RequestContext {
  const req = { method: 'GET', headers: {} } as IncomingMessage;
  return new RequestContext(req, {} as ServerResponse, '/r', route, {}, {});
}

describe('recoverHandler', () => {
  test('turns an unexpected error into a 500 HttpError carrying it as cause, reported once', async () => {
    const reported: unknown[] = [];
    const boom = new Error('boom');
    const dispatch = recoverHandler({ onError: (err) => reported.push(err) })(async () => {
      throw boom;
    }, route);
    assert.equal(dispatch.name, 'recovered');
    const err = await dispatch(fakeContext()).then(
      () => assert.fail('should reject'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof HttpError);
    assert.equal(err.status, 500);
    assert.equal(err.code, REST_ERROR_CODES.INTERNAL);
    assert.equal(err.cause, boom);
    assert.deepEqual(reported, [boom]);
  });

  test('lets HttpErrors through unchanged and unreported', async () => {
    const reported: unknown[] = [];
    const notFound = new HttpError(404, 'nope');
    const dispatch = recoverHandler({ onError: (err) => reported.push(err) })(async () => {
      throw notFound;
    }, route);
    await assert.rejects(dispatch(fakeContext()), (e) => e === notFound);
    assert.equal(reported.length, 0);
  });

  test('by default reports on the process logger, with the trace of the request', async (t) => {
    const tracing = installTestTracer('recover-test');
    t.after(() => tracing.shutdown());
    sink.reset();
    const dispatch = recoverHandler()(async () => {
      throw new Error('kaput');
    }, route);
    const traceId = await trace.getTracer('test').startActiveSpan('request', async (span) => {
      await assert.rejects(dispatch(fakeContext()), HttpError);
      span.end();
      return span.spanContext().traceId;
    });
    const [line] = sink.lines();
    assert.equal(line.level, 'error');
    assert.equal(line.msg, 'rest: GET /r failed');
    assert.equal((line.err as { message?: string }).message, 'kaput');
    assert.equal(line.trace_id, traceId);
  });

  test('passes success through', async () => {
    let ran = false;
    const dispatch = recoverHandler()(async () => {
      ran = true;
    }, route);
    await dispatch(fakeContext());
    assert.equal(ran, true);
  });
});
