import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { RpcStatusError } from '../errors.ts';
import { methodInfo } from '../internal/method-info.ts';
import { recoverServerMiddleware } from './recover.ts';

const info = methodInfo('/echo.Echo/Say');
const call = {} as grpc.ServerUnaryCall<unknown, unknown>;
const streamCall = {} as grpc.ServerWritableStream<unknown, unknown>;

describe('recoverServerMiddleware', () => {
  const logged: Array<[string, unknown]> = [];
  const mw = recoverServerMiddleware((message, err) => logged.push([message, err]));

  test('an unexpected error, thrown or rejected, becomes INTERNAL with its message and is logged', async () => {
    logged.length = 0;
    const boom = new Error('boom');
    for (const handler of [() => { throw boom; }, async () => { throw boom; }]) {
      await assert.rejects(
        async () => mw.unary!(handler, info)({}, call),
        (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.INTERNAL && err.details === 'boom' && err.cause === boom,
      );
    }
    assert.deepEqual(logged, [['rpc echo.Echo/Say: handler failed', boom], ['rpc echo.Echo/Say: handler failed', boom]]);
  });

  test('status errors pass through unchanged and are not logged; a sync reply stays sync', async () => {
    logged.length = 0;
    const notFound = new RpcStatusError(status.NOT_FOUND, 'no');
    await assert.rejects(async () => mw.unary!(() => { throw notFound; }, info)({}, call), (err) => err === notFound);
    assert.equal(mw.unary!(() => 'ok', info)({}, call), 'ok');
    assert.deepEqual(logged, []);
  });

  test('a stream that fails part way: the messages before it, then INTERNAL', async () => {
    const stream = mw.stream!(async function* () {
      yield 1;
      throw new Error('mid-stream');
    }, info);
    const got: unknown[] = [];
    await assert.rejects(async () => {
      for await (const m of stream({}, streamCall)) got.push(m);
    }, (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.INTERNAL && err.details === 'mid-stream');
    assert.deepEqual(got, [1]);
  });
});
