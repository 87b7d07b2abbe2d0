import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONF_ERROR_CODES, ConfigError } from './errors.ts';

describe('config error codes', () => {
  it('are prefixed and documented in README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(CONF_ERROR_CODES)) {
      assert.match(code, /^CONF_ERR_[A-Z_]+$/);
      assert.ok(readme.includes(code), `${code} is documented`);
    }
  });

  it('carry code, file and cause', () => {
    const cause = new Error('x');
    const err = new ConfigError('CONF_ERR_PARSE', 'a.yaml', 'a.yaml:1:1: bad', { cause });
    assert.equal(err.name, 'ConfigError');
    assert.equal(err.code, 'CONF_ERR_PARSE');
    assert.equal(err.file, 'a.yaml');
    assert.equal(err.cause, cause);
    assert.ok(err instanceof Error);
  });
});
