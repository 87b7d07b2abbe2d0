import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { RpcStatusError } from '../errors.ts';
import { methodInfo } from '../internal/method-info.ts';
import { timeoutServerMiddleware } from './timeout.ts';

const info = methodInfo('/echo.Echo/Say');
const call = {} as grpc.ServerUnaryCall<unknown, unknown>;
const after = (ms: number, value: unknown) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('timeoutServerMiddleware', () => {
  const unary = (handler: () => unknown) => timeoutServerMiddleware(50).unary!(handler, info)({}, call);

  test('a handler past the timeout answers DEADLINE_EXCEEDED naming the method', async () => {
    await assert.rejects(
      async () => unary(() => after(500, 'late')),
      (err: unknown) => err instanceof RpcStatusError && err.grpcCode === status.DEADLINE_EXCEEDED && /echo\.Echo\/Say exceeded the server timeout of 50ms/.test(err.details),
    );
  });

  test('in time: the reply or the handler\'s own error; a sync reply needs no timer', async () => {
    assert.equal(await unary(() => after(5, 'ok')), 'ok');
    const own = new Error('own');
    await assert.rejects(async () => unary(() => Promise.reject(own)), (err) => err === own);
    assert.equal(unary(() => 'sync'), 'sync');
  });

  test('streams are not limited', () => {
    assert.equal(timeoutServerMiddleware(50).stream, undefined);
  });
});
