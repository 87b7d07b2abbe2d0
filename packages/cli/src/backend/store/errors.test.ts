import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { STORE_ERROR_CODES, StoreError, isStoreError, type StoreErrorCode } from './errors.ts';

describe('store errors', () => {
  const codes = Object.keys(STORE_ERROR_CODES) as StoreErrorCode[];

  it('have unique STORE_ERR_ codes, each with an HTTP status and a doc comment', () => {
    assert.equal(new Set(codes).size, codes.length);
    const source = readFileSync(new URL('./errors.ts', import.meta.url), 'utf8');
    for (const code of codes) {
      assert.match(code, /^STORE_ERR_[A-Z_]+$/);
      const status = STORE_ERROR_CODES[code];
      assert.ok(status >= 400 && status < 600, code);
      assert.match(source, new RegExp(`/\\*\\*[^*]*\\*/\\s*${code}:`), `${code} is documented`);
    }
  });

  it('carry code, status and cause', () => {
    const cause = new Error('root');
    const err = new StoreError('STORE_ERR_INVALID_SPAN', 'bad span', { cause });
    assert.equal(err.code, 'STORE_ERR_INVALID_SPAN');
    assert.equal(err.status, 400);
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'StoreError');
    assert.ok(isStoreError(err));
    assert.ok(isStoreError(err, 'STORE_ERR_INVALID_SPAN'));
    assert.ok(!isStoreError(err, 'STORE_ERR_CLOSED'));
    assert.ok(!isStoreError(new Error('x')));
  });
});
