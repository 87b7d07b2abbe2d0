/**
 * The fast path of OTLP/protobuf trace request decoding: the receivers' decoder, written by hand
 * for the ingest path. Its reference is protobufjs (../testing/reference-decoder.ts), which
 * fast-request-decoder.test.ts compares it with.
 * It walks every byte with protobufjs' rules (so it rejects exactly the requests
 * `ExportTraceServiceRequest.decode` rejects) but builds only plain objects: no message classes,
 * no oneof bookkeeping, times as bigint, no Long for ordinary ints, repeated strings interned.
 * Events and links, which nothing on the ingest path reads, are checked in the walk and decoded
 * from the span's own bytes only when first read. Each span keeps the bytes it came in, so the
 * store writes them as received. Resources and scopes (a few per request) go through the
 * schema's generated decoders, so their objects are exactly protobufjs'.
 */
import type protobuf from 'protobufjs';
import { otlpTypes } from '../schema.ts';
import type {
  AnyValue,
  ExportTraceServiceRequest,
  KeyValue,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpSpanStatus,
  Resource,
  InstrumentationScope,
  ResourceSpans,
  ScopeSpans,
  Span,
} from '../model/types.ts';
import { nestedDecoder, type NestedDecoder } from './protobufjs-private.ts';
import { RECURSION_LIMIT, WireReader } from './wire-reader.ts';

const EMPTY_BYTES: Uint8Array = Buffer.alloc(0);
const LEN = 2; // wire type: length-delimited
const VARINT = 0;
const I64 = 1;
const I32 = 5;

const ScopeSpansType = otlpTypes.ResourceSpans.fields.scopeSpans.resolve().resolvedType as protobuf.Type;
const decodeResource = nestedDecoder(otlpTypes.ResourceSpans.fields.resource.resolve().resolvedType as protobuf.Type);
const decodeScope = nestedDecoder(ScopeSpansType.fields.scope.resolve().resolvedType as protobuf.Type);

/** The wire type each Span field (by number) is read with; any other is skipped, as protobufjs does. */
const SPAN_WIRE_TYPES = [-1, LEN, LEN, LEN, LEN, LEN, VARINT, I64, I64, LEN, VARINT, LEN, VARINT, LEN, VARINT, LEN, I32];
/** The same for AnyValue's members (1 string ... 7 bytes). */
const ANY_VALUE_WIRE_TYPES = [-1, LEN, VARINT, VARINT, I64, LEN, LEN, LEN];

const SPAN_HAS_EVENTS = 1;
const SPAN_HAS_LINKS = 2;

/**
 * A span as the receivers decode it: every field of {@link Span}, events and links decoded on
 * first read. Its received bytes are private (invisible to JSON, spread and deep-equality).
 */
export class ReceivedSpan implements Span {
  traceId: Uint8Array = EMPTY_BYTES;
  spanId: Uint8Array = EMPTY_BYTES;
  traceState = '';
  parentSpanId: Uint8Array = EMPTY_BYTES;
  flags = 0;
  name = '';
  kind = 0;
  startTimeUnixNano: bigint = 0n;
  endTimeUnixNano: bigint = 0n;
  attributes: KeyValue[] = [];
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  status: OtlpSpanStatus | null = null;
  readonly #bytes: Uint8Array;
  #lazy = 0;
  #events: OtlpSpanEvent[] | undefined;
  #links: OtlpSpanLink[] | undefined;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get events(): OtlpSpanEvent[] {
    this.#events ??= this.#lazy & SPAN_HAS_EVENTS ? (decodeLater(this.#bytes, 11) as OtlpSpanEvent[]) : [];
    return this.#events;
  }

  set events(value: OtlpSpanEvent[]) {
    this.#events = value;
  }

  get links(): OtlpSpanLink[] {
    this.#links ??= this.#lazy & SPAN_HAS_LINKS ? (decodeLater(this.#bytes, 13) as OtlpSpanLink[]) : [];
    return this.#links;
  }

  set links(value: OtlpSpanLink[]) {
    this.#links = value;
  }

  /** The OTLP `Span` bytes the span was decoded from. */
  static bytesOf(span: ReceivedSpan): Uint8Array {
    return span.#bytes;
  }

  /** Marks which lazily decoded lists the bytes hold (set by the decoder). */
  static markLazy(span: ReceivedSpan, flags: number): void {
    span.#lazy = flags;
  }
}

/**
 * Decodes an ExportTraceServiceRequest. Accepts and rejects what protobufjs does, throwing its
 * error classes (RangeError on truncation, Error on bad wire types, tags, lengths and depth,
 * TypeError on invalid UTF-8).
 */
export function decodeTracesRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  const r = new WireReader(bytes);
  const state: WalkState = { r, lastTraceId: EMPTY_BYTES };
  const resourceSpans: ResourceSpans[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === 1 && (tag & 7) === LEN) resourceSpans.push(decodeResourceSpans(state, 1));
    else r.skipType(tag & 7, 0, tag >>> 3);
  }
  return { resourceSpans };
}

interface WalkState {
  r: WireReader;
  /** The previous span's trace id: spans of a trace share one object. */
  lastTraceId: Uint8Array;
}

/** Enters a length-delimited message at `depth`; returns the outer limit to restore with {@link leave}. */
function enter(r: WireReader, depth: number): number {
  const length = r.size();
  if (depth > RECURSION_LIMIT) throw Error('max depth exceeded');
  const end = r.pos + length;
  if (end > r.len) throw RangeError('index out of range');
  const outer = r.len;
  r.len = end;
  return outer;
}

function leave(r: WireReader, outer: number): void {
  if (r.pos !== r.len) throw RangeError('index out of range');
  r.len = outer;
}

/**
 * ResourceSpans and ScopeSpans have one shape: a header decoded by the schema's generated
 * decoder (1: resource / scope), a list of the next level (2: scopeSpans / spans) and a schema
 * URL (3). A repeated header merges into the first, as in protobufjs.
 */
function decodeGroup<Header, Item>(
  state: WalkState,
  depth: number,
  decodeHeader: NestedDecoder,
  decodeItem: (state: WalkState, depth: number) => Item,
): { header: Header | null; items: Item[]; schemaUrl: string } {
  const r = state.r;
  const outer = enter(r, depth);
  let header: Header | null = null;
  const items: Item[] = [];
  let schemaUrl = '';
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    if ((tag & 7) === LEN) {
      if (field === 1) {
        header = r.nested(decodeHeader, depth + 1, header as object | null) as Header;
        continue;
      }
      if (field === 2) {
        items.push(decodeItem(state, depth + 1));
        continue;
      }
      if (field === 3) {
        schemaUrl = r.string();
        continue;
      }
    }
    r.skipType(tag & 7, depth, field);
  }
  leave(r, outer);
  return { header, items, schemaUrl };
}

function decodeResourceSpans(state: WalkState, depth: number): ResourceSpans {
  const group = decodeGroup<Resource, ScopeSpans>(state, depth, decodeResource, decodeScopeSpans);
  return { resource: group.header, scopeSpans: group.items, schemaUrl: group.schemaUrl };
}

function decodeScopeSpans(state: WalkState, depth: number): ScopeSpans {
  const group = decodeGroup<InstrumentationScope, Span>(state, depth, decodeScope, decodeSpan);
  return { scope: group.header, spans: group.items, schemaUrl: group.schemaUrl };
}

function decodeSpan(state: WalkState, depth: number): ReceivedSpan {
  const r = state.r;
  const outer = enter(r, depth);
  const span = new ReceivedSpan(r.buf.subarray(r.pos, r.len));
  let lazy = 0;
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field < SPAN_WIRE_TYPES.length && SPAN_WIRE_TYPES[field] === type) {
      switch (field) {
        case 1:
          span.traceId = sharedTraceId(state, r.bytes());
          continue;
        case 2:
          span.spanId = orEmpty(r.bytes());
          continue;
        case 3:
          span.traceState = r.string();
          continue;
        case 4:
          span.parentSpanId = orEmpty(r.bytes());
          continue;
        case 5:
          span.name = r.string();
          continue;
        case 6:
          span.kind = r.uint32() | 0;
          continue;
        case 7:
          span.startTimeUnixNano = r.fixed64();
          continue;
        case 8:
          span.endTimeUnixNano = r.fixed64();
          continue;
        case 9:
          span.attributes.push(decodeKeyValue(r, depth + 1, true)!);
          continue;
        case 10:
          span.droppedAttributesCount = r.uint32();
          continue;
        case 11:
          decodeEvent(r, depth + 1, false);
          lazy |= SPAN_HAS_EVENTS;
          continue;
        case 12:
          span.droppedEventsCount = r.uint32();
          continue;
        case 13:
          decodeLink(r, depth + 1, false);
          lazy |= SPAN_HAS_LINKS;
          continue;
        case 14:
          span.droppedLinksCount = r.uint32();
          continue;
        case 15:
          span.status = decodeStatus(r, depth + 1, span.status);
          continue;
        case 16:
          span.flags = r.fixed32();
          continue;
      }
    }
    r.skipType(type, depth, field);
  }
  leave(r, outer);
  if (lazy) ReceivedSpan.markLazy(span, lazy);
  return span;
}

function orEmpty(bytes: Uint8Array): Uint8Array {
  return bytes.length ? bytes : EMPTY_BYTES;
}

/** The trace id, as the previous span's object when the bytes are the same. */
function sharedTraceId(state: WalkState, id: Uint8Array): Uint8Array {
  const last = state.lastTraceId;
  if (id.length === last.length && id.length !== 0) {
    let i = 0;
    while (i < id.length && id[i] === last[i]) i++;
    if (i === id.length) return last;
  }
  if (id.length === 0) return EMPTY_BYTES;
  state.lastTraceId = id;
  return id;
}

/** Decodes the span's events (field 11) or links (13) from its own, already checked bytes. */
function decodeLater(bytes: Uint8Array, wanted: 11 | 13): unknown[] {
  const r = new WireReader(bytes);
  const out: unknown[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === wanted && (tag & 7) === LEN) out.push(wanted === 11 ? decodeEvent(r, 1, true) : decodeLink(r, 1, true));
    else r.skipType(tag & 7, 0, tag >>> 3);
  }
  return out;
}

function decodeStatus(r: WireReader, depth: number, into: OtlpSpanStatus | null): OtlpSpanStatus {
  const outer = enter(r, depth);
  const status = into ?? { message: '', code: 0 };
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field === 2 && type === LEN) status.message = r.string();
    else if (field === 3 && type === VARINT) status.code = r.uint32() | 0;
    else r.skipType(type, depth, field);
  }
  leave(r, outer);
  return status;
}

/** A Span.Event; with `build` false only checks it. */
function decodeEvent(r: WireReader, depth: number, build: boolean): OtlpSpanEvent | undefined {
  const outer = enter(r, depth);
  let timeUnixNano = 0n;
  let name = '';
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && type === I64) timeUnixNano = r.fixed64();
    else if (field === 2 && type === LEN) {
      if (build) name = r.string();
      else r.skipString();
    } else if (field === 3 && type === LEN) {
      const kv = decodeKeyValue(r, depth + 1, build);
      if (kv) attributes.push(kv);
    } else if (field === 4 && type === VARINT) droppedAttributesCount = r.uint32();
    else r.skipType(type, depth, field);
  }
  leave(r, outer);
  return build ? { timeUnixNano, name, attributes, droppedAttributesCount } : undefined;
}

/** A Span.Link; with `build` false only checks it. */
function decodeLink(r: WireReader, depth: number, build: boolean): OtlpSpanLink | undefined {
  const outer = enter(r, depth);
  let traceId = EMPTY_BYTES;
  let spanId = EMPTY_BYTES;
  let traceState = '';
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && type === LEN) traceId = orEmpty(r.bytes());
    else if (field === 2 && type === LEN) spanId = orEmpty(r.bytes());
    else if (field === 3 && type === LEN) {
      if (build) traceState = r.string();
      else r.skipString();
    } else if (field === 4 && type === LEN) {
      const kv = decodeKeyValue(r, depth + 1, build);
      if (kv) attributes.push(kv);
    } else if (field === 5 && type === VARINT) droppedAttributesCount = r.uint32();
    else if (field === 6 && type === I32) flags = r.fixed32();
    else r.skipType(type, depth, field);
  }
  leave(r, outer);
  return build ? { traceId, spanId, traceState, attributes, droppedAttributesCount, flags } : undefined;
}

/** A KeyValue; with `build` false only checks it. A second `value` merges into the first, as in protobufjs. */
function decodeKeyValue(r: WireReader, depth: number, build: boolean): KeyValue | undefined {
  const outer = enter(r, depth);
  let key = '';
  let value: AnyValue | null = null;
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && type === LEN) {
      if (build) key = r.string();
      else r.skipString();
    } else if (field === 2 && type === LEN) value = decodeAnyValue(r, depth + 1, value, build);
    else r.skipType(type, depth, field);
  }
  leave(r, outer);
  return build ? { key, value } : undefined;
}

/**
 * An AnyValue: the last member set wins (a oneof), and a repeated array or kvlist member merges
 * its values into the one before, as protobufjs' generated decoder does. Returns null unbuilt.
 */
function decodeAnyValue(r: WireReader, depth: number, into: AnyValue | null, build: boolean): AnyValue | null {
  const outer = enter(r, depth);
  let kind = into?.value;
  let member: unknown = kind === undefined ? undefined : into![kind];
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field < ANY_VALUE_WIRE_TYPES.length && ANY_VALUE_WIRE_TYPES[field] === type) {
      switch (field) {
        case 1:
          if (build) member = r.string();
          else r.skipString();
          kind = 'stringValue';
          continue;
        case 2:
          member = r.bool();
          kind = 'boolValue';
          continue;
        case 3:
          member = r.int64();
          kind = 'intValue';
          continue;
        case 4:
          member = r.double();
          kind = 'doubleValue';
          continue;
        case 5:
          member = decodeValues(r, depth + 1, kind === 'arrayValue' ? (member as { values: unknown[] }) : undefined, build, false);
          kind = 'arrayValue';
          continue;
        case 6:
          member = decodeValues(r, depth + 1, kind === 'kvlistValue' ? (member as { values: unknown[] }) : undefined, build, true);
          kind = 'kvlistValue';
          continue;
        case 7:
          member = r.bytes();
          kind = 'bytesValue';
          continue;
      }
    }
    r.skipType(type, depth, field);
  }
  leave(r, outer);
  if (!build) return null;
  switch (kind) {
    case 'stringValue':
      return { value: kind, stringValue: member as string };
    case 'intValue':
      return { value: kind, intValue: member as number };
    case 'boolValue':
      return { value: kind, boolValue: member as boolean };
    case 'doubleValue':
      return { value: kind, doubleValue: member as number };
    case 'arrayValue':
      return { value: kind, arrayValue: member as AnyValue['arrayValue'] };
    case 'kvlistValue':
      return { value: kind, kvlistValue: member as AnyValue['kvlistValue'] };
    case 'bytesValue':
      return { value: kind, bytesValue: member as Uint8Array };
    default:
      return {};
  }
}

/** An ArrayValue (`keyValues` false) or KeyValueList: `values` appended to `into` when merging. */
function decodeValues(r: WireReader, depth: number, into: { values: unknown[] } | undefined, build: boolean, keyValues: boolean): { values: unknown[] } {
  const outer = enter(r, depth);
  const list = into ?? { values: [] };
  while (r.pos < r.len) {
    const tag = r.tag();
    const type = tag & 7;
    const field = tag >>> 3;
    if (field === 1 && type === LEN) {
      const value = keyValues ? decodeKeyValue(r, depth + 1, build) : decodeAnyValue(r, depth + 1, null, build);
      if (build) list.values.push(value);
    } else r.skipType(type, depth, field);
  }
  leave(r, outer);
  return list;
}

/**
 * The OTLP `Span` bytes `span` was decoded from by `decodeProtobufRequest`, or undefined (a span
 * from JSON or Zipkin, or built by hand). Keeping them lets the store write a span as received
 * instead of encoding it again (the costliest part of a push). Whoever changes a decoded span
 * must not hand it on with these bytes: they describe the span as received.
 */
export function receivedSpanBytes(span: object): Uint8Array | undefined {
  return span instanceof ReceivedSpan ? ReceivedSpan.bytesOf(span) : undefined;
}
