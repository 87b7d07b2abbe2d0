import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { stringify } from './ast-stringer.ts';
import { validate } from './ast-validate.ts';
import { TraceQLParseError, TraceQLUnsupportedError, TraceQLValidationError } from './errors.ts';
import { parse, parseQuery } from './parser.ts';

interface Corpus {
  valid: string[];
  parse_fails: Array<{ query: string; col: number; line?: number }>;
  validate_fails: string[];
  unsupported: string[];
}

const corpus = parseYaml(readFileSync(new URL('./testdata/queries.yaml', import.meta.url), 'utf8')) as Corpus;

describe('TraceQL corpus', () => {
  it('round-trips every valid query: parse → print → parse gives an equal tree', () => {
    for (const q of corpus.valid) {
      const first = parseQuery(q);
      validate(first);
      const printed = stringify(first);
      const second = parseQuery(printed);
      assert.deepStrictEqual(second, first, `${q}\n  printed as ${printed}`);
      assert.equal(stringify(second), printed, `printing is stable for ${q}`);
    }
  });

  it('reports parse errors at the offending line and column, in Tempo form', () => {
    for (const { query, col, line = 1 } of corpus.parse_fails) {
      assert.throws(
        () => parse(query),
        (err: unknown) => {
          assert.ok(err instanceof TraceQLParseError, `${query}: ${String(err)}`);
          assert.equal(err.col, col, `${query}: ${err.message}`);
          assert.equal(err.line, line, `${query}: ${err.message}`);
          assert.match(err.message, new RegExp(`^parse error at line ${line}, col ${col}: `));
          return true;
        },
        query,
      );
    }
  });

  it('rejects ill-typed queries at validation', () => {
    for (const q of corpus.validate_fails) {
      const root = parse(q);
      assert.throws(() => validate(root), TraceQLValidationError, q);
    }
  });

  it('parses unsupported queries and rejects them as unsupported', () => {
    for (const q of corpus.unsupported) {
      const root = parseQuery(q);
      assert.throws(() => validate(root), TraceQLUnsupportedError, q);
    }
  });
});

describe('parser', () => {
  it('gives structural operators precedence over && and ||, which share a level', () => {
    const root = parse('{ .a } && { .b } >> { .c } || { .d }');
    const top = root.pipeline.elements[0];
    assert.equal(top.type, 'spansetOperation');
    if (top.type !== 'spansetOperation') return;
    assert.equal(top.op, '||');
    assert.equal(top.lhs.type === 'spansetOperation' && top.lhs.op, '&&');
    const and = top.lhs.type === 'spansetOperation' ? top.lhs : undefined;
    assert.equal(and?.rhs.type === 'spansetOperation' && and.rhs.op, '>>');
  });

  it('reads durations in every unit', () => {
    const cases: Array<[string, number]> = [
      ['5ns', 5], ['3us', 3e3], ['3µs', 3e3], ['100ms', 1e8], ['1.5s', 1.5e9], ['2m', 120e9], ['1h', 3600e9], ['1h30m', 5400e9],
    ];
    for (const [text, nanos] of cases) {
      const f = parse(`{ duration > ${text} }`).pipeline.elements[0];
      assert.ok(f.type === 'spansetFilter' && f.expr.type === 'binary');
      if (f.type === 'spansetFilter' && f.expr.type === 'binary') {
        assert.deepStrictEqual(f.expr.rhs, { type: 'static', valueType: 'duration', value: nanos }, text);
      }
    }
  });

  it('decodes string escapes and quoted attribute names', () => {
    const f = parse('{ span."a \\"b\\"" = "x\\ty\\u00e9" }').pipeline.elements[0];
    assert.ok(f.type === 'spansetFilter' && f.expr.type === 'binary');
    if (f.type === 'spansetFilter' && f.expr.type === 'binary') {
      assert.deepStrictEqual(f.expr.lhs, { type: 'attribute', scope: 'span', parent: false, name: 'a "b"' });
      assert.deepStrictEqual(f.expr.rhs, { type: 'static', valueType: 'string', value: 'x\tyé' });
    }
  });

  it('reads a float with a leading dot as a number, not as an attribute', () => {
    const f = parse('{ span:duration > 5000000000 * .2 }').pipeline.elements[0];
    assert.ok(f.type === 'spansetFilter' && f.expr.type === 'binary' && f.expr.rhs.type === 'binary');
    if (f.type === 'spansetFilter' && f.expr.type === 'binary' && f.expr.rhs.type === 'binary') {
      assert.deepStrictEqual(f.expr.rhs.rhs, { type: 'static', valueType: 'float', value: 0.2 });
    }
  });

  it('refuses a metrics query where a search is expected, saying where it belongs', () => {
    assert.throws(() => parse('{} | rate()'), /metrics queries are not searches/);
  });

  it('treats span:name and name as the same intrinsic', () => {
    assert.deepStrictEqual(parse('{ span:name = "x" }'), parse('{ name = "x" }'));
    assert.deepStrictEqual(parse('{ trace:rootService = "x" }'), parse('{ rootServiceName = "x" }'));
  });
});
