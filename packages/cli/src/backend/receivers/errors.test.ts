import { it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadCompressionError,
  BodyTooLargeError,
  BodyTooSlowError,
  PushRejectedError,
  TooManyChunksError,
  RequestAbortedError,
  UnauthorizedError,
  ReceiversBusyError,
  UnsupportedEncodingError,
  UnsupportedMediaTypeError,
  receiverErrorClasses,
} from './index.ts';

it('error codes are unique, prefixed and carry an HTTP status', () => {
  const samples = [
    new BodyTooLargeError(1),
    new TooManyChunksError(1),
    new BodyTooSlowError(1, 1000),
    new UnsupportedMediaTypeError('text/plain', ['application/json']),
    new UnsupportedEncodingError('br'),
    new BadCompressionError('gzip'),
    new RequestAbortedError(),
    new UnauthorizedError(),
    new ReceiversBusyError(1),
    new PushRejectedError('busy', { httpStatus: 503 }),
  ];
  assert.equal(samples.length, receiverErrorClasses.length);
  assert.deepEqual(new Set(samples.map((e) => e.constructor)), new Set(receiverErrorClasses));
  const codes = samples.map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const e of samples) {
    assert.match(e.code, /^RECV_ERR_[A-Z_]+$/);
    assert.ok(e.httpStatus >= 400 && e.httpStatus < 600, e.code);
  }
});
