import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { describe, it } from 'node:test';
import { shouldRetry } from './client/unary-call.ts';

const failure = (code: grpc.status) => Object.assign(new Error('x'), { code, details: 'x', metadata: new grpc.Metadata() }) as grpc.ServiceError;

describe('shouldRetry: gRPC\'s retry line', () => {
  const cases: Array<[string, boolean, grpc.status, boolean, grpc.Deadline | undefined, boolean]> = [
    ['UNAVAILABLE before any answer', true, grpc.status.UNAVAILABLE, false, undefined, true],
    ['UNAVAILABLE, deadline ahead', true, grpc.status.UNAVAILABLE, false, Date.now() + 60_000, true],
    ['Retry: false', false, grpc.status.UNAVAILABLE, false, undefined, false],
    ['the server answered (headers): committed', true, grpc.status.UNAVAILABLE, true, undefined, false],
    ['another code', true, grpc.status.INTERNAL, false, undefined, false],
    ['DEADLINE_EXCEEDED', true, grpc.status.DEADLINE_EXCEEDED, false, undefined, false],
    ['deadline passed', true, grpc.status.UNAVAILABLE, false, new Date(Date.now() - 1), false],
  ];
  for (const [name, enabled, code, answered, deadline, expected] of cases) {
    it(name, () => assert.equal(shouldRetry(enabled, failure(code), answered, deadline), expected));
  }
});
