/**
 * Finished spans → an OTLP `ExportTraceServiceRequest` in protobuf bytes, in one pass with no
 * intermediate objects. The official serializer (`ProtobufTraceSerializer` of
 * `@opentelemetry/otlp-transformer`) walks every span twice (a size pass, then the write) and
 * re-encodes the resource and scope of every batch; this one writes each span once and encodes a
 * resource or scope once per process (they never change). Its output is byte for byte the
 * official one's: `encode-traces.test.ts` checks that over spans with every field and value type.
 */
import type { Attributes, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '../exporters/types.ts';
import { ProtoWriter } from './proto-writer.ts';

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];
type TimedEvent = ReadableSpan['events'][number];

// OTLP Span.flags: the low byte is the W3C trace flags; bit 8 says whether bit 9 (parent is remote) is known.
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;

/** The extremes of int64: an integral number outside them is sent as a double. */
const INT64_MIN = -(2 ** 63);
const INT64_MAX_EXCLUSIVE = 2 ** 63;

/** Encoded `Resource` / `InstrumentationScope` messages (tag included), per object. */
const resourceBytes = new WeakMap<Resource, Uint8Array>();
const scopeBytes = new WeakMap<Scope, Uint8Array>();

/** Bytes of the last request, a starting size for the next one (batches are alike). */
let lastSize = 4096;

/**
 * Encodes `spans` as an `ExportTraceServiceRequest`: one `ResourceSpans` per resource and one
 * `ScopeSpans` per instrumentation scope in each, in the order they first occur, as the official
 * serializer groups them.
 */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const groups = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = groups.get(span.resource);
    if (scopes === undefined) groups.set(span.resource, (scopes = new Map()));
    const list = scopes.get(span.instrumentationScope);
    if (list === undefined) scopes.set(span.instrumentationScope, [span]);
    else list.push(span);
  }
  const w = new ProtoWriter(lastSize);
  for (const [resource, scopes] of groups) {
    w.tag(1, 2); // ExportTraceServiceRequest.resource_spans
    const resourceSpans = w.begin();
    raw(w, cached(resourceBytes, resource, encodeResource));
    for (const [scope, list] of scopes) {
      w.tag(2, 2); // ResourceSpans.scope_spans
      const scopeSpans = w.begin();
      raw(w, cached(scopeBytes, scope, encodeScope));
      for (const span of list) {
        w.tag(2, 2); // ScopeSpans.spans
        writeSpan(w, span);
      }
      if (scope.schemaUrl) {
        w.tag(3, 2);
        w.string(scope.schemaUrl);
      }
      w.end(scopeSpans);
    }
    if (resource.schemaUrl) {
      w.tag(3, 2);
      w.string(resource.schemaUrl);
    }
    w.end(resourceSpans);
  }
  lastSize = Math.max(1024, w.pos);
  return w.finish();
}

function raw(w: ProtoWriter, bytes: Uint8Array): void {
  w.ensure(bytes.length);
  w.buf.set(bytes, w.pos);
  w.pos += bytes.length;
}

function cached<K extends object>(cache: WeakMap<K, Uint8Array>, key: K, encode: (w: ProtoWriter, key: K) => boolean): Uint8Array {
  let bytes = cache.get(key);
  if (bytes === undefined) {
    const w = new ProtoWriter(256);
    // A resource whose asynchronous attributes are still pending is not final: encode it each time.
    const final = encode(w, key);
    bytes = Uint8Array.from(w.finish());
    if (final) cache.set(key, bytes);
  }
  return bytes;
}

/** ResourceSpans.resource (field 1): attributes, and a dropped count of 0. */
function encodeResource(w: ProtoWriter, resource: Resource): boolean {
  const final = resource.asyncAttributesPending !== true;
  w.tag(1, 2);
  const at = w.begin();
  if (resource.attributes) writeAttributes(w, resource.attributes, 1);
  w.tag(2, 0);
  w.varint32(0);
  w.end(at);
  return final;
}

/** ScopeSpans.scope (field 1): name, version, and the attributes a scope may carry. */
function encodeScope(w: ProtoWriter, scope: Scope): boolean {
  const extra = scope as Scope & { attributes?: Attributes; droppedAttributesCount?: number };
  w.tag(1, 2);
  const at = w.begin();
  w.tag(1, 2);
  w.string(scope.name);
  if (scope.version) {
    w.tag(2, 2);
    w.string(scope.version);
  }
  if (extra.attributes) writeAttributes(w, extra.attributes, 3);
  if (extra.droppedAttributesCount) {
    w.tag(4, 0);
    w.varint(extra.droppedAttributesCount);
  }
  w.end(at);
  return true;
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | FLAG_HAS_IS_REMOTE | (isRemote ? FLAG_IS_REMOTE : 0);
}

/** One `Span` message, length-prefixed. Fields in number order, as the official serializer writes them. */
function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const at = w.begin();
  const ctx = span.spanContext();
  w.tag(1, 2);
  w.hexBytes(ctx.traceId);
  w.tag(2, 2);
  w.hexBytes(ctx.spanId);
  writeTraceState(w, ctx, 3);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, 2);
    w.hexBytes(parent.spanId);
  }
  w.tag(5, 2);
  w.string(span.name);
  // The API's kinds start at INTERNAL = 0; OTLP's at UNSPECIFIED = 0.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.tag(6, 0);
    w.varint(kind);
  }
  w.tag(7, 1);
  w.hrTime(span.startTime);
  w.tag(8, 1);
  w.hrTime(span.endTime);
  if (span.attributes) writeAttributes(w, span.attributes, 9);
  w.tag(10, 0);
  w.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event);
  w.tag(12, 0);
  w.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link);
  w.tag(14, 0);
  w.varint(span.droppedLinksCount);
  w.tag(15, 2);
  const status = w.begin();
  if (span.status.message) {
    w.tag(2, 2);
    w.string(span.status.message);
  }
  w.tag(3, 0);
  w.varint(span.status.code);
  w.end(status);
  w.tag(16, 5);
  w.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
  w.end(at);
}

function writeTraceState(w: ProtoWriter, ctx: SpanContext, field: number): void {
  const state = ctx.traceState?.serialize();
  if (state) {
    w.tag(field, 2);
    w.string(state);
  }
}

/** Span.events (field 11): time, name, attributes, dropped count. */
function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  w.tag(11, 2);
  const at = w.begin();
  w.tag(1, 1);
  w.hrTime(event.time);
  w.tag(2, 2);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 3);
  w.tag(4, 0);
  w.varint(event.droppedAttributesCount || 0);
  w.end(at);
}

/** Span.links (field 13): ids, trace state, attributes, dropped count, flags. */
function writeLink(w: ProtoWriter, link: Link): void {
  w.tag(13, 2);
  const at = w.begin();
  const ctx = link.context;
  w.tag(1, 2);
  w.hexBytes(ctx.traceId);
  w.tag(2, 2);
  w.hexBytes(ctx.spanId);
  writeTraceState(w, ctx, 3);
  if (link.attributes) writeAttributes(w, link.attributes, 4);
  w.tag(5, 0);
  w.varint(link.droppedAttributesCount || 0);
  w.tag(6, 5);
  w.fixed32(spanFlags(ctx.traceFlags, ctx.isRemote));
  w.end(at);
}

/** Repeated `KeyValue`s under `field`, own enumerable keys in their order. */
function writeAttributes(w: ProtoWriter, attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    w.tag(field, 2);
    writeKeyValue(w, key, attributes[key]);
  }
}

/** A length-prefixed `KeyValue`; a value of no supported type is an empty `AnyValue`, as in the reference. */
function writeKeyValue(w: ProtoWriter, key: string, value: unknown): void {
  const at = w.begin();
  w.tag(1, 2);
  w.string(key);
  w.tag(2, 2);
  const valueAt = w.begin();
  writeAnyValue(w, value);
  w.end(valueAt);
  w.end(at);
}

/** The body of an `AnyValue`: string, bool, int (integral within int64) or double, bytes, array, or key-value list. */
function writeAnyValue(w: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.tag(1, 2);
      w.string(value);
      return;
    case 'boolean':
      w.tag(2, 0);
      w.varint32(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= INT64_MIN && value < INT64_MAX_EXCLUSIVE) {
        w.tag(3, 0);
        w.varint(value);
      } else {
        w.tag(4, 1);
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.tag(7, 2);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.tag(5, 2);
        const at = w.begin();
        for (const item of value) {
          w.tag(1, 2);
          const itemAt = w.begin();
          writeAnyValue(w, item);
          w.end(itemAt);
        }
        w.end(at);
      } else {
        w.tag(6, 2);
        const at = w.begin();
        const map = value as Record<string, unknown>;
        for (const key in map) {
          if (!Object.hasOwn(map, key)) continue;
          w.tag(1, 2);
          writeKeyValue(w, key, map[key]);
        }
        w.end(at);
      }
      return;
    default:
  }
}
