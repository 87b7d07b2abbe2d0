import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UiErrorCodes } from './errors.ts';

describe('UiErrorCodes', () => {
  it('are unique and prefixed UI_ERR_', () => {
    const codes = Object.values(UiErrorCodes);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.match(c, /^UI_ERR_[A-Z_]+$/);
  });
});
