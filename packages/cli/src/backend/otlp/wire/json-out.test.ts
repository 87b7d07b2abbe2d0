import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonOut } from './json-out.ts';
import { createRng } from '../../../../../../test/lib/random.ts';

function written(write: (out: JsonOut) => void): string {
  const out = new JsonOut(1); // tiny on purpose: every write has to grow it
  write(out);
  return out.finish().toString('utf8');
}

describe('JsonOut', () => {
  it('writes 64-bit integers from their halves as BigInt does', () => {
    const random = createRng(5).next;
    const values = [0n, 1n, 9n, 10n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 0x1fffffn << 32n, 0x200000n << 32n, 10n ** 18n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
    for (let i = 0; i < 2000; i++) values.push((BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)));
    for (const v of values) {
      const lo = Number(v & 0xffffffffn);
      const hi = Number(v >> 32n);
      assert.equal(written((o) => o.uint64(lo, hi)), v.toString(), `uint64 ${v}`);
      assert.equal(written((o) => o.int64(lo, hi)), BigInt.asIntN(64, v).toString(), `int64 ${v}`);
    }
  });

  it('writes 32-bit integers and doubles as JSON.stringify does', () => {
    for (const n of [0, 7, 10, 99, 100, 65535, 2 ** 31, 4294967295]) assert.equal(written((o) => o.uint(n)), String(n));
    for (const n of [-1, -2147483648, 2147483647]) assert.equal(written((o) => o.int(n)), String(n));
    for (const d of [0, -0, 1.5, -2.25, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 0.1 + 0.2]) assert.equal(written((o) => o.double(d)), JSON.stringify(d));
    assert.equal(written((o) => o.double(NaN)), '"NaN"');
    assert.equal(written((o) => o.double(-Infinity)), '"-Infinity"');
  });

  it('writes base64 as Buffer does, padding included', () => {
    const bytes = Uint8Array.from({ length: 70 }, (_, i) => (i * 37 + 11) & 255);
    for (let len = 0; len <= 70; len++) {
      assert.equal(written((o) => o.base64(bytes, 3, 3 + Math.min(len, 67))), JSON.stringify(Buffer.from(bytes.subarray(3, 3 + Math.min(len, 67))).toString('base64')));
    }
  });

  it('writes UTF-8 strings as JSON.stringify writes the decoded string', () => {
    const strings = ['', 'plain', 'a "q" \\ b', '\u0000\u0008\u001f\u007f', 'tab\tnl\n', '\u2028\u2029', 'é日🚀', 'x'.repeat(100), `${'y'.repeat(60)}"`, '\ufeff'];
    for (let c = 0; c < 0x80; c++) strings.push(`c${String.fromCharCode(c)}c`);
    for (const s of strings) {
      const bytes = Buffer.from(`..${s}..`, 'utf8');
      assert.equal(written((o) => o.utf8String(bytes, 2, bytes.length - 2)), JSON.stringify(s), JSON.stringify(s));
    }
  });
});
