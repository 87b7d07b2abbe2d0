import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LOG_STORE_ERROR_CODES, LogStoreError, type LogStoreErrorCode } from './errors.ts';

describe('log store errors', () => {
  const codes = Object.keys(LOG_STORE_ERROR_CODES) as LogStoreErrorCode[];

  it('have unique LOGSTORE_ERR_ codes, each with an HTTP status, documented in README.md', () => {
    assert.equal(new Set(codes).size, codes.length);
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of codes) {
      assert.match(code, /^LOGSTORE_ERR_[A-Z_]+$/);
      const status = LOG_STORE_ERROR_CODES[code];
      assert.ok(status >= 400 && status < 600, code);
      assert.ok(readme.includes(`| \`${code}\` | ${status} |`), `${code} (${status}) missing from README.md`);
    }
  });

  it('carry code, status (also as httpStatus, for the receivers) and cause', () => {
    const cause = new Error('root');
    const err = new LogStoreError('LOGSTORE_ERR_CLOSED', 'closed', { cause });
    assert.equal(err.name, 'LogStoreError');
    assert.equal(err.code, 'LOGSTORE_ERR_CLOSED');
    assert.equal(err.status, 503);
    assert.equal(err.httpStatus, 503);
    assert.equal(err.cause, cause);
  });
});
