import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from '../context.ts';
import { HttpError, REST_ERROR_CODES } from '../errors.ts';
import { recoverHandler } from './recover.ts';

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

  test('passes success through', async () => {
    let ran = false;
    const dispatch = recoverHandler()(async () => {
      ran = true;
    }, route);
    await dispatch(fakeContext());
    assert.equal(ran, true);
  });
});
