import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CLI_ERRORS, CliError, CliRunError, CliUsageError } from './errors.ts';

describe('CLI errors', () => {
  const samples = [new CliUsageError('up', 'bad flag'), new CliRunError('port in use')];

  it('cover the registry with unique CLI_ERR_ codes and a failing exit status', () => {
    assert.deepEqual(new Set(samples.map((e) => e.constructor)), new Set(CLI_ERRORS));
    assert.equal(new Set(samples.map((e) => e.code)).size, samples.length);
    for (const e of samples) {
      assert.ok(e instanceof CliError);
      assert.match(e.code, /^CLI_ERR_[A-Z_]+$/);
      assert.ok(e.exitCode > 0, e.code);
      assert.equal(e.name, e.constructor.name);
    }
  });

  it('document each class and its exit status in errors.ts', () => {
    const source = readFileSync(new URL('./errors.ts', import.meta.url), 'utf8');
    for (const e of samples) {
      assert.match(source, new RegExp(`/\\*\\*[^*]*exit ${e.exitCode}\\. \\*/\\s*export class ${e.name}\\b`), `${e.name} is documented`);
    }
  });
});
