import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadTraceIdError } from './errors.ts';
import { parseGoDuration, parseTraceIdHex, positiveIntParam, timeRangeParams } from './params.ts';

describe('parseGoDuration', () => {
  const good: Array<[string, number]> = [
    ['0', 0],
    ['100ms', 100_000_000],
    ['1.5s', 1_500_000_000],
    ['1h30m', 5_400_000_000_000],
    ['250us', 250_000],
    ['250µs', 250_000],
    ['7ns', 7],
    ['.5s', 500_000_000],
    ['+2m', 120_000_000_000],
  ];
  for (const [text, nanos] of good) {
    it(`parses ${text}`, () => assert.equal(parseGoDuration(text), nanos));
  }

  const bad: Array<[string, RegExp]> = [
    ['', /invalid duration ""/],
    ['fast', /invalid duration "fast"/],
    ['10', /missing unit in duration "10"/],
    ['3d', /unknown unit "d" in duration "3d"/],
    ['-1s', /negative duration/],
    ['1.s.', /invalid duration/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.throws(() => parseGoDuration(text), message));
  }

  it('accepts extra units when asked (retention days)', () => {
    assert.equal(parseGoDuration('7d', { d: 86_400e9 }), 7 * 86_400e9);
  });
});

describe('parseTraceIdHex', () => {
  it('lower-cases and left-pads like Tempo', () => {
    assert.equal(parseTraceIdHex('ABC'), '00000000000000000000000000000abc');
    assert.equal(parseTraceIdHex('a'.repeat(32)), 'a'.repeat(32));
  });
  it('refuses non-hex, empty and over-long ids', () => {
    assert.throws(() => parseTraceIdHex('12g4'), (e: unknown) => e instanceof BadTraceIdError && /position 3/.test(e.message));
    assert.throws(() => parseTraceIdHex(''), BadTraceIdError);
    assert.throws(() => parseTraceIdHex('1'.repeat(33)), /larger than 128 bits/);
  });
});

describe('numeric parameters', () => {
  it('uses the fallback when absent and refuses non-positive values', () => {
    assert.equal(positiveIntParam(new URLSearchParams(''), 'limit', 20), 20);
    assert.equal(positiveIntParam(new URLSearchParams('limit=3'), 'limit', 20), 3);
    assert.throws(() => positiveIntParam(new URLSearchParams('limit=-1'), 'limit', 20), /positive/);
    assert.throws(() => positiveIntParam(new URLSearchParams('limit=1.5'), 'limit', 20), /not an integer/);
  });
  it('treats start=0/end=0 as absent and converts seconds to nanoseconds', () => {
    assert.deepEqual(timeRangeParams(new URLSearchParams('start=0&end=0')), {});
    assert.deepEqual(timeRangeParams(new URLSearchParams('end=2')), { endUnixNano: 2_000_000_000n });
  });
});
