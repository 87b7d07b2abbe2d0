import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import type { Shedder } from '../../load/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { RpcStatusError } from '../errors.ts';
import { methodInfo } from '../internal/method-info.ts';
import { sheddingServerMiddleware } from './shedding.ts';

const tracing = installTestTracer('shed-rpc');
after(() => tracing.shutdown());

const info = methodInfo('/echo.Echo/Say');
const call = {} as grpc.ServerUnaryCall<unknown, unknown>;

function scripted(admit: boolean, outcomes: string[]): Shedder {
  return {
    allow: () =>
      admit
        ? { admitted: true, admission: { pass: () => outcomes.push('pass'), fail: () => outcomes.push('fail') } }
        : { admitted: false, reason: { cpu: 960, flying: 30, avgFlying: 25, maxFlight: 6 } },
  };
}

describe('sheddingServerMiddleware', () => {
  test('a shed call is UNAVAILABLE, never reaches the handler, and its span carries the reason', async () => {
    tracing.reset();
    let ran = false;
    const unary = sheddingServerMiddleware({ shedder: scripted(false, []) }).unary!(async () => (ran = true), info);
    const span = trace.getTracer('t').startSpan('echo.Echo/Say');
    await assert.rejects(
      async () => context.with(trace.setSpan(context.active(), span), () => unary({}, call)),
      (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.UNAVAILABLE && /overloaded/.test(err.details),
    );
    span.end();
    assert.equal(ran, false);
    const [ended] = tracing.spans();
    assert.equal(ended?.attributes['zeroscope.load_shed'], true);
    assert.equal(ended?.events[0]?.name, 'zeroscope.load_shed');
    assert.equal(ended?.events[0]?.attributes?.['zeroscope.load_shed.cpu_millis'], 960);
  });

  test('admitted calls pass on OK and on a caller error, fail on a server fault', async () => {
    const outcomes: string[] = [];
    const mw = sheddingServerMiddleware({ shedder: scripted(true, outcomes) });
    await mw.unary!(async () => 'ok', info)({}, call);
    await assert.rejects(async () => mw.unary!(async () => { throw new RpcStatusError(status.NOT_FOUND, 'no'); }, info)({}, call));
    await assert.rejects(async () => mw.unary!(async () => { throw new Error('boom'); }, info)({}, call));
    const stream = mw.stream!(function* () { yield 1; yield 2; }, info);
    const got: unknown[] = [];
    for await (const m of stream({}, call as unknown as grpc.ServerWritableStream<unknown, unknown>)) got.push(m);
    assert.deepEqual(got, [1, 2]);
    assert.deepEqual(outcomes, ['pass', 'pass', 'fail', 'pass']);
  });

  test('CpuThreshold 0 adds nothing', () => {
    assert.deepEqual(sheddingServerMiddleware({ cpuThreshold: 0 }), {});
  });
});
