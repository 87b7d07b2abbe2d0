import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SERVICE_ERROR_CODES, ServiceError, type ServiceErrorCode } from './errors.ts';

describe('SERVICE_ERROR_CODES', () => {
  const codes = Object.keys(SERVICE_ERROR_CODES) as ServiceErrorCode[];

  it('are prefixed and documented in the framework error reference (src/conf/README.md)', () => {
    const reference = readFileSync(new URL('../conf/README.md', import.meta.url), 'utf8');
    for (const code of codes) {
      assert.match(code, /^SERVICE_ERR_[A-Z_]+$/);
      assert.ok(reference.includes(`\`${code}\``), `${code} missing from src/conf/README.md`);
    }
  });

  it('ServiceError carries its code and cause', () => {
    const cause = new Error('EADDRINUSE');
    const err = new ServiceError('SERVICE_ERR_START', 'no', { cause });
    assert.equal(err.name, 'ServiceError');
    assert.equal(err.code, 'SERVICE_ERR_START');
    assert.equal(err.cause, cause);
  });
});
