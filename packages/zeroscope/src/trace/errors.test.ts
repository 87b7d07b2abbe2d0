import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { TRACE_ERROR_CODES, TraceError, type TraceErrorCode } from './errors.ts';

describe('TRACE_ERROR_CODES', () => {
  const codes = Object.keys(TRACE_ERROR_CODES) as TraceErrorCode[];

  it('are prefixed and documented in the framework error reference (src/conf/README.md)', () => {
    const reference = readFileSync(new URL('../conf/README.md', import.meta.url), 'utf8');
    for (const code of codes) {
      assert.match(code, /^TRACE_ERR_[A-Z_]+$/);
      assert.ok(reference.includes(`\`${code}\``), `${code} missing from src/conf/README.md`);
    }
  });

  it('TraceError carries its code', () => {
    const err = new TraceError('TRACE_ERR_BAD_ENDPOINT', 'bad endpoint');
    assert.equal(err.code, 'TRACE_ERR_BAD_ENDPOINT');
    assert.ok(err instanceof Error);
  });
});
