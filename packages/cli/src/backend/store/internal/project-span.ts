/**
 * A stored OTLP `Span` as a QuerySpan holding only the columns a search asked for. protobufjs'
 * Reader walks the span's fields (numbers from the schema); the always-present columns are read
 * in place, each attribute's key is compared as bytes and only wanted values are decoded (by the
 * schema's AnyValue decoder), and events, links and status go through their generated decoders.
 * The result equals the full decode restricted to those columns (project-span.test.ts).
 */
import protobuf from 'protobufjs';
import { setAttribute, type Attributes, type FetchColumns, type QuerySpan } from '../../model.ts';
import { anyValueToAttr } from './any-value.ts';
import { SpanType } from './schema.ts';
import { toEvent, toLink, type DecodedEvent, type DecodedLink, type DecodedResource, type DecodedScope } from './span-parts.ts';

const fieldType = (type: protobuf.Type, name: string): protobuf.Type => type.fields[name].resolve().resolvedType as protobuf.Type;
const KeyValueType = fieldType(SpanType, 'attributes');
const AnyValueType = fieldType(KeyValueType, 'value');
const EventType = fieldType(SpanType, 'events');
const LinkType = fieldType(SpanType, 'links');
const StatusType = fieldType(SpanType, 'status');

type Decode = (r: protobuf.Reader, length: number, endGroup?: undefined, depth?: number, into?: unknown) => unknown;
const decoderOf = (type: protobuf.Type): Decode => {
  type.setup();
  return type.decode.bind(type) as unknown as Decode;
};
const decodeStatus = decoderOf(StatusType);
const decodeEvent = decoderOf(EventType);
const decodeLink = decoderOf(LinkType);

const id = (type: protobuf.Type, name: string): number => type.fields[name].id;
const F = {
  traceId: id(SpanType, 'traceId'),
  spanId: id(SpanType, 'spanId'),
  parentSpanId: id(SpanType, 'parentSpanId'),
  name: id(SpanType, 'name'),
  kind: id(SpanType, 'kind'),
  start: id(SpanType, 'startTimeUnixNano'),
  end: id(SpanType, 'endTimeUnixNano'),
  attributes: id(SpanType, 'attributes'),
  events: id(SpanType, 'events'),
  links: id(SpanType, 'links'),
  status: id(SpanType, 'status'),
  kvKey: id(KeyValueType, 'key'),
  kvValue: id(KeyValueType, 'value'),
};
const VARINT = 0;
const FIXED64 = 1;
const DELIMITED = 2;

const encoder = new TextEncoder();
const keyBytesCache = new Map<string, Uint8Array>();

/** Wanted attribute keys as UTF-8, compared against the stored key bytes without decoding them. */
function wantedKeys(columns: FetchColumns): Uint8Array[] | 'all' {
  if (columns.spanAttributes === 'all') return 'all';
  return columns.spanAttributes.map((key) => {
    let bytes = keyBytesCache.get(key);
    if (!bytes) {
      if (keyBytesCache.size > 1000) keyBytesCache.clear();
      keyBytesCache.set(key, (bytes = encoder.encode(key)));
    }
    return bytes;
  });
}

/** `bytes` is one stored OTLP Span; resource and scope are its already converted headers. */
export function projectSpan(bytes: Uint8Array, columns: FetchColumns, resource: DecodedResource, scope: DecodedScope): QuerySpan {
  // Hex and text straight out of one Buffer: no Buffer per id (no closures either: under tsx
  // each function created at run time costs a defineProperty for its name).
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = protobuf.Reader.create(buf);
  const wanted = wantedKeys(columns);
  let traceId = '';
  let spanId = '';
  let parent = '';
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  let status: { code?: number; message?: string } | undefined;
  const attributes: Attributes = {};
  const events: DecodedEvent[] = [];
  const links: DecodedLink[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === DELIMITED) {
      if (field === F.attributes) attribute(r, buf, r.size(), wanted, attributes);
      else if (field === F.traceId || field === F.spanId || field === F.parentSpanId || field === F.name) {
        const size = r.size();
        const at = r.pos;
        r.skip(size);
        if (field === F.name) name = buf.toString('utf8', at, r.pos);
        else if (field === F.traceId) traceId = buf.toString('hex', at, r.pos);
        else if (field === F.spanId) spanId = buf.toString('hex', at, r.pos);
        else parent = isZero(buf, at, r.pos) ? '' : buf.toString('hex', at, r.pos);
      } else if (field === F.status) status = decodeStatus(r, r.size(), undefined, 1, status) as typeof status;
      else if (field === F.events && columns.events) events.push(decodeEvent(r, r.size(), undefined, 1) as DecodedEvent);
      else if (field === F.links && columns.links) links.push(decodeLink(r, r.size(), undefined, 1) as DecodedLink);
      else r.skipType(wire, 0, field);
    } else if (wire === FIXED64 && (field === F.start || field === F.end)) {
      const low = r.fixed32();
      const value = (BigInt(r.fixed32()) << 32n) | BigInt(low);
      if (field === F.start) start = value;
      else end = value;
    } else if (wire === VARINT && field === F.kind) kind = r.int32();
    else r.skipType(wire, 0, field);
  }
  return {
    traceId,
    spanId,
    parentSpanId: parent,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationNanos: end > start ? Number(end - start) : 0,
    statusCode: status?.code ?? 0,
    statusMessage: status?.message ?? '',
    serviceName: resource.serviceName,
    attributes,
    resource: resource.attributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    scopeAttributes: scope.attributes,
    events: events.map(toEvent),
    links: links.map(toLink),
  };
}

/** One KeyValue of `length` bytes: into `out` when its key is wanted (a repeated key keeps the last). */
function attribute(r: protobuf.Reader, buf: Buffer, length: number, wanted: Uint8Array[] | 'all', out: Attributes): void {
  const end = r.pos + length;
  if (end > r.len) throw RangeError('index out of range');
  const outer = r.len;
  r.len = end;
  let keyStart = -1;
  let keyEnd = -1;
  let valueStart = -1;
  let valueEnd = -1;
  let values = 0;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    if ((tag & 7) === DELIMITED && (field === F.kvKey || field === F.kvValue)) {
      const size = r.size();
      const at = r.pos;
      r.skip(size);
      if (field === F.kvKey) [keyStart, keyEnd] = [at, r.pos];
      else [valueStart, valueEnd, values] = [at, r.pos, values + 1];
    } else r.skipType(tag & 7, 0, field);
  }
  r.len = outer;
  let matched = wanted === 'all';
  if (!matched) {
    for (const w of wanted as Uint8Array[]) {
      if (keyEnd - keyStart === w.length && sameBytes(buf, keyStart, w)) matched = true;
      else if (w.length === 0 && keyStart < 0) matched = true;
      if (matched) break;
    }
  }
  if (!matched) return;
  const key = keyStart < 0 ? '' : buf.toString('utf8', keyStart, keyEnd);
  if (values > 1) {
    // A value sent in several parts merges; let the generated decoder do it.
    const kv = KeyValueType.decode(buf.subarray(end - length, end)) as { value?: unknown };
    setAttribute(out, key, anyValueToAttr(kv.value as never));
  } else setAttribute(out, key, valueStart < 0 ? null : anyValueToAttr(AnyValueType.decode(buf.subarray(valueStart, valueEnd)) as never));
}

function isZero(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

function sameBytes(buf: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}
