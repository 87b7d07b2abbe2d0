/**
 * The protobuf wire primitives the span encoder needs, over one growable Buffer. Nested messages
 * reserve one byte for their length and move their body only when it turns out longer than 127
 * bytes, so every length is the minimal varint protobuf's own writers produce (the output is byte
 * for byte the official serializer's, see encode-traces.test.ts).
 */
export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** The bytes written, in a buffer of their own (the exporter may hold them while it retries). */
  finish(): Uint8Array {
    return this.pos === this.buf.length ? this.buf : this.buf.subarray(0, this.pos);
  }

  ensure(more: number): void {
    const needed = this.pos + more;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A field key: field number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
  tag(field: number, wireType: number): void {
    this.varint32((field << 3) | wireType);
  }

  /** An unsigned varint of at most 32 bits. */
  varint32(value: number): void {
    this.ensure(5);
    let v = value >>> 0;
    const buf = this.buf;
    let pos = this.pos;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /**
   * A varint of any integer a double holds: negatives as 64-bit two's complement (ten bytes), as
   * protobuf encodes int64. Anything that is not a non-negative 32-bit integer takes this path.
   */
  varint(value: number): void {
    if (value >= 0 && value <= 0xffffffff) {
      this.varint32(value);
      return;
    }
    const abs = Math.abs(value);
    let low = abs >>> 0;
    let high = (abs / 0x100000000) >>> 0;
    if (!(value >= 0)) {
      // Two's complement (NaN, from a missing count, ends up as 0 like the reference writer's).
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (high > 0 || low > 0x7f) {
      buf[pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[pos++] = low & 0x7f;
    this.pos = pos;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(low >>> 0, this.pos);
    this.buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * An OpenTelemetry HrTime ([seconds, nanoseconds]) as fixed64 nanoseconds. seconds × 1e9
   * exceeds 2^53, so it is built from the low 16 bits and the rest of the seconds separately,
   * every product staying an exact double.
   */
  hrTime(time: readonly [number, number]): void {
    const seconds = time[0];
    const lowPart = (seconds & 0xffff) * 1e9 + time[1]; // < 2^47
    const highPart = ((seconds / 0x10000) >>> 0) * 1e9; // to be shifted left by 16 bits
    const low = (lowPart % 0x100000000) + (highPart % 0x10000) * 0x10000;
    const high = Math.floor(lowPart / 0x100000000) + Math.floor(highPart / 0x10000) + Math.floor(low / 0x100000000);
    this.fixed64(low % 0x100000000, high);
  }

  /** A length-prefixed UTF-8 string (lone surrogates become U+FFFD, as TextEncoder does). */
  string(value: string): void {
    const length = value.length;
    this.ensure(length * 3 + 5);
    if (length < 64) {
      // Short ASCII (most keys and values): copied inline, cheaper than a call into C++.
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) break;
        buf[start + i] = c;
      }
      if (i === length) {
        buf[this.pos] = length;
        this.pos = start + length;
        return;
      }
    }
    const at = this.begin();
    this.pos += this.buf.write(value, this.pos, 'utf8');
    this.end(at);
  }

  /** Length-prefixed bytes. */
  bytes(value: Uint8Array): void {
    this.varint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /**
   * A hex id (trace or span id) as length-prefixed bytes, decoded in place: lowercase, uppercase,
   * and any other character read the way the official `hexToBinary` reads it.
   */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.varint32(n);
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n * 2; i += 2) buf[pos++] = ((nibble(hex.charCodeAt(i)) << 4) | nibble(hex.charCodeAt(i + 1))) & 0xff;
    this.pos = pos;
  }

  /** Starts a nested message: reserves one byte for its length; pass the result to {@link end}. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the nested message begun at `at`: writes its length, moving the body if it needs more than one byte. */
  end(at: number): void {
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const size = length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;
    this.ensure(size - 1);
    this.buf.copyWithin(at + size, at + 1, this.pos);
    this.pos += size - 1;
    let v = length;
    let pos = at;
    while (v > 0x7f) {
      this.buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[pos] = v;
  }
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}
