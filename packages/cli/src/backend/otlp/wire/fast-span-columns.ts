/**
 * The fast path of `toQuerySpan` (../model/query-span.ts) for stored Span bytes with columns: a
 * QuerySpan holding only the columns a search asked for, read straight from the bytes. Most of a
 * span's cost is its attributes and events, and a TraceQL search usually needs one or two of
 * them: the always-present columns are read in place, each attribute's key is compared as bytes
 * and only wanted values are decoded, events, links and status go through the schema's generated
 * decoders. Its reference is the full conversion restricted to those columns
 * (fast-span-columns.test.ts).
 */
import type protobuf from 'protobufjs';
import { setAttribute, type Attributes, type FetchColumns, type QuerySpan } from '../../query/storage.ts';
import { anyValueToAttr } from '../model/any-value.ts';
import { toSpanEvent, toSpanLink, type SpanResource, type SpanScope } from '../model/span-parts.ts';
import type { AnyValueLike, MessageLike, OtlpSpanEvent, OtlpSpanLink } from '../model/types.ts';
import { otlpTypes } from '../schema.ts';
import { hexSlice } from './buffer-private.ts';
import { nestedDecoder } from './protobufjs-private.ts';
import { WireReader } from './wire-reader.ts';

const SpanType = otlpTypes.Span;
const fieldType = (type: protobuf.Type, name: string): protobuf.Type => type.fields[name].resolve().resolvedType as protobuf.Type;
const KeyValueType = fieldType(SpanType, 'attributes');
const AnyValueType = fieldType(KeyValueType, 'value');
const decodeStatus = nestedDecoder(fieldType(SpanType, 'status'));
const decodeEvent = nestedDecoder(fieldType(SpanType, 'events'));
const decodeLink = nestedDecoder(fieldType(SpanType, 'links'));

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

/** `bytes` is one OTLP Span; resource and scope are its already converted headers. */
export function fastSpanColumns(bytes: Uint8Array, columns: FetchColumns, resource: SpanResource, scope: SpanScope): QuerySpan {
  // Hex and text straight out of one Buffer: no Buffer per id (no closures either: under tsx
  // each function created at run time costs a defineProperty for its name).
  const r = new WireReader(bytes);
  const buf = r.buf;
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
  const events: MessageLike<OtlpSpanEvent>[] = [];
  const links: MessageLike<OtlpSpanLink>[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === DELIMITED) {
      if (field === F.attributes) attribute(r, wanted, attributes);
      else if (field === F.traceId || field === F.spanId || field === F.parentSpanId || field === F.name) {
        const until = r.end();
        const from = r.pos;
        r.pos = until;
        if (field === F.name) name = buf.toString('utf8', from, until);
        else if (field === F.traceId) traceId = hexSlice(buf, from, until);
        else if (field === F.spanId) spanId = hexSlice(buf, from, until);
        else parent = isZero(buf, from, until) ? '' : hexSlice(buf, from, until);
      } else if (field === F.status) status = r.nested(decodeStatus, 1, status) as typeof status;
      else if (field === F.events && columns.events) events.push(r.nested(decodeEvent, 1) as MessageLike<OtlpSpanEvent>);
      else if (field === F.links && columns.links) links.push(r.nested(decodeLink, 1) as MessageLike<OtlpSpanLink>);
      else r.skipType(wire, 0, field);
    } else if (wire === FIXED64 && (field === F.start || field === F.end)) {
      if (field === F.start) start = r.fixed64();
      else end = r.fixed64();
    } else if (wire === VARINT && field === F.kind) kind = r.uint32() | 0;
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
    events: events.map(toSpanEvent),
    links: links.map(toSpanLink),
  };
}

/** One KeyValue at the reader: into `out` when its key is wanted (a repeated key keeps the last). */
function attribute(r: WireReader, wanted: Uint8Array[] | 'all', out: Attributes): void {
  const buf = r.buf;
  const end = r.end();
  const begin = r.pos;
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
      const until = r.end();
      const at = r.pos;
      r.pos = until;
      if (field === F.kvKey) [keyStart, keyEnd] = [at, until];
      else [valueStart, valueEnd, values] = [at, until, values + 1];
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
    const kv = KeyValueType.decode(buf.subarray(begin, end)) as { value?: AnyValueLike };
    setAttribute(out, key, anyValueToAttr(kv.value));
  } else setAttribute(out, key, valueStart < 0 ? null : anyValueToAttr(AnyValueType.decode(buf.subarray(valueStart, valueEnd)) as AnyValueLike));
}

function isZero(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

function sameBytes(buf: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}
