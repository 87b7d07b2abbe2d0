/**
 * OTLP spans to the query model (`QuerySpan`: hex ids, bigint nanos, plain attribute values): the
 * one conversion that storage (stored span bytes) and search over received requests both call.
 */
import { getAttribute, setAttribute, type Attributes, type FetchColumns, type QuerySpan } from '../../query/storage.ts';
import { otlpTypes } from '../schema.ts';
import { fastSpanColumns } from '../wire/fast-span-columns.ts';
import { keyValuesToAttributes } from './any-value.ts';
import { bytesToHex, isAllZero } from './ids.ts';
import { longToBigInt } from './longs.ts';
import { toSpanEvent, toSpanLink, toSpanResource, toSpanScope, type SpanResource, type SpanScope } from './span-parts.ts';
import type { ResourceSpansLike, SpanLike } from './types.ts';

/**
 * One span as a QuerySpan, given the resource and scope it was sent under. `span` is a decoded
 * span or the bytes of one OTLP `Span`. With `columns` (a search's FetchRequest.columns) only the
 * span attributes asked for are filled, events and links only when asked; stored bytes then take
 * the fast path that decodes nothing else. An all-zero parent span id reads as none (a root).
 */
export function toQuerySpan(span: SpanLike | Uint8Array, resource: SpanResource, scope: SpanScope, columns?: FetchColumns): QuerySpan {
  if (span instanceof Uint8Array) {
    if (columns) return fastSpanColumns(span, columns, resource, scope);
    span = otlpTypes.Span.decode(span) as SpanLike;
  }
  const start = longToBigInt(span.startTimeUnixNano);
  const end = longToBigInt(span.endTimeUnixNano);
  const parent = span.parentSpanId;
  const attributes = keyValuesToAttributes(span.attributes);
  return {
    traceId: bytesToHex(span.traceId ?? []),
    spanId: bytesToHex(span.spanId ?? []),
    parentSpanId: parent && !isAllZero(parent) ? bytesToHex(parent) : '',
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    // A clock-skewed span (end before start) counts as instantaneous rather than negative.
    durationNanos: end > start ? Number(end - start) : 0,
    statusCode: span.status?.code ?? 0,
    statusMessage: span.status?.message ?? '',
    serviceName: resource.serviceName,
    attributes: columns && columns.spanAttributes !== 'all' ? onlyKeys(attributes, columns.spanAttributes) : attributes,
    resource: resource.attributes,
    scopeName: scope.name,
    scopeVersion: scope.version,
    scopeAttributes: scope.attributes,
    events: columns && !columns.events ? [] : (span.events ?? []).map(toSpanEvent),
    links: columns && !columns.links ? [] : (span.links ?? []).map(toSpanLink),
  };
}

function onlyKeys(attributes: Attributes, keys: readonly string[]): Attributes {
  const out: Attributes = {};
  for (const key of keys) {
    const value = getAttribute(attributes, key);
    if (value !== undefined) setAttribute(out, key, value);
  }
  return out;
}

/**
 * Every span of a request (or TracesData) as QuerySpans. Each resource and scope is converted
 * once and shared by its spans: treat them as read-only.
 */
export function requestToQuerySpans(request: { resourceSpans?: readonly (ResourceSpansLike | null | undefined)[] | null }): QuerySpan[] {
  const out: QuerySpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    if (!rs) continue;
    const resource = toSpanResource(rs.resource);
    for (const ss of rs.scopeSpans ?? []) {
      if (!ss) continue;
      const scope = toSpanScope(ss.scope);
      for (const span of ss.spans ?? []) if (span) out.push(toQuerySpan(span, resource, scope));
    }
  }
  return out;
}
