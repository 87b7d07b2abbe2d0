import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { METRICS_ERROR_CODES, MetricsError } from './errors.ts';

describe('METRICS_ERROR_CODES', () => {
  const codes = Object.keys(METRICS_ERROR_CODES) as (keyof typeof METRICS_ERROR_CODES)[];

  test('are prefixed and documented in README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of codes) {
      assert.match(code, /^METRICS_ERR_[A-Z_]+$/);
      assert.ok(readme.includes(`\`${code}\``), `${code} missing from README.md`);
    }
  });

  test('MetricsError carries its code and cause', () => {
    const cause = new Error('EADDRINUSE');
    const err = new MetricsError('METRICS_ERR_LISTEN', 'no', { cause });
    assert.equal(err.code, 'METRICS_ERR_LISTEN');
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'MetricsError');
  });
});
