import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_ERRORS, ApiError } from './errors.ts';

describe('API error registry', () => {
  const instances = API_ERRORS.map((E) => new (E as new (a: string) => ApiError)('x'));

  it('gives every error a unique API_ERR_ code', () => {
    const codes = instances.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^API_ERR_[A-Z_]+$/);
  });

  it('names each error after its class and gives it an HTTP status', () => {
    for (const e of instances) {
      assert.ok(e instanceof ApiError);
      assert.equal(e.name, e.constructor.name);
      assert.ok(e.status >= 400 && e.status < 600);
    }
  });
});
