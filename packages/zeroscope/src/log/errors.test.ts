import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { LOG_ERROR_CODES, LogError } from './errors.ts';

describe('LOG_ERROR_CODES', () => {
  const codes = Object.keys(LOG_ERROR_CODES) as (keyof typeof LOG_ERROR_CODES)[];

  test('are prefixed and documented in README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of codes) {
      assert.match(code, /^LOG_ERR_[A-Z_]+$/);
      assert.ok(readme.includes(`\`${code}\``), `${code} missing from README.md`);
    }
  });

  test('LogError carries its code and cause', () => {
    const cause = new Error('EACCES');
    const err = new LogError('LOG_ERR_PATH', 'no', { cause });
    assert.equal(err.code, 'LOG_ERR_PATH');
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'LogError');
  });
});
