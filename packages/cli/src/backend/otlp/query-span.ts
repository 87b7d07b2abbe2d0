/**
 * Turns decoded OTLP spans into the backend's `QuerySpan` model (hex ids, bigint nanos, plain
 * attribute values). Both the store (when indexing) and the query side use it.
 */
import { setAttribute, type AttrValue, type Attributes, type QuerySpan } from '../model.ts';
import { bytesToHex } from './ids.ts';
import type { AnyValue, InstrumentationScope, KeyValue, Long, Resource, ResourceSpans, Span } from './types.ts';

/** A protobufjs int64/fixed64 value (Long, or a number when built by hand) as a bigint. */
export function longToBigInt(value: Long | number | bigint | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return value.unsigned ? bits : BigInt.asIntN(64, bits);
}

/**
 * An AnyValue as JS: int64 as a number when it fits a double exactly, else a bigint; bytes as
 * base64 (the model has no bytes type); kvlist as an object; an empty value as null.
 */
export function anyValueToAttr(value: AnyValue | null | undefined): AttrValue {
  switch (value?.value) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'intValue': {
      const big = longToBigInt(value.intValue);
      return Number.isSafeInteger(Number(big)) ? Number(big) : big;
    }
    case 'doubleValue':
      return value.doubleValue ?? 0;
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(anyValueToAttr);
    case 'kvlistValue':
      return keyValuesToAttributes(value.kvlistValue?.values ?? []);
    case 'bytesValue':
      return Buffer.from(value.bytesValue ?? []).toString('base64');
    default:
      return null;
  }
}

/** OTLP attributes as a record; a repeated key keeps its last value. */
export function keyValuesToAttributes(list: readonly KeyValue[] | null | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) setAttribute(out, kv.key, anyValueToAttr(kv.value));
  return out;
}

/** The QuerySpan of one span, given the resource and scope it was sent under. */
export function spanToQuerySpan(
  span: Span,
  resource: Resource | null | undefined,
  scope: InstrumentationScope | null | undefined,
): QuerySpan {
  return buildQuerySpan(span, keyValuesToAttributes(resource?.attributes), scope);
}

function buildQuerySpan(span: Span, resourceAttrs: Attributes, scope: InstrumentationScope | null | undefined): QuerySpan {
  const start = longToBigInt(span.startTimeUnixNano);
  const end = longToBigInt(span.endTimeUnixNano);
  const service = resourceAttrs['service.name'];
  return {
    traceId: bytesToHex(span.traceId),
    spanId: bytesToHex(span.spanId),
    parentSpanId: bytesToHex(span.parentSpanId ?? []),
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    // A clock-skewed span (end before start) counts as instantaneous rather than negative.
    durationNanos: end > start ? Number(end - start) : 0,
    statusCode: span.status?.code ?? 0,
    statusMessage: span.status?.message ?? '',
    serviceName: typeof service === 'string' ? service : '',
    attributes: keyValuesToAttributes(span.attributes),
    resource: resourceAttrs,
    scopeName: scope?.name ?? '',
    scopeVersion: scope?.version ?? '',
    scopeAttributes: keyValuesToAttributes(scope?.attributes),
    events: (span.events ?? []).map((event) => ({
      name: event.name ?? '',
      timeUnixNano: longToBigInt(event.timeUnixNano),
      attributes: keyValuesToAttributes(event.attributes),
    })),
    links: (span.links ?? []).map((link) => ({
      traceId: bytesToHex(link.traceId),
      spanId: bytesToHex(link.spanId),
      attributes: keyValuesToAttributes(link.attributes),
    })),
  };
}

/**
 * Every span of a request (or TracesData) as QuerySpans. Resource attributes are converted once
 * per resource and the record is shared by that resource's spans: treat it as read-only.
 */
export function requestToQuerySpans(request: { resourceSpans: readonly ResourceSpans[] }): QuerySpan[] {
  const out: QuerySpan[] = [];
  for (const rs of request.resourceSpans) {
    const resourceAttrs = keyValuesToAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) out.push(buildQuerySpan(span, resourceAttrs, ss.scope));
    }
  }
  return out;
}
