import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ExposureError, GUARD_ERRORS, LowDiskError, OverloadedError } from './errors.ts';

it('guard errors have unique GUARD_ERR_ codes with HTTP and gRPC answers', () => {
  const samples = [new OverloadedError('busy', 1), new LowDiskError(1, 2), new ExposureError('open')];
  assert.deepEqual(new Set(samples.map((e) => e.constructor)), new Set(GUARD_ERRORS));
  assert.equal(new Set(samples.map((e) => e.code)).size, samples.length);
  for (const e of samples) {
    assert.match(e.code, /^GUARD_ERR_[A-Z_]+$/);
    assert.ok(e.httpStatus >= 400 && e.httpStatus < 600);
    assert.ok(e.grpcCode > 0 && e.grpcCode <= 16);
    assert.equal(e.name, e.constructor.name);
  }
});
