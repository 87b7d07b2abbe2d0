import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExposureError } from './errors.ts';
import { assertExposureAllowed, isLoopbackHost } from './exposure.ts';

describe('exposure', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '::ffff:10.0.0.1', '128.0.0.1']) assert.ok(!isLoopbackHost(h), h);
  });

  it('refuses a non-loopback bind without a long enough token', () => {
    assert.doesNotThrow(() => assertExposureAllowed('127.0.0.1', undefined));
    assert.throws(() => assertExposureAllowed('0.0.0.0', undefined, { host: '--host', token: '--auth-token' }), (err: unknown) => {
      assert.ok(err instanceof ExposureError);
      assert.match(err.message, /--host 0\.0\.0\.0 is not a loopback address.*--auth-token/);
      return true;
    });
    assert.throws(() => assertExposureAllowed('::', 'short'), /at least 16 characters/);
    assert.doesNotThrow(() => assertExposureAllowed('0.0.0.0', 'a-long-enough-secret'));
  });
});
