import { it } from 'node:test';
import assert from 'node:assert/strict';
import { otlpErrorClasses } from './index.ts';

it('error codes are unique, prefixed and mapped to a 4xx/5xx status', () => {
  const samples = [new otlpErrorClasses[0]('json', 'x'), new otlpErrorClasses[1]('x')];
  assert.equal(samples.length, otlpErrorClasses.length);
  const codes = samples.map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const e of samples) {
    assert.match(e.code, /^OTLP_ERR_[A-Z_]+$/);
    assert.ok(e.httpStatus >= 400 && e.httpStatus < 600);
    assert.ok(e.message.includes('x'));
  }
});
