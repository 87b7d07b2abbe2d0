import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { grpcStatusOf, RPC_ERROR_CODES, RpcError, RpcStatusError } from './errors.ts';

test('every error code is documented in README.md', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  for (const code of Object.keys(RPC_ERROR_CODES)) assert.match(readme, new RegExp(`\\b${code}\\b`), code);
});

test('grpcStatusOf reads RpcError, grpc-js ServiceError shapes, and nothing else', () => {
  assert.deepEqual(grpcStatusOf(new RpcStatusError(status.NOT_FOUND, 'gone')), { code: status.NOT_FOUND, details: 'gone' });
  assert.deepEqual(grpcStatusOf(new RpcError('RPC_ERR_NO_ENDPOINTS', status.UNAVAILABLE, 'none')), {
    code: status.UNAVAILABLE,
    details: 'none',
  });
  assert.deepEqual(grpcStatusOf(Object.assign(new Error('m'), { code: 7, details: 'denied' })), { code: 7, details: 'denied' });
  assert.equal(grpcStatusOf(new Error('plain')), undefined);
  assert.equal(grpcStatusOf(Object.assign(new Error('fs'), { code: 'ENOENT' })), undefined);
  assert.equal(grpcStatusOf(Object.assign(new Error('big'), { code: 99 })), undefined);
  assert.equal(grpcStatusOf('string'), undefined);
});

test('RpcStatusError message names the status', () => {
  const err = new RpcStatusError(status.NOT_FOUND, 'user 9 not found');
  assert.equal(err.message, 'NOT_FOUND: user 9 not found');
  assert.equal(err.code, 'RPC_ERR_STATUS');
  assert.equal(err.name, 'RpcStatusError');
});
