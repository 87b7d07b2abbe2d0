import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexSlice, latin1Slice } from './buffer-private.ts';

describe("Buffer's undeclared slice methods", () => {
  it('still exist on Buffer.prototype', () => {
    for (const name of ['latin1Slice', 'hexSlice']) {
      assert.equal(typeof (Buffer.prototype as unknown as Record<string, unknown>)[name], 'function', name);
    }
  });

  it("give toString's text for every range, including empty ones and views into a larger buffer", () => {
    const backing = Buffer.alloc(300);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 37 + 11) & 255;
    const view = backing.subarray(17, 281);
    for (const buf of [backing, view]) {
      for (const [start, end] of [
        [0, 0],
        [0, 1],
        [3, 19],
        [0, buf.length],
        [buf.length - 8, buf.length],
        [buf.length, buf.length],
      ]) {
        assert.equal(latin1Slice(buf, start, end), buf.toString('latin1', start, end), `latin1 ${start}-${end}`);
        assert.equal(hexSlice(buf, start, end), buf.toString('hex', start, end), `hex ${start}-${end}`);
      }
    }
  });

  it('read only the given range of a view (not the backing buffer around it)', () => {
    const view = Buffer.from('xxABCDyy', 'latin1').subarray(2, 6);
    assert.equal(latin1Slice(view, 0, 4), 'ABCD');
    assert.equal(hexSlice(view, 1, 3), '4243');
  });
});
