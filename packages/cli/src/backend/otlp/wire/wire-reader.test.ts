import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { otlpRoot } from '../schema.ts';
import { nestedDecoder } from './protobufjs-private.ts';
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

/** What protobufjs' own Reader reads (value or error class) from the same bytes. */
function protobufjsReads(bytes: Uint8Array, read: (r: protobuf.Reader) => unknown): unknown {
  try {
    return read(protobuf.Reader.create(bytes));
  } catch (err) {
    return (err as Error).constructor;
  }
}

function wireReads(bytes: Uint8Array, read: (r: WireReader) => unknown): unknown {
  try {
    return read(new WireReader(bytes));
  } catch (err) {
    return (err as Error).constructor;
  }
}

describe('WireReader tags, lengths and 64-bit varints', () => {
  it('read what protobufjs reads, or fail where it fails, on every prefix of edge encodings', () => {
    const encodings: Uint8Array[] = [];
    for (const n of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]) {
      encodings.push(protobuf.Writer.create().uint32(n).finish());
    }
    for (const n of ['0', '1', '-1', '9007199254740991', '9007199254740993', '-9223372036854775808', '9223372036854775807', '4294967296']) {
      encodings.push(protobuf.Writer.create().int64(n).finish());
    }
    encodings.push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x70), Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x0f), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    const asText = (v: unknown) => (typeof v === 'object' && v !== null && 'low' in v ? protobuf.util.LongBits.from(v as protobuf.Long).toLong(false).toString() : v);
    for (const full of encodings) {
      for (let cut = 1; cut <= full.length; cut++) {
        const bytes = full.subarray(0, cut);
        const label = `${Buffer.from(bytes).toString('hex')}`;
        assert.equal(wireReads(bytes, (r) => r.tag()), protobufjsReads(bytes, (r) => r.tag()), `tag ${label}`);
        assert.equal(wireReads(bytes, (r) => r.size()), protobufjsReads(bytes, (r) => r.size()), `size ${label}`);
        assert.equal(wireReads(bytes, (r) => r.uint32()), protobufjsReads(bytes, (r) => r.uint32()), `uint32 ${label}`);
        assert.equal(String(asText(wireReads(bytes, (r) => r.int64()))), String(asText(protobufjsReads(bytes, (r) => r.int64()))), `int64 ${label}`);
      }
    }
  });
});

describe('WireReader.nested', () => {
  it("runs a schema's generated decoder at the reader's position and goes on after the message", () => {
    const Status = otlpRoot.lookupType('opentelemetry.proto.trace.v1.Status');
    const status = Status.encode({ code: 2, message: 'boom' }).finish();
    const bytes = Buffer.concat([Buffer.from([0x7f]), Buffer.from([status.length]), status, Buffer.from([0x08, 0x01])]);
    const r = new WireReader(bytes);
    r.pos = 1;
    const message = r.nested(nestedDecoder(Status), 1);
    assert.deepEqual({ ...message }, { code: 2, message: 'boom' });
    assert.equal(r.pos, 2 + status.length);
    assert.equal(r.tag(), 0x08, 'the next field follows');
  });
});
