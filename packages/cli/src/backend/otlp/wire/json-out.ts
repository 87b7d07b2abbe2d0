/**
 * A growable UTF-8 byte buffer for writing JSON text without building JS values first: literals,
 * strings copied from protobuf bytes, base64, and numbers formatted the way `JSON.stringify` and
 * protobufjs' `toObject` (longs as strings) would format them.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

// Standard base64 with padding, what protobufjs' `util.base64.encode` writes for bytes fields.
const BASE64 = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));

/** Copies shorter than this are a byte loop: cheaper than `subarray` + `set` for ids and keys. */
const SHORT_COPY = 48;

/** JSON text being written into one buffer that doubles when full. */
export class JsonOut {
  /** The bytes written so far are `buf[0, pos)`. */
  buf: Buffer;
  pos = 0;

  constructor(capacity = 4096) {
    this.buf = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One ASCII byte (room must have been ensured). */
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Bytes copied as they are. */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    if (n < SHORT_COPY) {
      for (let i = start; i < end; i++) buf[pos++] = src[i]!;
    } else {
      buf.set(src.subarray(start, end), pos);
      pos += n;
    }
    this.pos = pos;
  }

  /**
   * A JSON string from UTF-8 bytes, exactly as `JSON.stringify` writes the decoded string. The
   * bytes must be valid UTF-8 (the caller checks): then only `"`, `\` and control characters need
   * escaping, and bytes that need none are copied without decoding.
   */
  utf8String(src: Uint8Array, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const b = src[i]!;
      if (b < 0x20 || b === QUOTE || b === BACKSLASH) {
        this.jsString(Buffer.from(src.buffer, src.byteOffset + start, end - start).toString('utf8'));
        return;
      }
    }
    this.ensure(end - start + 2);
    this.buf[this.pos++] = QUOTE;
    this.copy(src, start, end);
    this.buf[this.pos++] = QUOTE;
  }

  /** A JS string as a JSON string (`JSON.stringify` escapes it). */
  jsString(value: string): void {
    this.ascii(JSON.stringify(value), true);
  }

  /** Text with no escaping; `utf8` when it may hold non-ASCII characters. */
  ascii(text: string, utf8 = false): void {
    this.ensure(utf8 ? text.length * 3 : text.length);
    this.pos += this.buf.write(text, this.pos, utf8 ? 'utf8' : 'latin1');
  }

  /** Bytes as a quoted base64 string. */
  base64(src: Uint8Array, start: number, end: number): void {
    this.ensure(Math.ceil((end - start) / 3) * 4 + 2);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = QUOTE;
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
      buf[pos++] = BASE64[n >>> 18]!;
      buf[pos++] = BASE64[(n >>> 12) & 63]!;
      buf[pos++] = BASE64[(n >>> 6) & 63]!;
      buf[pos++] = BASE64[n & 63]!;
    }
    if (i < end) {
      const n = (src[i]! << 16) | (i + 1 < end ? src[i + 1]! << 8 : 0);
      buf[pos++] = BASE64[n >>> 18]!;
      buf[pos++] = BASE64[(n >>> 12) & 63]!;
      buf[pos++] = i + 1 < end ? BASE64[(n >>> 6) & 63]! : 0x3d;
      buf[pos++] = 0x3d;
    }
    buf[pos++] = QUOTE;
    this.pos = pos;
  }

  /** A non-negative integer below 2^53 in decimal. */
  uint(n: number): void {
    this.ensure(16);
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
  }

  /** A 32-bit signed integer in decimal. */
  int(n: number): void {
    if (n < 0) {
      this.ensure(1);
      this.buf[this.pos++] = 0x2d;
      n = -n;
    }
    this.uint(n);
  }

  /** An unsigned 64-bit integer given as two unsigned 32-bit halves, in decimal. */
  uint64(lo: number, hi: number): void {
    if (hi < 0x200000) {
      this.uint(hi * 4294967296 + lo); // below 2^53: exact as a double
      return;
    }
    // hi·2^32 + lo = (hi·4294)·10^6 + (hi·967296 + lo), both parts exact as doubles.
    let high = hi * 4294;
    let low = hi * 967296 + lo;
    const carry = Math.floor(low / 1e6);
    high += carry;
    low -= carry * 1e6;
    this.uint(high);
    this.ensure(6);
    const buf = this.buf;
    for (let p = this.pos + 5; p >= this.pos; p--) {
      const q = Math.floor(low / 10);
      buf[p] = 48 + (low - q * 10);
      low = q;
    }
    this.pos += 6;
  }

  /** A signed (two's complement) 64-bit integer given as two unsigned 32-bit halves, in decimal. */
  int64(lo: number, hi: number): void {
    if (hi >= 0x80000000) {
      this.ensure(1);
      this.buf[this.pos++] = 0x2d;
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    this.uint64(lo, hi);
  }

  /** A double as protobufjs' JSON conversion gives it: finite as JSON numbers, others as strings. */
  double(v: number): void {
    if (Number.isFinite(v)) this.ascii(String(v)); // String(-0) is "0", as JSON.stringify writes it
    else this.ascii(`"${String(v)}"`);
  }

  /** The text written, as one Buffer over the same memory. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
