/**
 * Decodes Tempo's protobuf trace answer (`tempopb.TraceByIDResponse`, asked for with
 * `Accept: application/protobuf`) into the same OTLP shape the JSON answer has, with hex ids.
 * The protobuf answer is less than half the JSON's size and cheaper for the server to write and
 * the browser to read, which is most of a big trace's first render. Written here for the few
 * OTLP messages the UI reads (field numbers from opentelemetry/proto/trace/v1 and common/v1):
 * a protobuf library would add more to the bundle than this whole file.
 */
import type { AnyValue, KeyValue, OtlpEvent, OtlpLink, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, TraceByIdResponse } from './tempo-types.ts';

const utf8 = new TextDecoder();
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// One decode at a time: the bytes and the cursor are module state, and each message is read by a
// plain loop up to its end offset. A reader object and a callback per field made the garbage
// collector the main cost on a 5,000-span trace.
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;

const truncated = () => new Error('protobuf: truncated message');

/** A varint up to 2^53 as a number (tags, lengths, enums). */
function uint(): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw truncated();
    const b = buf[pos++];
    result += (b & 0x7f) * mul;
    if (b < 0x80) return result;
    mul *= 128;
  }
  throw new Error('protobuf: varint too long');
}

/** A varint as a signed 64-bit integer in decimal (OTLP JSON writes int64 as a string). */
function int64(): string {
  const start = pos;
  const small = uint();
  if (small <= Number.MAX_SAFE_INTEGER && pos - start < 8) return String(small);
  let result = 0n;
  let shift = 0n;
  for (let p = start; p < pos; p++) {
    result |= BigInt(buf[p] & 0x7f) << shift;
    shift += 7n;
  }
  return BigInt.asIntN(64, result).toString();
}

function fixed32(): number {
  if (pos + 4 > buf.length) throw truncated();
  const v = (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16)) + buf[pos + 3] * 0x1000000;
  pos += 4;
  return v;
}

/** fixed64 as an unsigned decimal string (nanosecond timestamps exceed 2^53). */
function fixed64(): string {
  const lo = fixed32();
  const hi = fixed32();
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function double(): number {
  if (pos + 8 > buf.length) throw truncated();
  const v = new DataView(buf.buffer, buf.byteOffset + pos, 8).getFloat64(0, true);
  pos += 8;
  return v;
}

/** Reads a length prefix and returns where that field ends. */
function end(): number {
  const len = uint();
  const e = pos + len;
  if (e > buf.length) throw truncated();
  return e;
}

function string(): string {
  const e = end();
  // Short ASCII (most keys and values) without TextDecoder's per-call cost.
  if (e - pos <= 64) {
    let out = '';
    let p = pos;
    for (; p < e; p++) {
      const c = buf[p];
      if (c >= 0x80) break;
      out += String.fromCharCode(c);
    }
    if (p === e) {
      pos = e;
      return out;
    }
  }
  const out = utf8.decode(buf.subarray(pos, e));
  pos = e;
  return out;
}

function hex(): string {
  const e = end();
  let out = '';
  for (; pos < e; pos++) out += HEX[buf[pos]];
  return out;
}

function base64(): string {
  const e = end();
  let bin = '';
  for (; pos < e; pos++) bin += String.fromCharCode(buf[pos]);
  return btoa(bin);
}

function skip(tag: number): void {
  const wt = tag & 7;
  if (wt === 0) uint();
  else if (wt === 1) pos += 8;
  else if (wt === 2) pos = end();
  else if (wt === 5) pos += 4;
  else throw new Error(`protobuf: unsupported wire type ${wt}`);
  if (pos > buf.length) throw truncated();
}

// Tags are (field number << 3) | wire type: 10 is field 1 length-delimited, 8 field 1 varint, ….

function anyValue(e: number): AnyValue {
  const v: AnyValue = {};
  while (pos < e) {
    const tag = uint();
    if (tag === 10) v.stringValue = string();
    else if (tag === 16) v.boolValue = uint() !== 0;
    else if (tag === 24) v.intValue = int64();
    else if (tag === 33) v.doubleValue = double();
    else if (tag === 42) v.arrayValue = { values: values(end(), anyValue) };
    else if (tag === 50) v.kvlistValue = { values: values(end(), keyValue) };
    else if (tag === 58) v.bytesValue = base64();
    else skip(tag);
  }
  return v;
}

function keyValue(e: number): KeyValue {
  const kv: KeyValue = { key: '' };
  while (pos < e) {
    const tag = uint();
    if (tag === 10) kv.key = string();
    else if (tag === 18) kv.value = anyValue(end());
    else skip(tag);
  }
  return kv;
}

/** Field 1, repeated (ArrayValue, KeyValueList, Resource's attributes, Trace's resourceSpans). */
function values<T>(e: number, decode: (e: number) => T): T[] {
  const out: T[] = [];
  while (pos < e) {
    const tag = uint();
    if (tag === 10) out.push(decode(end()));
    else skip(tag);
  }
  return out;
}

function event(e: number): OtlpEvent {
  const ev: OtlpEvent = { attributes: [] };
  while (pos < e) {
    const tag = uint();
    if (tag === 9) ev.timeUnixNano = fixed64();
    else if (tag === 18) ev.name = string();
    else if (tag === 26) ev.attributes!.push(keyValue(end()));
    else skip(tag);
  }
  return ev;
}

function link(e: number): OtlpLink {
  const l: OtlpLink = { attributes: [] };
  while (pos < e) {
    const tag = uint();
    if (tag === 10) l.traceId = hex();
    else if (tag === 18) l.spanId = hex();
    else if (tag === 34) l.attributes!.push(keyValue(end()));
    else skip(tag);
  }
  return l;
}

function status(e: number): { code?: number; message?: string } {
  const st: { code?: number; message?: string } = {};
  while (pos < e) {
    const tag = uint();
    if (tag === 18) st.message = string();
    else if (tag === 24) st.code = uint();
    else skip(tag);
  }
  return st;
}

/**
 * A span's attributes, decoded from `bytes` the first time they are read. Most of a trace's bytes
 * and objects are its span attributes, and the first render needs none of them.
 */
function lazyAttributes(s: OtlpSpan, bytes: Uint8Array, ranges: number[]): void {
  let cache: KeyValue[] | undefined;
  Object.defineProperty(s, 'attributes', {
    enumerable: true,
    configurable: true,
    get(): KeyValue[] {
      if (cache === undefined) {
        const [savedBuf, savedPos] = [buf, pos];
        buf = bytes;
        const out: KeyValue[] = [];
        try {
          for (let i = 0; i < ranges.length; i += 2) {
            pos = ranges[i];
            out.push(keyValue(ranges[i + 1]));
          }
          cache = out;
        } catch (err) {
          // Read during rendering: a bad attribute shows as such instead of breaking the page.
          cache = [...out, { key: '(undecodable attribute)', value: { stringValue: err instanceof Error ? err.message : String(err) } }];
        } finally {
          [buf, pos] = [savedBuf, savedPos];
        }
      }
      return cache;
    },
  });
}

function span(e: number): OtlpSpan {
  const s: OtlpSpan = { events: [], links: [] };
  /** Start and end offsets of each attribute (decoded when read: lazyAttributes). */
  const attrs: number[] = [];
  while (pos < e) {
    const tag = uint();
    switch (tag) {
      case 10: s.traceId = hex(); break;
      case 18: s.spanId = hex(); break;
      case 34: s.parentSpanId = hex(); break;
      case 42: s.name = string(); break;
      case 48: s.kind = uint(); break;
      case 57: s.startTimeUnixNano = fixed64(); break;
      case 65: s.endTimeUnixNano = fixed64(); break;
      case 74: {
        const ae = end();
        attrs.push(pos, ae);
        pos = ae;
        break;
      }
      case 90: s.events!.push(event(end())); break;
      case 106: s.links!.push(link(end())); break;
      case 122: s.status = status(end()); break;
      default: skip(tag);
    }
  }
  if (attrs.length) lazyAttributes(s, buf, attrs);
  else s.attributes = [];
  return s;
}

function scopeSpans(e: number): OtlpScopeSpans {
  const ss: OtlpScopeSpans = { spans: [] };
  while (pos < e) {
    const tag = uint();
    if (tag === 10) {
      const se = end();
      const scope: { name?: string; version?: string } = {};
      while (pos < se) {
        const t = uint();
        if (t === 10) scope.name = string();
        else if (t === 18) scope.version = string();
        else skip(t);
      }
      ss.scope = scope;
    } else if (tag === 18) ss.spans!.push(span(end()));
    else skip(tag);
  }
  return ss;
}

function resourceSpans(e: number): OtlpResourceSpans {
  const rs: OtlpResourceSpans = { resource: { attributes: [] }, scopeSpans: [] };
  while (pos < e) {
    const tag = uint();
    if (tag === 10) rs.resource = { attributes: values(end(), keyValue) };
    else if (tag === 18) rs.scopeSpans!.push(scopeSpans(end()));
    else skip(tag);
  }
  return rs;
}

/**
 * `tempopb.TraceByIDResponse` (v2: `trace` = 1, `message` = 4) to the v2 JSON's shape.
 * @throws Error on bytes that are not such a message.
 */
export function decodeTraceByIdProto(bytes: Uint8Array): TraceByIdResponse {
  buf = bytes;
  pos = 0;
  try {
    const out: TraceByIdResponse = { trace: { resourceSpans: [] } };
    while (pos < buf.length) {
      const tag = uint();
      if (tag === 10) out.trace = { resourceSpans: values(end(), resourceSpans) };
      else if (tag === 34) out.message = string();
      else skip(tag);
    }
    return out;
  } finally {
    buf = new Uint8Array(0);
  }
}
