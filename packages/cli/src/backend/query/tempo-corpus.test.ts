/**
 * Tempo's own TraceQL corpus (testdata/tempo-test-examples.yaml, copied from grafana/tempo): every
 * query must land where Tempo puts it. `valid` ones parse, validate, and print to a query that
 * parses to the same tree; `parse_fails` fail at parse; `validate_fails` at validation (with a
 * validation error, not "unsupported"); `unsupported` with an error that says "not supported".
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { stringify } from './ast-stringer.ts';
import { validate } from './ast-validate.ts';
import { TraceQLParseError, TraceQLUnsupportedError, TraceQLValidationError } from './errors.ts';
import { parseQuery } from './parser.ts';

interface TempoCorpus {
  valid: string[];
  parse_fails: string[];
  validate_fails: string[];
  unsupported: string[];
}

const corpus = parseYaml(readFileSync(new URL('./testdata/tempo-test-examples.yaml', import.meta.url), 'utf8')) as TempoCorpus;

describe("Tempo's TraceQL corpus", () => {
  it('holds every section with queries in it', () => {
    for (const section of ['valid', 'parse_fails', 'validate_fails', 'unsupported'] as const) {
      assert.ok(corpus[section].length > 10, section);
    }
  });

  it('parses and validates every valid query, and prints it back to the same tree', () => {
    const failures: string[] = [];
    for (const q of corpus.valid) {
      try {
        const first = parseQuery(q);
        validate(first);
        const printed = stringify(first);
        const second = parseQuery(printed);
        assert.deepStrictEqual(second, first, `printed as ${printed}`);
        assert.equal(stringify(second), printed, 'printing is stable');
      } catch (err) {
        failures.push(`${q}\n    ${(err as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('fails every parse_fails query at parse', () => {
    const failures: string[] = [];
    for (const q of corpus.parse_fails) {
      try {
        parseQuery(q);
        failures.push(`${q}\n    parsed`);
      } catch (err) {
        if (!(err instanceof TraceQLParseError)) failures.push(`${q}\n    ${String(err)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('fails every validate_fails query at validation, with a validation error', () => {
    const failures: string[] = [];
    for (const q of corpus.validate_fails) {
      try {
        validate(parseQuery(q));
        failures.push(`${q}\n    validated`);
      } catch (err) {
        if (!(err instanceof TraceQLValidationError)) failures.push(`${q}\n    ${String(err)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('answers every unsupported query with "not supported" naming the feature, never a syntax error', () => {
    const failures: string[] = [];
    for (const q of corpus.unsupported) {
      try {
        validate(parseQuery(q));
        failures.push(`${q}\n    validated`);
      } catch (err) {
        if (!(err instanceof TraceQLUnsupportedError) || !/is not supported/.test(err.message)) {
          failures.push(`${q}\n    ${String(err)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});
