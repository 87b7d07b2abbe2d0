import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as errors from './errors.ts';

describe('errors', () => {
  it('each error class has a documented, unique code and answers 400', () => {
    const made = [
      new errors.TraceQLParseError('syntax error: unexpected }', 1, 3),
      new errors.TraceQLValidationError('x'),
      new errors.TraceQLUnsupportedError('y'),
      new errors.TagsParseError('z'),
    ];
    const codes = made.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length);
    assert.deepEqual([...codes].sort(), [...errors.TRACEQL_ERROR_CODES].sort());
    for (const e of made) assert.equal(e.status, 400);
    assert.equal(made[0].message, 'parse error at line 1, col 3: syntax error: unexpected }');
  });
});
