import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GENERATOR_ERROR_CODES, GeneratorConfigError } from './errors.ts';

describe('GENERATOR_ERROR_CODES', () => {
  it('are prefixed, documented in README.md, and carried by the error', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(GENERATOR_ERROR_CODES)) {
      assert.match(code, /^GENERATOR_ERR_[A-Z_]+$/);
      assert.ok(readme.includes(`\`${code}\``), `${code} missing from README.md`);
    }
    assert.equal(new GeneratorConfigError('x').code, 'GENERATOR_ERR_CONFIG');
  });
});
