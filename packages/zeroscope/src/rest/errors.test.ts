import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { HttpError, REST_ERROR_CODES } from './errors.ts';

describe('REST_ERROR_CODES', () => {
  const codes = Object.values(REST_ERROR_CODES);

  test('are unique and prefixed', () => {
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^REST_ERR_[A-Z_]+$/);
  });

  test('are all documented in README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of codes) assert.ok(readme.includes(`\`${code}\``), `${code} missing from README.md`);
  });
});

describe('HttpError', () => {
  test('defaults its code from the status', () => {
    assert.equal(new HttpError(404, 'x').code, REST_ERROR_CODES.NOT_FOUND);
    assert.equal(new HttpError(500, 'x').code, REST_ERROR_CODES.INTERNAL);
    assert.equal(new HttpError(409, 'x').code, 'REST_ERR_HTTP_409');
    assert.equal(new HttpError(409, 'x', { code: 'ORDER_EXISTS' }).code, 'ORDER_EXISTS');
  });

  test('serialises to { code, message } and keeps its cause', () => {
    const cause = new Error('db down');
    const err = new HttpError(503, 'try later', { cause });
    assert.deepEqual(JSON.parse(JSON.stringify(err)), { code: 'REST_ERR_HTTP_503', message: 'try later' });
    assert.equal(err.cause, cause);
    assert.ok(err instanceof Error);
  });

  test('refuses statuses that are not errors', () => {
    for (const status of [200, 302, 399, 600, 404.5]) assert.throws(() => new HttpError(status, 'x'), RangeError);
  });
});
