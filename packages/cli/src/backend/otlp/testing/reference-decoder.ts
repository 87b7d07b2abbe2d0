/**
 * The reference OTLP/protobuf trace request decoder: the protobufjs-based decoder the receivers
 * used before the hand-written one (../decode-spans.ts), kept only as what that decoder is tested
 * against. It decodes an ExportTraceServiceRequest exactly as `ExportTraceServiceRequest.decode`
 * does (same message classes, same handling of repeated, unknown and mistyped fields), walking
 * the three outer levels with protobufjs' own Reader so that each span's byte range is known
 * ({@link referenceSpanBytes}); resources, scopes and spans are decoded by the schema's generated
 * decoders. Throws protobufjs' errors. Test code only.
 */
import protobuf from 'protobufjs';
import { otlpTypes } from '../schema.ts';
import type { ExportTraceServiceRequest } from '../model/types.ts';
import { nestedDecoder } from '../wire/protobufjs-private.ts';

const RECEIVED = Symbol('zeroscope.referenceSpanBytes');

/** The `Span` bytes a span decoded by {@link decodeRequestKeepingSpanBytes} came from (hidden from JSON and equality). */
export function referenceSpanBytes(span: object): Uint8Array | undefined {
  return (span as { [RECEIVED]?: Uint8Array })[RECEIVED];
}

interface MessageCtor {
  new (): Record<string, unknown>;
}

const { ExportTraceServiceRequest: RequestType, ResourceSpans: ResourceSpansType, Span: SpanType } = otlpTypes;
const ScopeSpansType = ResourceSpansType.fields.scopeSpans.resolve().resolvedType as protobuf.Type;
const ResourceType = ResourceSpansType.fields.resource.resolve().resolvedType as protobuf.Type;
const ScopeType = ScopeSpansType.fields.scope.resolve().resolvedType as protobuf.Type;

// Field numbers come from the schema, not from constants typed here.
const F = {
  resourceSpans: RequestType.fields.resourceSpans.id,
  resource: ResourceSpansType.fields.resource.id,
  scopeSpans: ResourceSpansType.fields.scopeSpans.id,
  resourceSchemaUrl: ResourceSpansType.fields.schemaUrl.id,
  scope: ScopeSpansType.fields.scope.id,
  spans: ScopeSpansType.fields.spans.id,
  scopeSchemaUrl: ScopeSpansType.fields.schemaUrl.id,
};
const LENGTH_DELIMITED = 2;

const decodeResource = nestedDecoder(ResourceType);
const decodeScope = nestedDecoder(ScopeType);
const decodeSpan = nestedDecoder(SpanType);

/** An ExportTraceServiceRequest exactly as `ExportTraceServiceRequest.decode` gives it, each span's bytes kept. */
export function decodeRequestKeepingSpanBytes(bytes: Uint8Array): ExportTraceServiceRequest {
  const r = protobuf.Reader.create(bytes);
  const request = new (RequestType.ctor as unknown as MessageCtor)();
  const list: unknown[] = [];
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag >>> 3 === F.resourceSpans && (tag & 7) === LENGTH_DELIMITED) list.push(resourceSpans(r, r.size(), 1));
    else r.skipType(tag & 7, 0, tag >>> 3);
  }
  if (list.length) request.resourceSpans = list;
  return request as unknown as ExportTraceServiceRequest;
}

function resourceSpans(r: protobuf.Reader, length: number, depth: number): object {
  const m = new (ResourceSpansType.ctor as unknown as MessageCtor)();
  within(r, length, depth, (field) => {
    if (field === F.resource) m.resource = decodeResource(r, r.size(), depth + 1, m.resource as object | undefined);
    else if (field === F.scopeSpans) push(m, 'scopeSpans', scopeSpans(r, r.size(), depth + 1));
    else if (field === F.resourceSchemaUrl) setString(m, 'schemaUrl', r);
    else return false;
    return true;
  });
  return m;
}

function scopeSpans(r: protobuf.Reader, length: number, depth: number): object {
  const m = new (ScopeSpansType.ctor as unknown as MessageCtor)();
  within(r, length, depth, (field) => {
    if (field === F.scope) m.scope = decodeScope(r, r.size(), depth + 1, m.scope as object | undefined);
    else if (field === F.spans) {
      const size = r.size();
      const start = r.pos;
      const span = decodeSpan(r, size, depth + 1);
      Object.defineProperty(span, RECEIVED, { value: r.buf.subarray(start, r.pos) });
      push(m, 'spans', span);
    } else if (field === F.scopeSchemaUrl) setString(m, 'schemaUrl', r);
    else return false;
    return true;
  });
  return m;
}

/**
 * Runs `field` on each length-delimited field of a nested message of `length` bytes, skipping
 * what it declines and every other wire type, with protobufjs' bounds and depth checks.
 */
function within(r: protobuf.Reader, length: number, depth: number, field: (n: number) => boolean): void {
  if (depth > protobuf.Reader.recursionLimit) throw Error('max depth exceeded');
  const end = r.pos + length;
  if (end > r.len) throw RangeError('index out of range');
  const outer = r.len;
  r.len = end;
  while (r.pos < end) {
    const tag = r.tag();
    if ((tag & 7) === LENGTH_DELIMITED && field(tag >>> 3)) continue;
    r.skipType(tag & 7, depth, tag >>> 3);
  }
  if (r.pos !== end) throw RangeError('index out of range');
  r.len = outer;
}

function push(m: Record<string, unknown>, key: string, value: unknown): void {
  const list = m[key] as unknown[] | undefined;
  if (list && list.length) list.push(value);
  else m[key] = [value];
}

// proto3 strings: an empty value restores the default, as the generated decoders do.
function setString(m: Record<string, unknown>, key: string, r: protobuf.Reader): void {
  const value = r.stringVerify();
  if (value.length) m[key] = value;
  else delete m[key];
}
