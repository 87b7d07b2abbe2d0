/**
 * Writes a protobuf message as JSON text straight from its wire bytes, giving the same JSON as
 * protobufjs (8.x) `decode` followed by `toObject` with `{longs: String, enums: String, bytes:
 * String, json: true}` and `JSON.stringify`, without building either object:
 *
 * - fields in field-number order, under their camelCase names; unknown fields (and known field
 *   numbers with another wire type) skipped;
 * - proto3 scalars left out when they hold the default; the last occurrence wins, so a later
 *   default clears an earlier value; oneof members are written even when default, and only the
 *   member seen last;
 * - repeated fields in wire order; a singular message field seen more than once is the merge of
 *   its occurrences (as if its bytes were concatenated, which is what protobufjs does);
 * - 64-bit integers as decimal strings, bytes as base64, enums by name (numbers when unnamed),
 *   NaN and ±Infinity as strings, -0 as 0;
 * - strings must be valid UTF-8 and messages at most 100 deep, or it throws, as protobufjs does
 *   (the wire itself is read by the backend's one WireReader, so it fails where protobufjs fails).
 *
 * Each message is read twice: once to find where its fields are, once to write them in order.
 */
import { isUtf8 } from 'node:buffer';
import type { JsonOut } from './json-out.ts';
import { RECURSION_LIMIT, WireReader } from './wire-reader.ts';
import { FieldKind, MAX_FIELDS_PER_MESSAGE } from './proto-json-spec.ts';
import type { FieldSpec, MessageSpec } from './proto-json-spec.ts';


const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const TRUE = Uint8Array.from('true', (c) => c.charCodeAt(0));
const FALSE = Uint8Array.from('false', (c) => c.charCodeAt(0));

const F = MAX_FIELDS_PER_MESSAGE;


/** Walks wire bytes and writes JSON into a `JsonOut`; reusable, not reentrant. */
export class ProtoJsonWriter {
  /** Position after the last read (the read helpers' second result). */
  private pos = 0;
  /** The second half of the last 64-bit read. */
  private hi = 0;
  /**
   * Per nesting depth: for each field of the message being written, how many times it was seen
   * `[0, F)`, where its first occurrence's tag starts `[F, 2F)`, where its last value starts `[2F, 3F)`.
   */
  private readonly scratch: Int32Array[] = [];
  private reader: WireReader | undefined;
  private readerBytes: Uint8Array | undefined;

  constructor(private readonly out: JsonOut) {}

  /** Writes the message `spec` held in `buf[start, end)` as a JSON object. */
  message(spec: MessageSpec, buf: Uint8Array, start: number, end: number, depth: number): void {
    this.readFrom(buf);
    const oneofCurrent = this.locate(spec, buf, start, end, depth);
    const seen = this.scratch[depth]!;
    const fields = spec.fields;
    const out = this.out;
    out.ensure(1);
    out.byte(OPEN_OBJECT);
    let wrote = false;
    for (let i = 0; i < fields.length; i++) {
      const count = seen[i]!;
      if (count === 0) continue;
      const field = fields[i]!;
      if (field.oneof && i !== oneofCurrent) continue;
      if (field.repeated) {
        this.key(field, wrote);
        wrote = true;
        this.repeated(field, buf, seen[F + i]!, end, count, depth);
      } else if (field.kind === FieldKind.Message) {
        this.key(field, wrote);
        wrote = true;
        if (count === 1) {
          const len = this.size(buf, seen[2 * F + i]!, end);
          this.message(field.message!, buf, this.pos, this.pos + len, depth + 1);
        } else {
          const merged = this.concatOccurrences(field, buf, seen[F + i]!, end);
          this.message(field.message!, merged, 0, merged.length, depth + 1);
          this.readFrom(buf);
        }
      } else {
        if (count > 1 && field.kind === FieldKind.String) this.checkEarlierStrings(field, buf, seen[F + i]!, seen[2 * F + i]!);
        if (this.scalar(field, buf, seen[2 * F + i]!, end, wrote)) wrote = true;
      }
    }
    out.ensure(1);
    out.byte(CLOSE_OBJECT);
  }

  /**
   * Writes the elements of the repeated field `number` of the message `spec` in `buf[start, end)`
   * as a JSON array (`[]` when it has none): how a body that is one list of a message is written.
   */
  elements(spec: MessageSpec, number: number, buf: Uint8Array, start: number, end: number, depth: number): void {
    const index = number < spec.indexOf.length ? spec.indexOf[number]! : -1;
    const field = spec.fields[index];
    if (!field?.repeated) throw new Error(`${spec.name} has no repeated field ${number}`);
    this.readFrom(buf);
    this.locate(spec, buf, start, end, depth);
    const seen = this.scratch[depth]!;
    if (seen[index] === 0) {
      this.out.ensure(2);
      this.out.byte(OPEN_ARRAY);
      this.out.byte(CLOSE_ARRAY);
    } else {
      this.repeated(field, buf, seen[F + index]!, end, seen[index]!, depth);
    }
  }

  /**
   * Pass 1: finds where each field of the message is (into `scratch[depth]`), checking the wire
   * format as it goes; returns the index of the oneof member set last, or -1.
   */
  private locate(spec: MessageSpec, buf: Uint8Array, start: number, end: number, depth: number): number {
    if (depth > RECURSION_LIMIT) throw Error('max depth exceeded');
    const fields = spec.fields;
    const indexOf = spec.indexOf;
    let seen = this.scratch[depth];
    if (!seen) this.scratch[depth] = seen = new Int32Array(3 * F);
    for (let i = 0; i < fields.length; i++) seen[i] = 0;
    let oneofCurrent = -1;
    let replaced = false;
    let pos = start;
    while (pos < end) {
      const tagStart = pos;
      const tag = this.tag(buf, pos, end);
      pos = this.pos;
      const number = tag >>> 3;
      const wireType = tag & 7;
      const index = number < indexOf.length ? indexOf[number]! : -1;
      if (index < 0 || fields[index]!.wireType !== wireType) {
        pos = this.skipField(buf, pos, end, wireType, number, depth);
        continue;
      }
      if (fields[index]!.oneof && oneofCurrent !== index) {
        // Setting a oneof member clears the others (and a member set again after another starts afresh).
        if (oneofCurrent >= 0) replaced = true;
        seen[index] = 0;
        oneofCurrent = index;
      }
      if (seen[index] === 0) seen[F + index] = tagStart;
      seen[index]!++;
      seen[2 * F + index] = pos;
      pos = this.skipKnownValue(buf, pos, end, wireType);
    }
    if (replaced) this.checkReplacedMembers(spec, buf, start, seen[F + oneofCurrent]!, depth);
    return oneofCurrent;
  }

  /**
   * protobufjs decodes a oneof member before a later member replaces it, so it throws on a bad
   * one: the members in `buf[start, end)` are written and the output taken back, to fail alike.
   */
  private checkReplacedMembers(spec: MessageSpec, buf: Uint8Array, start: number, end: number, depth: number): void {
    const out = this.out;
    const mark = out.pos;
    let pos = start;
    while (pos < end) {
      const tag = this.tag(buf, pos, end);
      pos = this.pos;
      const number = tag >>> 3;
      const index = number < spec.indexOf.length ? spec.indexOf[number]! : -1;
      const field = spec.fields[index];
      if (!field || !field.oneof || field.wireType !== (tag & 7) || field.wireType !== 2) {
        pos = this.skipField(buf, pos, end, tag & 7, number, depth);
        continue;
      }
      const len = this.size(buf, pos, end);
      const valueStart = this.pos;
      pos = valueStart + len;
      if (field.kind === FieldKind.Message) this.message(field.message!, buf, valueStart, pos, depth + 1);
      else if (field.kind === FieldKind.String) this.checkUtf8(buf, valueStart, pos);
      out.pos = mark;
    }
  }

  /** `,"name":` (no comma before the first field). */
  private key(field: FieldSpec, comma: boolean): void {
    const key = comma ? field.nextKey : field.key;
    const out = this.out;
    out.ensure(key.length);
    const buf = out.buf;
    let pos = out.pos;
    for (let i = 0; i < key.length; i++) buf[pos++] = key[i]!;
    out.pos = pos;
  }

  /** The elements of a repeated field, from its first occurrence on. */
  private repeated(field: FieldSpec, buf: Uint8Array, from: number, end: number, count: number, depth: number): void {
    const out = this.out;
    out.ensure(1);
    out.byte(OPEN_ARRAY);
    let pos = from;
    for (let written = 0; written < count; ) {
      const tag = this.tag(buf, pos, end);
      pos = this.pos;
      if (tag >>> 3 !== field.number || (tag & 7) !== 2) {
        pos = this.skipField(buf, pos, end, tag & 7, tag >>> 3, depth);
        continue;
      }
      const len = this.size(buf, pos, end);
      const start = this.pos;
      pos = start + len;
      if (written++ > 0) {
        out.ensure(1);
        out.byte(COMMA);
      }
      if (field.kind === FieldKind.Message) this.message(field.message!, buf, start, pos, depth + 1);
      else if (field.kind === FieldKind.String) this.string(buf, start, pos);
      else out.base64(buf, start, pos);
    }
    out.ensure(1);
    out.byte(CLOSE_ARRAY);
  }

  /** The payloads of every occurrence of a message field from `from` on, concatenated. */
  private concatOccurrences(field: FieldSpec, buf: Uint8Array, from: number, end: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let pos = from;
    while (pos < end) {
      const tag = this.tag(buf, pos, end);
      pos = this.pos;
      if (tag >>> 3 === field.number && (tag & 7) === 2) {
        const len = this.size(buf, pos, end);
        parts.push(buf.subarray(this.pos, this.pos + len));
        pos = this.pos + len;
      } else {
        pos = this.skipField(buf, pos, end, tag & 7, tag >>> 3, 0);
      }
    }
    return Buffer.concat(parts);
  }

  /** protobufjs validates every string it reads, also those a later occurrence replaces. */
  private checkEarlierStrings(field: FieldSpec, buf: Uint8Array, from: number, last: number): void {
    let pos = from;
    while (pos < last) {
      const tag = this.tag(buf, pos, last);
      pos = this.pos;
      if (pos === last) return; // the tag of the occurrence that wins, checked when written
      if (tag >>> 3 === field.number && (tag & 7) === 2) {
        const len = this.size(buf, pos, last);
        this.checkUtf8(buf, this.pos, this.pos + len);
        pos = this.pos + len;
      } else {
        pos = this.skipField(buf, pos, last, tag & 7, tag >>> 3, 0);
      }
    }
  }

  /** Writes one scalar field whose value starts at `pos`; false when it is left out as default. */
  private scalar(field: FieldSpec, buf: Uint8Array, pos: number, end: number, comma: boolean): boolean {
    const out = this.out;
    const present = field.oneof; // oneof members are written even when default
    switch (field.kind) {
      case FieldKind.String: {
        const len = this.size(buf, pos, end);
        const start = this.pos;
        if (len === 0 && !present) return false;
        this.key(field, comma);
        this.string(buf, start, start + len);
        return true;
      }
      case FieldKind.Bytes: {
        const len = this.size(buf, pos, end);
        if (len === 0 && !present) return false;
        this.key(field, comma);
        out.base64(buf, this.pos, this.pos + len);
        return true;
      }
      case FieldKind.Bool: {
        const value = this.varintBool(buf, pos, end);
        if (!value && !present) return false;
        this.key(field, comma);
        out.ensure(5);
        const text = value ? TRUE : FALSE;
        for (let i = 0; i < text.length; i++) out.byte(text[i]!);
        return true;
      }
      case FieldKind.Uint32: {
        const value = this.varint32(buf, pos, end);
        if (value === 0 && !present) return false;
        this.key(field, comma);
        out.uint(value);
        return true;
      }
      case FieldKind.Enum: {
        const value = this.varint32(buf, pos, end) | 0;
        if (value === 0 && !present) return false;
        this.key(field, comma);
        const name = field.enumNames!.get(value);
        if (name) out.copy(name, 0, name.length);
        else out.int(value);
        return true;
      }
      case FieldKind.Fixed32: {
        const value = this.fixed32(buf, pos, end);
        if (value === 0 && !present) return false;
        this.key(field, comma);
        out.uint(value);
        return true;
      }
      case FieldKind.Fixed64:
      case FieldKind.Int64:
      case FieldKind.Uint64: {
        const lo = field.kind === FieldKind.Fixed64 ? this.fixed64(buf, pos, end) : this.varint64(buf, pos, end);
        const hi = this.hi;
        if (lo === 0 && hi === 0 && !present) return false;
        this.key(field, comma);
        out.ensure(1);
        out.byte(0x22);
        if (field.kind === FieldKind.Int64) out.int64(lo, hi);
        else out.uint64(lo, hi);
        out.ensure(1);
        out.byte(0x22);
        return true;
      }
      case FieldKind.Double: {
        const value = this.at(buf, pos, end).double();
        if (Object.is(value, 0) && !present) return false;
        this.key(field, comma);
        out.double(value);
        return true;
      }
      default:
        throw new Error(`unexpected field kind ${field.kind}`);
    }
  }

  private string(buf: Uint8Array, start: number, end: number): void {
    // Most strings are ASCII with nothing to escape: copied in the same loop that checks them.
    const out = this.out;
    out.ensure(end - start + 2);
    const dst = out.buf;
    let p = out.pos;
    dst[p++] = 0x22;
    let i = start;
    for (; i < end; i++) {
      const b = buf[i]!;
      if (b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x80) break;
      dst[p++] = b;
    }
    if (i === end) {
      dst[p++] = 0x22;
      out.pos = p;
      return;
    }
    this.checkUtf8(buf, i, end);
    out.utf8String(buf, start, end);
  }

  /** protobufjs reads proto3 strings with a fatal UTF-8 decoder. */
  private checkUtf8(buf: Uint8Array, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        if (!isUtf8(buf.subarray(i, end))) throw new TypeError('malformed protobuf: a string is not valid UTF-8');
        return;
      }
    }
  }

  // -- reading the wire: through the one WireReader, positioned per read --------------------

  /** The reader over `buf` with its range set to `[pos, end)`. */
  private at(_buf: Uint8Array, pos: number, end: number): WireReader {
    const r = this.reader!;
    r.pos = pos;
    r.len = end;
    return r;
  }

  /** Points the reader at `buf` (the message being written, or a merged copy). */
  private readFrom(buf: Uint8Array): void {
    if (this.readerBytes !== buf) {
      this.reader = new WireReader(buf);
      this.readerBytes = buf;
    }
  }

  /** A field tag (`Reader.tag`). */
  private tag(buf: Uint8Array, pos: number, end: number): number {
    const r = this.at(buf, pos, end);
    const tag = r.tag();
    this.pos = r.pos;
    return tag;
  }

  /** A length prefix (`Reader.size`), checked against `end`; `this.pos` is where the value starts. */
  private size(buf: Uint8Array, pos: number, end: number): number {
    const r = this.at(buf, pos, end);
    const valueEnd = r.end();
    this.pos = r.pos;
    return valueEnd - r.pos;
  }

  /** The low 32 bits of a varint of at most 10 bytes (`Reader.uint32`). */
  private varint32(buf: Uint8Array, pos: number, end: number): number {
    const r = this.at(buf, pos, end);
    const value = r.uint32();
    this.pos = r.pos;
    return value;
  }

  /** A varint of at most 10 bytes as a boolean (`Reader.bool`). */
  private varintBool(buf: Uint8Array, pos: number, end: number): boolean {
    const r = this.at(buf, pos, end);
    const value = r.bool();
    this.pos = r.pos;
    return value;
  }

  /** A 64-bit varint: returns the low 32 bits, leaves the high ones in `this.hi`. */
  private varint64(buf: Uint8Array, pos: number, end: number): number {
    const r = this.at(buf, pos, end);
    const lo = r.varint64();
    this.hi = r.hi;
    this.pos = r.pos;
    return lo;
  }

  private fixed32(buf: Uint8Array, pos: number, end: number): number {
    const r = this.at(buf, pos, end);
    const value = r.fixed32();
    this.pos = r.pos;
    return value;
  }

  /** A fixed64: returns the low 32 bits, leaves the high ones in `this.hi`. */
  private fixed64(buf: Uint8Array, pos: number, end: number): number {
    const r = this.at(buf, pos, end);
    const lo = r.fixed32();
    this.hi = r.fixed32();
    this.pos = r.pos;
    return lo;
  }

  /** Skips the value of a known field (its wire type already matched); returns the next position. */
  private skipKnownValue(buf: Uint8Array, pos: number, end: number, wireType: number): number {
    const r = this.at(buf, pos, end);
    if (wireType === 0) r.uint32(); // protobufjs reads known varints with a 10-byte limit
    else if (wireType === 2) r.pos = r.end();
    else r.skip(wireType === 1 ? 8 : 4);
    return r.pos;
  }

  /** Skips an unknown field's value as `Reader.skipType` does; returns the next position. */
  private skipField(buf: Uint8Array, pos: number, end: number, wireType: number, number: number, depth: number): number {
    const r = this.at(buf, pos, end);
    r.skipType(wireType, depth, number);
    return r.pos;
  }
}
