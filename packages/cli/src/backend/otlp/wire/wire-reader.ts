/**
 * The backend's one protobuf wire reader (the hand-written span decoder, the stored-span
 * projection and the JSON writer all read through it). It accepts and rejects
 * exactly what protobufjs' `Reader` does (same bounds, varint, tag, length and depth rules, strict
 * UTF-8), throwing the same error classes and messages, but hands out plain values: short ASCII
 * strings come from an intern table (attribute keys and most values repeat from span to span, so
 * they cost no allocation), fixed64 is a bigint, int64 a number when exact.
 */
import protobuf from 'protobufjs';
import { latin1Slice } from './buffer-private.ts';
import { RECURSION_LIMIT, type NestedDecoder } from './protobufjs-private.ts';

export { RECURSION_LIMIT };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const TWO_32 = 4294967296;

/** Strings up to this many ASCII bytes are interned. */
const INTERN_MAX = 40;
const INTERN_SLOTS = 4096; // power of two
const internTable: (string | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);

/** A range-bounded cursor over one request's bytes. `len` is the end of the message being read. */
export class WireReader {
  readonly buf: Buffer;
  readonly view: DataView;
  pos = 0;
  len: number;
  /** The high 32 bits of the last {@link varint64}. */
  hi = 0;
  /** A protobufjs Reader over the same bytes, for the schema's generated decoders. */
  private generatedReader: protobuf.Reader | undefined;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.len = this.buf.length;
  }

  /** An unsigned 32-bit varint (protobufjs `uint32`: at most 10 bytes, the high ones ignored). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.len) throw outOfRange(this);
    let b = buf[pos++];
    let value = b & 127;
    if (b < 128) {
      this.pos = pos;
      return value;
    }
    for (let shift = 7; shift < 35; shift += 7) {
      if (pos >= this.len) throw outOfRange(this);
      b = buf[pos++];
      value = (value | ((shift === 28 ? b & 15 : b & 127) << shift)) >>> 0;
      if (b < 128) {
        this.pos = pos;
        return value;
      }
    }
    for (let i = 0; i < 5; i++) {
      if (pos >= this.len) {
        this.pos = pos;
        throw outOfRange(this);
      }
      if (buf[pos++] < 128) {
        this.pos = pos;
        return value;
      }
    }
    this.pos = pos;
    throw Error('invalid varint encoding');
  }

  /** A field tag (protobufjs `tag`: at most 5 bytes, the 5th with no bits past 32). */
  tag(): number {
    const pos = this.pos;
    if (pos < this.len && this.buf[pos] < 128) {
      this.pos = pos + 1;
      return this.buf[pos];
    }
    return this.prefix(true);
  }

  /** A length prefix (protobufjs `size`: below 2^31). */
  size(): number {
    const pos = this.pos;
    if (pos < this.len && this.buf[pos] < 128) {
      this.pos = pos + 1;
      return this.buf[pos];
    }
    return this.prefix(false);
  }

  /** A tag or length prefix of more than one byte (or none left): their rules differ only in the 5th byte. */
  private prefix(isTag: boolean): number {
    const buf = this.buf;
    let pos = this.pos;
    const near = this.len - pos < 5;
    let value = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.len) throw outOfRange(this);
      const b = buf[pos++];
      value = (value | ((b & 127) << shift)) >>> 0;
      if (b < 128) {
        this.pos = pos;
        return value;
      }
    }
    // protobufjs reads at most four bytes near the end of the range.
    if (near) throw outOfRange(this);
    const b = buf[pos];
    this.pos = pos + 1;
    if (isTag) {
      if (b < 128 && (b & 112) === 0) return (value | ((b & 15) << 28)) >>> 0;
      throw Error('invalid tag encoding');
    }
    if (b > 7) throw Error('invalid length encoding');
    return (value | (b << 28)) >>> 0;
  }

  /** The end offset of a length-delimited field starting here, checked against the range. */
  end(): number {
    const length = this.size();
    const end = this.pos + length;
    if (end > this.len) throw RangeError('index out of range');
    return end;
  }

  /** A signed 64-bit varint: a number when exact, else a protobufjs Long. */
  int64(): number | protobuf.Long {
    const lo = this.varint64();
    const hi = this.hi;
    const value = (hi | 0) * TWO_32 + lo;
    return Number.isSafeInteger(value) ? value : new protobuf.util.Long(lo | 0, hi | 0, false);
  }

  /** A 64-bit varint (at most 10 bytes): returns the low 32 bits, leaves the high ones in `hi`. */
  varint64(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let i = 0;
    let b: number;
    // Same byte layout as protobufjs' readLongVarint: 4 bytes of lo, a 5th split, 5 of hi.
    for (; i < 4; i++) {
      if (this.pos >= this.len) throw outOfRange(this);
      b = buf[this.pos++];
      lo = (lo | ((b & 127) << (i * 7))) >>> 0;
      if (b < 128) {
        this.hi = 0;
        return lo;
      }
    }
    if (this.pos >= this.len) throw outOfRange(this);
    b = buf[this.pos++];
    lo = (lo | ((b & 127) << 28)) >>> 0;
    hi = (hi | ((b & 127) >> 4)) >>> 0;
    if (b >= 128) {
      for (i = 0; ; i++) {
        if (i === 5) throw Error('invalid varint encoding');
        if (this.pos >= this.len) throw outOfRange(this);
        b = buf[this.pos++];
        hi = (hi | ((b & 127) << (i * 7 + 3))) >>> 0;
        if (b < 128) break;
      }
    }
    this.hi = hi;
    return lo;
  }

  /** A varint bool (protobufjs `bool`: true when any of up to 10 bytes has a value bit). */
  bool(): boolean {
    let value = false;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.len) throw outOfRange(this);
      const b = this.buf[this.pos++];
      if (b & 127) value = true;
      if (b < 128) return value;
    }
    throw Error('invalid varint encoding');
  }

  fixed32(): number {
    if (this.pos + 4 > this.len) throw outOfRange(this);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** fixed64 as an unsigned bigint. */
  fixed64(): bigint {
    if (this.pos + 8 > this.len) throw outOfRange(this);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(): number {
    if (this.pos + 8 > this.len) throw outOfRange(this);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Length-delimited bytes as a view of the request (no copy). */
  bytes(): Buffer {
    const end = this.end();
    const start = this.pos;
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  /** A length-delimited UTF-8 string; invalid UTF-8 throws the TypeError protobufjs' strict read throws. */
  string(): string {
    const end = this.end();
    const start = this.pos;
    this.pos = end;
    return this.text(start, end);
  }

  /** Checks a length-delimited string without building it when it is ASCII. */
  skipString(): void {
    const end = this.end();
    const start = this.pos;
    this.pos = end;
    const buf = this.buf;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 128) {
        strictUtf8.decode(buf.subarray(start, end));
        return;
      }
    }
  }

  private text(start: number, end: number): string {
    const n = end - start;
    if (n === 0) return '';
    const buf = this.buf;
    if (n <= INTERN_MAX) {
      // The slot comes from the length and a few sampled bytes, so a string already interned
      // costs one pass (the comparison, which also proves it ASCII) and no allocation.
      let hash = Math.imul(n ^ buf[start], 0x01000193);
      hash = Math.imul(hash ^ buf[end - 1], 0x01000193);
      hash = Math.imul(hash ^ buf[start + (n >> 1)], 0x01000193);
      hash = Math.imul(hash ^ buf[start + (n >> 2)], 0x01000193);
      const slot = (hash ^ (hash >>> 15)) & (INTERN_SLOTS - 1);
      const known = internTable[slot];
      if (known !== undefined && known.length === n) {
        let i = 0;
        while (i < n && known.charCodeAt(i) === buf[start + i]) i++;
        if (i === n) return known;
      }
      if (!isAscii(buf, start, end)) return strictUtf8.decode(buf.subarray(start, end));
      const text = latin1Slice(buf, start, end);
      internTable[slot] = text;
      return text;
    }
    return isAscii(buf, start, end) ? latin1Slice(buf, start, end) : strictUtf8.decode(buf.subarray(start, end));
  }

  /** Skips one field of `wireType` (protobufjs `skipType`, groups included). */
  skipType(wireType: number, depth: number, fieldNumber: number): void {
    if (depth > RECURSION_LIMIT) throw Error('max depth exceeded');
    if (fieldNumber === 0) throw Error('illegal tag: field number 0');
    switch (wireType) {
      case 0:
        do {
          if (this.pos >= this.len) throw outOfRange(this);
        } while (this.buf[this.pos++] & 128);
        return;
      case 1:
        this.skip(8);
        return;
      case 2:
        this.skip(this.size());
        return;
      case 3:
        for (;;) {
          const tag = this.tag();
          const nested = tag >>> 3;
          const type = tag & 7;
          if (!nested) throw Error('illegal tag: field number 0');
          if (type === 4) {
            if (nested !== fieldNumber) throw Error('invalid end group tag');
            return;
          }
          this.skipType(type, depth + 1, nested);
        }
      case 5:
        this.skip(4);
        return;
      default:
        throw Error(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  /** Skips `length` bytes. */
  skip(length: number): void {
    if (this.pos + length > this.len) throw outOfRange(this);
    this.pos += length;
  }

  /**
   * Runs one of the schema's generated decoders (see protobufjs-private.ts) on the
   * length-delimited message at the reader's position, as the message at nesting `depth`;
   * `into` merges a repeated occurrence into the first.
   */
  nested(decode: NestedDecoder, depth: number, into?: object | null): object {
    const length = this.size();
    const pr = (this.generatedReader ??= protobuf.Reader.create(this.buf));
    pr.pos = this.pos;
    pr.len = this.len;
    const message = decode(pr, length, depth, into);
    this.pos = pr.pos;
    return message;
  }
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  let high = 0;
  for (let i = start; i < end; i++) high |= buf[i];
  return high < 128;
}


function outOfRange(r: WireReader): RangeError {
  return RangeError(`index out of range: ${r.pos} + 1 > ${r.len}`);
}
