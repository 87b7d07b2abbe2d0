import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WireReader } from './wire-reader.ts';

/** One length-delimited string field's bytes (length prefix + bytes), for `WireReader.string`. */
function field(bytes: Uint8Array): Buffer {
  const prefix: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    prefix.push((n & 127) | 128);
    n >>>= 7;
  }
  prefix.push(n);
  return Buffer.concat([Buffer.from(prefix), bytes]);
}

describe('WireReader.string', () => {
  it('reads every string as strict UTF-8 decoding does, interned or not', () => {
    let x = 17;
    const rand = (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    // Strings of one length that differ in a single position share an intern slot more often
    // than not: each must still come back as itself.
    const base = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ';
    const texts: string[] = [];
    for (let len = 0; len <= base.length; len++) {
      for (let i = 0; i < len; i++) texts.push(base.slice(0, i) + '#' + base.slice(i + 1, len));
      texts.push(base.slice(0, len), 'é' + base.slice(0, len), base.slice(0, len) + '日本');
    }
    const chunks: Buffer[] = [];
    const expected: Array<string | 'invalid'> = [];
    for (let k = 0; k < 20_000; k++) {
      if (rand(50) === 0) {
        const bad = Buffer.from(base.slice(0, rand(45)) + 'x');
        bad[rand(bad.length)] = 0xff; // never valid UTF-8
        chunks.push(field(bad));
        expected.push('invalid');
        continue;
      }
      const text = texts[rand(texts.length)];
      chunks.push(field(Buffer.from(text)));
      expected.push(strict.decode(Buffer.from(text)));
    }
    let checked = 0;
    for (let k = 0; k < chunks.length; k++) {
      const r = new WireReader(chunks[k]);
      if (expected[k] === 'invalid') assert.throws(() => r.string(), TypeError);
      else {
        assert.equal(r.string(), expected[k]);
        assert.equal(r.pos, chunks[k].length);
        checked++;
      }
    }
    assert.ok(checked > 19_000);
  });

  it('reads a string inside a larger buffer without reading past its field', () => {
    const body = Buffer.concat([Buffer.from([0xaa, 0xbb]), field(Buffer.from('service.name')), Buffer.from('trailing')]);
    const r = new WireReader(body);
    r.pos = 2;
    assert.equal(r.string(), 'service.name');
    assert.equal(r.pos, 2 + 1 + 12);
    r.len = r.pos + 1;
    assert.throws(() => r.string(), RangeError);
  });
});
